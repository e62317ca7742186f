using ChatonsFed.Aggregator.Observatory;
using ChatonsFed.Cli.Tests;
using ChatonsFed.Hosting.Storage;
using Microsoft.Extensions.Time.Testing;

namespace ChatonsFed.Aggregator.Tests;

/// <summary>
/// The observatory's records in a real LiteDB file: daily aggregates that stay bounded (31 days) whatever the number of
/// checks, uptime over 7 and 30 days, percentiles from the fixed histogram, failing runs, forgetting unlisted targets;
/// and the first-party rule and the tracker list.
/// </summary>
public sealed class ObservatoryBookTests
{
    private const string Pad = "https://pad.chaton.example/";
    private const string Mail = "https://mail.chaton.example/";

    [Fact]
    public void Forty_days_of_checks_keep_thirty_one_days_and_give_uptime_over_seven_and_thirty_days()
    {
        using var folder = new TempFolder();
        using var store = DataStore.Create(folder.File("chatonsfed.db"));
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var tables = new ObservatoryTables(store);
        var book = new ObservatoryBook(tables, time);

        // 40 days, 48 checks a day: up, except all day on days 35 and 38 (both in the last week, days 33 to 39).
        TargetObservation? last = null;
        for (var day = 0; day < 40; day++)
        {
            for (var check = 0; check < 48; check++)
            {
                if (day + check > 0)
                {
                    time.Advance(TimeSpan.FromMinutes(30));
                }

                var down = day is 35 or 38;
                last = book.Record(Pad, Probe(down ? ObservedState.Down : ObservedState.Up, down ? null : 150 + check), [], [], !down);
            }
        }

        Assert.Equal(31, tables.Days.Count());
        Assert.Equal(1, tables.Latest.Count());
        Assert.All(tables.Days.FindAll(), d => Assert.Equal(48, d.Checks));
        var uptime = last!.Uptime;
        Assert.Equal(30 * 48, uptime.Checks30);
        Assert.Equal(Math.Round(5.0 / 7, 4), uptime.Days7);
        Assert.Equal(Math.Round(28.0 / 30, 4), uptime.Days30);
        Assert.Equal(200, uptime.P50Ms);
        Assert.Equal(200, uptime.P95Ms);

        // Reopened, at the same moment, the book reads the same from the file.
        var again = new ObservatoryBook(new ObservatoryTables(store), time).Find(Pad)!;
        Assert.Equal(uptime, again.Uptime);
        Assert.Equal(last.Latest.CheckedAt, again.Latest.CheckedAt);
    }

    [Fact]
    public void A_failing_run_keeps_its_first_check_until_the_target_is_up_again_and_unlisted_targets_are_forgotten()
    {
        using var folder = new TempFolder();
        using var store = DataStore.Create(folder.File("chatonsfed.db"));
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var tables = new ObservatoryTables(store);
        var book = new ObservatoryBook(tables, time);

        var first = book.Record(Pad, Probe(ObservedState.Down, null), [], [], false).Latest.CheckedAt;
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(first, book.Record(Pad, Probe(ObservedState.Error, 80, 404), [], [], false).Latest.FailingSince);
        Assert.Equal(time.GetUtcNow(), book.Find(Pad)!.Latest.NotFoundSince);
        time.Advance(TimeSpan.FromHours(1));
        var up = book.Record(Pad, Probe(ObservedState.Up, 90), ["cdn.other.example"], [], true).Latest;
        Assert.Null(up.FailingSince);
        Assert.Null(up.NotFoundSince);
        book.Record(Mail, Probe(ObservedState.Up, 90), [], [], true);

        Assert.Equal(1, book.KeepOnly(new HashSet<string>([Mail])));
        Assert.Null(book.Find(Pad));
        Assert.NotNull(book.Find("https://MAIL.chaton.example#top"));
        Assert.Equal([Mail], tables.Days.FindAll().Select(d => d.Target).Distinct());
        Assert.Equal([Mail], tables.Latest.FindAll().Select(d => d.Id));
    }

    [Theory]
    [InlineData("www.chaton.example", "chaton.example")]
    [InlineData("chaton.example", "chaton.example")]
    [InlineData("pad.chaton.asso.fr", "chaton.asso.fr")]
    [InlineData("chaton.asso.fr", "chaton.asso.fr")]
    [InlineData("www.chaton.co.uk", "chaton.co.uk")]
    [InlineData("127.0.0.1", "127.0.0.1")]
    public void The_site_domain_is_the_parent_unless_that_is_a_public_suffix(string host, string expected) =>
        Assert.Equal(expected, ThirdParties.SiteDomain(host));

