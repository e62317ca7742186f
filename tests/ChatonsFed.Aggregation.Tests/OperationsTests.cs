using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Node.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace ChatonsFed.Aggregation.Tests;

/// <summary>
/// Health endpoints and metrics on real hosts: a chaton node and an aggregator on 127.0.0.1, the aggregator's first
/// crawl held by a server that never answers, the Prometheus scrape after a rebuild and a delivered Follow.
/// </summary>
public sealed class OperationsTests
{
    [Fact]
    public async Task Both_roles_are_live_and_ready_and_metrics_are_absent_unless_asked_for()
    {
        await using var node = await TestNode.InitAsync();
        await using var aggregator = await TestAggregator.InitAsync([]);

        foreach (var http in new[] { node.Http, aggregator.Http })
        {
            using var live = await http.GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.Equal("ok", await live.Content.ReadAsStringAsync());
            Assert.Contains("no-store", live.Headers.CacheControl?.ToString() ?? string.Empty, StringComparison.Ordinal);

            // An aggregator with nothing to crawl is ready as soon as its first (empty) poll has run.
            await TestHost.WaitForAsync(async () =>
            {
                using var ready = await http.GetAsync("/readyz");
                return ready.StatusCode == HttpStatusCode.OK;
            }, 10, "/readyz answers 200");
            using var readiness = await http.GetAsync("/readyz");
            Assert.Equal("ready", JsonNode.Parse(await readiness.Content.ReadAsStringAsync())!["status"]!.GetValue<string>());

            using var metrics = await http.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
        }
    }

    [Fact]
    public async Task An_aggregator_is_not_ready_until_its_first_crawl_ends()
    {
        // A seed whose server takes connections and never answers: the first poll waits on it.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var held = new List<Socket>();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    held.Add(await silent.AcceptSocketAsync());
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // The listener was stopped.
            }
        });

        await using var aggregator = await TestAggregator.InitAsync([$"http://127.0.0.1:{port}/actor"]);
        using (var live = await aggregator.Http.GetAsync("/healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        using (var notReady = await aggregator.Http.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
            var body = JsonNode.Parse(await notReady.Content.ReadAsStringAsync())!;
            Assert.Equal("not ready", body["status"]!.GetValue<string>());
            Assert.Equal("the first crawl has not finished", body["checks"]!["crawl"]!.GetValue<string>());
            Assert.Null(body["checks"]!["store"]);
        }

        // The seed's server goes away: the fetch fails, the crawl ends, the aggregator is ready.
        silent.Stop();
        await accepting;
        foreach (var socket in held)
        {
            socket.Close();
        }

        await TestHost.WaitForAsync(async () =>
        {
            using var ready = await aggregator.Http.GetAsync("/readyz");
            return ready.StatusCode == HttpStatusCode.OK;
        }, 20, "/readyz answers 200 once the first crawl ended");
    }

    [Fact]
    public async Task With_Prometheus_on_metrics_show_the_rebuild_the_refusals_and_the_inbox_decisions()
    {
        static void Prometheus(JsonObject settings) => settings["Telemetry"] = new JsonObject { ["Prometheus"] = true };

        var node = await TestNode.InitAsync($"http://127.0.0.1:{TestHost.FreePort()}", start: false, "lynx", "Lynx Net");
        await using (node)
        {
            foreach (var change in RealNodeTests.Lynx)
            {
                await RealNodeTests.CliAsync([.. change, "--data", node.Folder]);
            }

            await node.ConfigureAsync(Prometheus);
            await node.StartOnPublicUrlAsync();

            // The second seed is a closed port: refused as unreachable.
            var closed = $"http://127.0.0.1:{TestHost.FreePort()}/actor";
            await using var aggregator = await TestAggregator.InitAsync([RealNodeTests.ActorId(node), closed], start: false);
            await aggregator.ConfigureAsync(Prometheus);
            await aggregator.StartAsync();
            await aggregator.RunAsync("rebuild");

            // The aggregator follows the listed node: a real signed Follow reaches the node's inbox.
            await TestHost.WaitForAsync(() => Task.FromResult(node.Running!.NodeStore.Followers.FindById(aggregator.Running!.Services.GetRequiredService<AggregatorUrls>().Actor) is not null), 20,
                "the node accepted the aggregator's Follow");

            // And a Follow without a signature is refused.
            using (var unsigned = await node.Http.PostAsync("/actor/inbox", new StringContent(
                """{"@context":"https://www.w3.org/ns/activitystreams","id":"https://elsewhere.example/f/1","type":"Follow","actor":"https://elsewhere.example/actor","object":"https://chaton.test/actor"}""",
                Encoding.UTF8, "application/activity+json")))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
            }

            var aggregatorMetrics = await ScrapeAsync(aggregator.Http);
            Assert.Contains("chatonsfed_rebuild_duration_seconds_count", aggregatorMetrics, StringComparison.Ordinal);
            Assert.Contains("chatonsfed_documents_verified_total", aggregatorMetrics, StringComparison.Ordinal);
            Assert.Contains("chatonsfed_documents_refused_total{", aggregatorMetrics, StringComparison.Ordinal);
            // The meter is the process's: aggregators of tests running alongside may add samples of other reasons.
            Assert.Contains(Lines(aggregatorMetrics, "chatonsfed_documents_refused_total{"), line => line.Contains("reason=\"unreachable\"", StringComparison.Ordinal));
            Assert.Contains("chatonsfed_deliveries_queued_total", aggregatorMetrics, StringComparison.Ordinal);
            Assert.Contains("http_server_request_duration_seconds", aggregatorMetrics, StringComparison.Ordinal);

            var nodeMetrics = await ScrapeAsync(node.Http);
            // Samples of other tests' hosts may come first (the meter is the process's): one line must hold both labels.
            Assert.Contains(Lines(nodeMetrics, "chatonsfed_inbox_accepted_total{"), line => line.Contains("activity=\"Follow\"", StringComparison.Ordinal) && line.Contains("reason=\"accepted\"", StringComparison.Ordinal));
            Assert.Contains(Lines(nodeMetrics, "chatonsfed_inbox_refused_total{"), line => line.Contains("activity=\"Follow\"", StringComparison.Ordinal) && line.Contains("reason=\"signature\"", StringComparison.Ordinal));
        }
    }

    private static async Task<string> ScrapeAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return text;
    }

    /// <summary>The sample lines starting with <paramref name="prefix"/>, or a failure listing what was there when there is none.</summary>
    private static List<string> Lines(string metrics, string prefix)
    {
        var lines = metrics.Split('\n').Where(line => line.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        return lines.Count > 0 ? lines : throw new Xunit.Sdk.XunitException($"no {prefix} sample in:\n{metrics}");
    }
}
