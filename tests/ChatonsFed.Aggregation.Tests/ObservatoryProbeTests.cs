using System.Text;
using ChatonsFed.Aggregator.Observatory;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace ChatonsFed.Aggregation.Tests;

/// <summary>
/// The observatory against real loopback servers, through the client and handler the aggregator gives it: a page's
/// third parties and trackers, a closed port, redirects (to a link-local address, to a refused address, in a loop), a
/// body that trickles past the time limit, a body without end, a 404 beside a declaration, certificates for another
/// name, untrusted, and from a trusted private authority.
/// </summary>
public sealed class ObservatoryProbeTests
{
    private const string TrackerPage = """
        <!DOCTYPE html><html><head><title>Pad</title>
        <script async src="https://www.google-analytics.com/analytics.js"></script>
        <link rel="stylesheet" href="/style.css"><link rel="icon" href="https://static.chaton.example/favicon.ico">
        <link rel="canonical" href="https://canonical.elsewhere.example/">
        </head><body><img src="https://images.other.example/logo.png" alt="">
        <img srcset="https://cdn.third.example/a.png 1x, /b.png 2x" alt=""><p>Bienvenue
        """;

    [Fact]
    public async Task A_page_that_loads_a_tracker_script_and_a_foreign_image_is_up_with_both_hosts_and_the_tracker_flagged()
    {
        await using var server = await LoopbackServer.StartRecordingAsync();
        server.Handler = (context, _) => Html(context, TrackerPage);
        await using var observatory = new ObservatoryFixture();

        var seen = await observatory.CheckOneAsync(server.Url + "/pad", website: "https://www.chaton.example");

        var latest = seen.Latest;
        Assert.Equal(ObservedState.Up, latest.State);
        Assert.Null(latest.Reason);
        Assert.Equal(200, latest.HttpStatus);
        Assert.NotNull(latest.ResponseMs);
        Assert.Null(latest.TlsValidUntil);
        // The canonical link loads nothing; static.chaton.example is under the chaton's site domain.
        Assert.Equal(["cdn.third.example", "images.other.example", "www.google-analytics.com"], latest.ThirdPartyHosts);
        Assert.Equal(["www.google-analytics.com"], latest.Trackers);
        Assert.Equal(1, seen.Uptime.Checks30);
        Assert.Equal(1.0, seen.Uptime.Days30);

        // Polite: one GET, saying who asks and where the method is described, on a connection of its own.
        var request = Assert.Single(server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("ChatonsFed-Observatory/1.0 (+https://annuaire.example/methode)", request.Headers.GetCombinedValue("User-Agent"));
        Assert.Equal("close", request.Headers.GetCombinedValue("Connection"), ignoreCase: true);
    }

    [Fact]
    public async Task A_closed_port_is_down_with_connection_refused()
    {
        await using var observatory = new ObservatoryFixture();
        var seen = await observatory.CheckOneAsync($"http://127.0.0.1:{TestHost.FreePort()}/");
        Assert.Equal(ObservedState.Down, seen.Latest.State);
        Assert.Equal("connection refused", seen.Latest.Reason);
        Assert.Null(seen.Latest.HttpStatus);
        Assert.Equal(0.0, seen.Uptime.Days30);
        Assert.Equal(seen.Latest.CheckedAt, seen.Latest.FailingSince);
    }

    [Fact]
    public async Task A_redirect_to_the_cloud_metadata_address_is_refused_even_with_private_networks_allowed()
    {
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.Redirect("http://169.254.169.254/latest/meta-data/");
            return Task.CompletedTask;
        });
        await using var observatory = new ObservatoryFixture(allowPrivateNetwork: true);
        var seen = await observatory.CheckOneAsync(server.Url + "/");
        Assert.Equal(ObservedState.Error, seen.Latest.State);
        Assert.Equal("address refused", seen.Latest.Reason);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task A_redirect_to_an_address_the_policy_refuses_is_an_error_and_never_followed()
    {
        // 127.0.0.1 stands for the public internet here; any other address of the loopback network is refused.
        await using var refused = await LoopbackServer.StartAsync(context => Html(context, "<p>never</p>"), host: "127.0.0.2");
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.Redirect(refused.Url + "/");
            return Task.CompletedTask;
        });
        await using var observatory = new ObservatoryFixture(allowPrivateNetwork: false, allowedNetworks: ["127.0.0.1/32"]);
        var seen = await observatory.CheckOneAsync(server.Url + "/");
        Assert.Equal(ObservedState.Error, seen.Latest.State);
        Assert.Equal("address refused", seen.Latest.Reason);
        Assert.Equal(0, refused.RequestCount);
    }

    [Fact]
    public async Task A_redirect_loop_is_an_error_after_three_redirects()
    {
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.Redirect(context.Request.Path == "/a" ? "/b" : "/a");
            return Task.CompletedTask;
        });
        await using var observatory = new ObservatoryFixture();
        var seen = await observatory.CheckOneAsync(server.Url + "/a");
        Assert.Equal(ObservedState.Error, seen.Latest.State);
        Assert.Equal("too many redirects", seen.Latest.Reason);
        Assert.Equal(302, seen.Latest.HttpStatus);
        Assert.Equal(4, server.RequestCount);
    }

    [Fact]
    public async Task A_body_that_trickles_past_the_time_limit_is_down_with_timeout()
    {
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            // Headers at once, then a byte every 100 ms: a slow-loris answer, never done within the limit.
            context.Response.ContentType = "text/html";
            await context.Response.Body.FlushAsync(context.RequestAborted);
            for (var i = 0; i < 600 && !context.RequestAborted.IsCancellationRequested; i++)
            {
                await context.Response.Body.WriteAsync("<"u8.ToArray(), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(100, context.RequestAborted);
            }
        });
        // A limit short enough for a test, long enough for the headers to come first on a busy machine.
        await using var observatory = new ObservatoryFixture(timeout: TimeSpan.FromSeconds(3));
        var seen = await observatory.CheckOneAsync(server.Url + "/");
        Assert.Equal(ObservedState.Down, seen.Latest.State);
        Assert.Equal("timeout", seen.Latest.Reason);
        Assert.Equal(200, seen.Latest.HttpStatus);
    }

    [Fact]
    public async Task A_body_without_end_is_read_up_to_two_mebibytes_and_the_page_judged_on_that()
    {
        var ended = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            try
            {
                context.Response.ContentType = "text/html; charset=utf-8";
                var chunk = Encoding.UTF8.GetBytes("<p><img src=\"https://images.other.example/i.png\" alt=\"\"></p>\n" + new string(' ', 4000));
                await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(TrackerPage), context.RequestAborted);
                // Writes without end, until the reader closes the connection (a minute at most, should it never).
                var clock = System.Diagnostics.Stopwatch.StartNew();
                while (!context.RequestAborted.IsCancellationRequested && clock.Elapsed < TimeSpan.FromMinutes(1))
                {
                    await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                }
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                ended.TrySetResult(context.RequestAborted.IsCancellationRequested);
            }
        });
        await using var observatory = new ObservatoryFixture();
        var seen = await observatory.CheckOneAsync(server.Url + "/");
        Assert.Equal(ObservedState.Up, seen.Latest.State);
        Assert.True(seen.Latest.Truncated);
        Assert.True(seen.Latest.PageRead);
        Assert.Contains("www.google-analytics.com", seen.Latest.Trackers);
        // The reading stopped, and the connection with it: the server's endless body was cut by the reader.
        Assert.True(await ended.Task.WaitAsync(TimeSpan.FromMinutes(2)), "the server wrote for a minute: the observatory never closed the connection");
    }

    [Fact]
    public async Task A_service_open_to_registration_whose_page_answers_404_is_a_discrepancy_and_so_is_a_legal_notice_in_error()
    {
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = context.Request.Path == "/ok" ? 200 : 404;
            return Task.CompletedTask;
        });
        await using var observatory = new ObservatoryFixture();
        var chaton = ObservatoryFixture.Chaton(server.Url + "/ok", server.Url + "/mentions", (server.Url + "/inscription", "ok", "free", "open"), (server.Url + "/membres", "ok", "member", "open"));
        var outcomes = await observatory.CheckAsync(chaton);
        Assert.All(outcomes, o => Assert.NotNull(o.Observation));
        var registration = outcomes.Single(o => o.Target.Url.EndsWith("/inscription", StringComparison.Ordinal)).Observation!.Latest;
        Assert.Equal(ObservedState.Error, registration.State);
        Assert.Equal("http 404", registration.Reason);

        var discrepancies = observatory.Views.Discrepancies(chaton);
        Assert.Equal([(ObservationViews.RegistrationPage404, "s0"), (ObservationViews.LegalNoticeUnreachable, (string?)null)], discrepancies.Select(d => (d.Kind, d.Service)));
        Assert.All(discrepancies, d => Assert.Equal(registration.CheckedAt, d.Since, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task A_service_declared_running_that_has_not_been_up_for_more_than_a_day_is_a_discrepancy()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
        await using var observatory = new ObservatoryFixture(time: time);
        var closed = $"http://127.0.0.1:{TestHost.FreePort()}/";
        var chaton = ObservatoryFixture.Chaton(null, null, (closed, "ok", "none", null), (closed + "archive", "closed", "none", null));

        await observatory.CheckAsync(chaton);
        var first = time.GetUtcNow();
        time.Advance(TimeSpan.FromHours(23));
        await observatory.CheckAsync(chaton);
        Assert.Empty(observatory.Views.Discrepancies(chaton));

        time.Advance(TimeSpan.FromHours(2));
        await observatory.CheckAsync(chaton);
        var discrepancy = Assert.Single(observatory.Views.Discrepancies(chaton));
        Assert.Equal((ObservationViews.DeclaredOnlineButDown, "s0", first), (discrepancy.Kind, discrepancy.Service, discrepancy.Since));
        Assert.Equal(3, observatory.Book.Find(closed)!.Uptime.Checks30);
        Assert.Equal(0.0, observatory.Book.Find(closed)!.Uptime.Days7);
    }

    [Fact]
    public async Task A_certificate_for_another_name_is_an_error_and_an_unknown_authority_is_untrusted()
    {
        using var elsewhere = TestCertificates.Leaf("autre.example", null, 30);
        await using var wrongName = await HttpsServer.StartAsync(elsewhere, context => Html(context, "<p>ok</p>"));
        using var authority = TestCertificates.Authority("Test CA");
        using var issued = TestCertificates.Leaf(null, authority, 30);
        await using var unknownAuthority = await HttpsServer.StartAsync(issued, context => Html(context, "<p>ok</p>"));
        await using var observatory = new ObservatoryFixture();

        var mismatch = await observatory.CheckOneAsync(wrongName.Url);
        Assert.Equal(ObservedState.Error, mismatch.Latest.State);
        Assert.Equal("tls: name mismatch", mismatch.Latest.Reason);
        Assert.Null(mismatch.Latest.HttpStatus);

        var untrusted = await observatory.CheckOneAsync(unknownAuthority.Url);
        Assert.Equal(ObservedState.Error, untrusted.Latest.State);
        Assert.Equal("tls: untrusted", untrusted.Latest.Reason);
    }

    [Fact]
    public async Task A_certificate_from_a_trusted_private_authority_gives_its_end_and_the_days_left()
    {
        using var authority = TestCertificates.Authority("Test CA");
        using var issued = TestCertificates.Leaf(null, authority, 30);
        await using var server = await HttpsServer.StartAsync(issued, context =>
        {
            context.Response.Headers.StrictTransportSecurity = "max-age=31536000";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return Html(context, "<p>ok</p>");
        });
        await using var probeFolder = new ObservatoryFixture();
        var pem = probeFolder.File("ca.pem");
        TestCertificates.WritePem(authority, pem);
        await using var observatory = new ObservatoryFixture(privateRoots: [pem]);

        var seen = await observatory.CheckOneAsync(server.Url);
        Assert.Equal(ObservedState.Up, seen.Latest.State);
        Assert.Equal(new DateTimeOffset(issued.NotAfter.ToUniversalTime()), seen.Latest.TlsValidUntil);
        var view = ObservationView.From(seen, TimeProvider.System.GetUtcNow());
        Assert.InRange(view.Tls!.DaysLeft, 29, 30);
        Assert.Equal("max-age=31536000", view.SecurityHeaders!.StrictTransportSecurity);
        Assert.Equal("nosniff", view.SecurityHeaders.ContentTypeOptions);
        Assert.Null(view.SecurityHeaders.ContentSecurityPolicy);
    }

    [Fact]
    public async Task A_host_that_answers_429_with_retry_after_is_not_asked_again_before_then()
    {
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = "3600";
            return Task.CompletedTask;
        });
        await using var observatory = new ObservatoryFixture();
        var chaton = ObservatoryFixture.Chaton(null, null, (server.Url + "/a", "ok", null, null), (server.Url + "/b", "ok", null, null));

        var outcomes = await observatory.CheckAsync(chaton);
        Assert.Equal(1, server.RequestCount);
        Assert.Equal("http 429", outcomes[0].Observation!.Latest.Reason);
        Assert.Null(outcomes[1].Observation);
        Assert.Contains("asked not to be asked again before", outcomes[1].Skipped, StringComparison.Ordinal);
        Assert.NotNull(observatory.Observatory.NotBefore("127.0.0.1"));
        Assert.Single(observatory.Log.OfEvent(4102));
    }

    private static Task Html(HttpContext context, string html)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(html, context.RequestAborted);
    }
}
