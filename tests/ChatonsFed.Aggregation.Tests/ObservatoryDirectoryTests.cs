using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Aggregation.Tests;

/// <summary>
/// The observatory in a running aggregator, over real chaton nodes whose services, websites and legal notices are
/// loopback servers: what the directory API gives, the observed= and thirdParty= searches, 'chatonsfed directory
/// observe', the background schedule, and a crawl that completes while an observation is stuck.
/// </summary>
public sealed class ObservatoryDirectoryTests
{
    private const string TrackerPage = """<!DOCTYPE html><html><head><script src="https://www.google-analytics.com/analytics.js"></script></head><body><img src="https://images.other.example/a.png" alt=""></body></html>""";
    private const string CleanPage = """<!DOCTYPE html><html><head><link rel="stylesheet" href="/site.css"></head><body><img src="/logo.png" alt=""></body></html>""";

    [Fact]
    public async Task Observations_are_in_the_entries_and_searches_and_the_command_prints_and_stores_them()
    {
        await using var site = await LoopbackServer.StartAsync(Site);
        await using var lynx = await RealNodeTests.StartChatonAsync("lynx", "Lynx Net",
        [
            ["profile", "set", "--website", site.Url + "/", "--legal-notice", site.Url + "/mentions"],
            ["service", "add", "--slug", "pad", "--category", "collaborative-writing", "--name", "Pad", "--url", site.Url + "/clean", "--registration", "none", "--status", "ok"],
            ["service", "add", "--slug", "mail", "--category", "email", "--name", "Courriel", "--url", site.Url + "/inscription", "--registration", "free", "--capacity", "open", "--status", "ok"],
        ]);
        await using var marmotte = await RealNodeTests.StartChatonAsync("marmotte", "La Marmotte",
        [
            ["profile", "set", "--website", site.Url + "/clean"],
            ["service", "add", "--slug", "visio", "--category", "video-conference", "--name", "Visio", "--url", site.Url + "/visio", "--registration", "none", "--status", "ok"],
        ]);
        var lynxId = RealNodeTests.ActorId(lynx);
        var marmotteId = RealNodeTests.ActorId(marmotte);
        // No background round (test aggregators run none): the checks below are the command's.
        await using var aggregator = await TestAggregator.InitAsync([lynxId, marmotteId]);
        await TestHost.WaitForAsync(async () => await aggregator.EntryAsync(lynxId) is not null && await aggregator.EntryAsync(marmotteId) is not null, 20, "both chatons listed");

        // Not observed yet: no observation, and neither filter finds anything.
        var before = (await aggregator.EntryAsync(lynxId))!;
        Assert.Null(before["observation"]);
        Assert.All(before["services"]!.AsArray(), s => Assert.Null(s!["observation"]));
        Assert.Equal(0, await TotalAsync(aggregator, "observed=up"));
        Assert.Equal(0, await TotalAsync(aggregator, "thirdParty=none"));
        Assert.Equal(0, site.RequestCount);

        var observed = await RealNodeTests.CliAsync("directory", "observe", "--data", aggregator.Folder);
        Assert.Matches(@"(?m)^TARGET\s+STATE\s+STATUS\s+MS\s+TLS DAYS\s+THIRD PARTIES\s+TRACKERS$", observed.Output);
        Assert.Matches($@"(?m)^{site.Url}/inscription\s+error \(http 404\)\s+404\s+\d+\s+-\s+-\s+-$", observed.Output);
        Assert.Matches($@"(?m)^{site.Url}/\s+up\s+200\s+\d+\s+-\s+images\.other\.example,www\.google-analytics\.com\s+www\.google-analytics\.com$", observed.Output);
        // Five targets: the pad's URL is also the other chaton's website, checked once.
        Assert.Contains("5 target(s): 4 up, 0 down, 1 error, 0 skipped", observed.Output, StringComparison.Ordinal);

        var entry = (await aggregator.EntryAsync(lynxId))!;
        var pad = Service(entry, "pad")["observation"]!;
        Assert.Equal("up", pad["state"]!.GetValue<string>());
        Assert.Equal(200, pad["httpStatus"]!.GetValue<int>());
        Assert.True(pad["responseMs"]!.GetValue<int>() >= 0);
        Assert.True(pad.AsObject().ContainsKey("tls"));
        Assert.Null(pad["tls"]);
        Assert.Empty(pad["thirdPartyHosts"]!.AsArray());
        Assert.Equal(1.0, pad["uptime"]!["days30"]!.GetValue<double>());
        Assert.Equal(1, pad["uptime"]!["checks30"]!.GetValue<int>());
        var mail = Service(entry, "mail")["observation"]!;
        Assert.Equal("error", mail["state"]!.GetValue<string>());
        Assert.Equal("http 404", mail["reason"]!.GetValue<string>());
        var website = entry["observation"]!["website"]!;
        Assert.Equal(["images.other.example", "www.google-analytics.com"], website["thirdPartyHosts"]!.AsArray().Select(h => h!.GetValue<string>()));
        Assert.Equal(["www.google-analytics.com"], website["trackers"]!.AsArray().Select(h => h!.GetValue<string>()));
        Assert.Equal("up", entry["observation"]!["legalNotice"]!["state"]!.GetValue<string>());
        var discrepancy = Assert.Single(entry["observation"]!["discrepancies"]!.AsArray())!;
        Assert.Equal("registrationPage404", discrepancy["kind"]!.GetValue<string>());
        Assert.Equal(Service(entry, "mail")["id"]!.GetValue<string>(), discrepancy["service"]!.GetValue<string>());
        Assert.Equal(mail["checkedAt"]!.GetValue<DateTimeOffset>(), discrepancy["since"]!.GetValue<DateTimeOffset>());

        // observed=up: every service (or every service matching the other criteria) up at its last check.
        Assert.Equal([marmotteId], await IdsAsync(aggregator, "observed=up"));
        Assert.Equal([lynxId], await IdsAsync(aggregator, "observed=up&category=collaborative-writing"));
        Assert.Empty(await IdsAsync(aggregator, "observed=up&category=email"));
        // thirdParty=none: the website and services load no third-party host.
        Assert.Equal([marmotteId], await IdsAsync(aggregator, "thirdParty=none"));
        Assert.Equal(2, await TotalAsync(aggregator, "observed=any&thirdParty=any"));
        await AssertRefusedAsync(aggregator, "observed=down", "observed 'down' must be up");
        await AssertRefusedAsync(aggregator, "thirdParty=some", "thirdParty 'some' must be none");

        // The search page takes the same filters.
        var page = await aggregator.Http.GetStringAsync("/?observed=up&thirdParty=none&lang=en");
        Assert.Contains("1 chaton found", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await aggregator.Http.GetAsync("/?observed=sometimes")).StatusCode);