    [Fact]
    public void Third_parties_are_hosts_outside_the_target_and_the_chaton_site_and_trackers_match_a_listed_parent()
    {
        var hosts = new[] { "pad.chaton.example", "static.chaton.example", "chaton.example", "notchaton.example", "www.google-analytics.com", "cdn.other.example" };
        Assert.Equal(["cdn.other.example", "notchaton.example", "www.google-analytics.com"], ThirdParties.Of(hosts, "pad.chaton.example", ["chaton.example"]));
        var trackers = ThirdParties.Shipped();
        Assert.True(trackers.TrackerCount > 40);
        Assert.True(trackers.IsTracker("www.google-analytics.com"));
        Assert.True(trackers.IsTracker("stats.g.doubleclick.net"));
        Assert.False(trackers.IsTracker("analytics.com"));
        Assert.False(trackers.IsTracker("cdn.other.example"));
    }

    [Fact]
    public void The_percentage_and_the_time_ago_are_written_as_each_language_writes_them()
    {
        var view = new ObservationView("up", null, new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero), 200, 120, null, [], [],
            new ObservedUptime(1, 0.998, 1440, 200, 300), null);
        var now = view.CheckedAt.AddMinutes(12);
        Assert.Equal("en ligne · 99,8 % sur 30 jours · vérifié il y a 12 min", ObservationPages.BadgeText(new Website.SiteLanguage(false), view, now));
        Assert.Equal("up · 99.8 % over 30 days · checked 12 min ago", ObservationPages.BadgeText(new Website.SiteLanguage(true), view, now));
        Assert.Equal("hors ligne (timeout) · vérifié il y a 3 h", ObservationPages.BadgeText(new Website.SiteLanguage(false), view with { State = "down", Reason = "timeout", Uptime = new ObservedUptime(null, null, 0, null, null) }, view.CheckedAt.AddHours(3)));
    }

    private static ProbeResult Probe(string state, int? ms, int? status = null) => new()
    {
        State = state,
        Reason = state == ObservedState.Up ? null : status is { } s ? $"http {s}" : "timeout",
        HttpStatus = status ?? (ms is null ? null : 200),
        ResponseMs = ms,
    };
}

/// <summary>The observatory's settings are checked at start, each wrong one named.</summary>
public sealed class ObservatorySettingsTests
{
    [Fact]
    public void An_interval_under_five_seconds_and_a_root_file_that_is_not_there_are_refused()
    {
        var options = new Hosting.Configuration.NodeOptions { PublicUrl = "https://annuaire.example", Handle = "annuaire", ServeChaton = false };
        options.Aggregator.Enabled = true;
        Assert.Empty(Hosting.Configuration.NodeOptionsValidator.Check(options));

        options.Aggregator.Observatory.Interval = TimeSpan.FromSeconds(4);
        options.Aggregator.Observatory.PrivateRootCertificates.Add("ca.pem");
        Assert.Equal(
        [
            "ChatonsFed:Aggregator:Observatory:Interval 00:00:04 is shorter than 5 seconds; use a period such as 00:30:00 (the default)",
            "ChatonsFed:Aggregator:Observatory:PrivateRootCertificates entry 'ca.pem' is not an existing file given by its absolute path; give the absolute path of a PEM certificate of a private certificate authority",
        ], Hosting.Configuration.NodeOptionsValidator.Check(options));

        options.Aggregator.Observatory.Interval = TimeSpan.FromSeconds(5);
        options.Aggregator.Observatory.PrivateRootCertificates.Clear();
        Assert.Empty(Hosting.Configuration.NodeOptionsValidator.Check(options));
        var settings = ObservatorySettings.From(options);
        Assert.Equal("ChatonsFed-Observatory/1.0 (+https://annuaire.example/methode)", settings.UserAgent);
        Assert.True(settings.Policy.AlwaysRefuseLinkLocal);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.Timeout);
        Assert.InRange(settings.Jittered(0), TimeSpan.FromSeconds(4.5), TimeSpan.FromSeconds(4.5));
        Assert.InRange(settings.Jittered(1), TimeSpan.FromSeconds(5.5), TimeSpan.FromSeconds(5.5));
    }
}