        // One chaton's targets; an unknown chaton is refused in one line, exit 2.
        var one = await RealNodeTests.CliAsync("directory", "observe", "--chaton", marmotteId, "--data", aggregator.Folder);
        Assert.Contains("2 target(s): 2 up", one.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("/inscription", one.Output, StringComparison.Ordinal);
        Assert.Equal(2, (await aggregator.EntryAsync(marmotteId))!["observation"]!["website"]!["uptime"]!["checks30"]!.GetValue<int>());
        var unknown = await CliRunner.RunAsync(["directory", "observe", "--chaton", "https://inconnu.example/actor", "--data", aggregator.Folder]);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Equal("chatonsfed: no chaton https://inconnu.example/actor in this directory", unknown.Error.Trim());

        // Observations are the aggregator's own view: not in the exports.
        foreach (var export in RealNodeTests.Exports)
        {
            Assert.DoesNotContain("google-analytics", System.Text.Encoding.UTF8.GetString(await aggregator.GetBytesAsync(export)), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Offline_the_command_checks_and_stores_and_the_running_aggregator_shows_it_after()
    {
        await using var site = await LoopbackServer.StartAsync(Site);
        await using var lynx = await RealNodeTests.StartChatonAsync("lynx", "Lynx Net",
            [["service", "add", "--slug", "pad", "--category", "collaborative-writing", "--name", "Pad", "--url", site.Url + "/clean", "--status", "ok"]]);
        var id = RealNodeTests.ActorId(lynx);
        await using var aggregator = await TestAggregator.InitAsync([id]);
        await TestHost.WaitForAsync(async () => await aggregator.EntryAsync(id) is not null, 20, "the chaton listed");
        await aggregator.StopAsync();

        var observed = await RealNodeTests.CliAsync("directory", "observe", "--data", aggregator.Folder);
        Assert.Contains("1 target(s): 1 up", observed.Output, StringComparison.Ordinal);

        await aggregator.StartAsync();
        var pad = Service((await aggregator.EntryAsync(id))!, "pad")["observation"]!;
        Assert.Equal("up", pad["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task In_the_background_each_target_is_checked_at_the_interval_and_the_method_page_says_so()
    {
        await using var site = await LoopbackServer.StartRecordingAsync();
        site.Handler = (context, _) => Site(context);
        await using var lynx = await RealNodeTests.StartChatonAsync("lynx", "Lynx Net",
            [["service", "add", "--slug", "pad", "--category", "collaborative-writing", "--name", "Pad", "--url", site.Url + "/clean", "--status", "ok"]]);
        var id = RealNodeTests.ActorId(lynx);
        await using var aggregator = await TestAggregator.InitAsync([id], s => s["Observatory"] = new JsonObject { ["Enabled"] = true, ["Interval"] = "00:00:05" });

        await TestHost.WaitForAsync(async () => (await aggregator.EntryAsync(id))?["services"]?[0]?["observation"]?["uptime"]?["checks30"]?.GetValue<int>() >= 2, 60, "two background checks of the service");
        Assert.All(site.Requests, r => Assert.Equal($"ChatonsFed-Observatory/1.0 (+{aggregator.PublicUrl}/methode)", r.Headers.GetCombinedValue("User-Agent")));

        var method = WebUtility.HtmlDecode(await aggregator.Http.GetStringAsync("/methode"));
        Assert.Contains("<strong id=\"interval\">5 secondes</strong>", method, StringComparison.Ordinal);
        Assert.Contains($"<code id=\"user-agent\">ChatonsFed-Observatory/1.0 (+{aggregator.PublicUrl}/methode)</code>", method, StringComparison.Ordinal);
        Assert.Contains("<strong id=\"interval\">5 seconds</strong>", await aggregator.Http.GetStringAsync("/method?lang=en"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_crawl_completes_while_an_observation_is_stuck_on_a_slow_loris_server()
    {
        var stuck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var slow = await LoopbackServer.StartAsync(async context =>
        {
            // Headers, then a byte now and then until the test lets the page end.
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<p>", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            stuck.TrySetResult();
            while (!release.Task.IsCompleted && !context.RequestAborted.IsCancellationRequested)
            {
                await context.Response.WriteAsync(" ", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.WhenAny(release.Task, Task.Delay(200, context.RequestAborted));
            }
        });
        await using var lynx = await RealNodeTests.StartChatonAsync("lynx", "Lynx Net",
            [["service", "add", "--slug", "pad", "--category", "collaborative-writing", "--name", "Pad", "--url", slow.Url + "/", "--status", "ok"]]);
        var id = RealNodeTests.ActorId(lynx);
        await using var aggregator = await TestAggregator.InitAsync([id]);
        await TestHost.WaitForAsync(async () => await aggregator.EntryAsync(id) is not null, 20, "the chaton listed");

        var observing = Task.Run(() => CliRunner.RunAsync(["directory", "observe", "--data", aggregator.Folder]));
        await stuck.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var refresh = await aggregator.RunAsync("refresh");
        Assert.Equal(1, refresh["listed"]!.GetValue<int>());
        Assert.False(observing.IsCompleted, "the observation was still under way when the crawl completed");

        release.SetResult();
        var result = await observing;
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("1 target(s): 1 up", result.Output, StringComparison.Ordinal);
    }

    private static Task Site(HttpContext context)
    {
        var path = context.Request.Path.Value;
        if (path == "/inscription")
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(path == "/" ? TrackerPage : CleanPage, context.RequestAborted);
    }

    private static JsonObject Service(JsonObject entry, string slug) =>
        entry["services"]!.AsArray().Select(s => s!.AsObject()).Single(s => s["id"]!.GetValue<string>().EndsWith("/" + slug, StringComparison.Ordinal) || s["id"]!.GetValue<string>() == slug);

    private static async Task<int> TotalAsync(TestAggregator aggregator, string query) =>
        (await aggregator.GetJsonAsync("/api/directory/search?" + query))["total"]!.GetValue<int>();

    private static async Task<IReadOnlyList<string>> IdsAsync(TestAggregator aggregator, string query) =>
        [.. (await aggregator.GetJsonAsync("/api/directory/search?" + query))["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>())];

    private static async Task AssertRefusedAsync(TestAggregator aggregator, string query, string reason)
    {
        using var response = await aggregator.Http.GetAsync("/api/directory/search?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
