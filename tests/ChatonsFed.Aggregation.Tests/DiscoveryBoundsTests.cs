using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.TestFleet;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;

namespace ChatonsFed.Aggregation.Tests;

/// <summary>
/// Fair discovery against a chaton whose <c>following</c> names 100,000 junk URLs, served page by page by a loopback
/// server: each source adds a bounded number of new actors per crawl, tracking stays within its cap by letting junk go
/// first, and the genuine chatons reachable only through another seed are listed all the same.
/// </summary>
public sealed class DiscoveryBoundsTests(ITestOutputHelper output)
{
    private const int JunkPages = 20;
    private const int JunkPerPage = 5_000;
    private const int Cap = 120;
    private const int Budget = 50;

    [Fact]
    public async Task A_following_of_100000_junk_urls_stays_within_its_budget_and_the_cap_and_genuine_chatons_found_through_another_seed_are_listed()
    {
        // Chaton 0 follows the junk; chaton 1 follows chatons 2 to 11, reachable through it alone.
        await using var fleet = await FleetServer.StartAsync(12, new FleetOptions { Following = FollowingGraph.Custom((index, count) => index == 1 ? Enumerable.Range(2, count - 2) : []) });
        await using var junk = await JunkServer.StartAsync();
        var source = fleet[0];
        var genuineSource = fleet[1];
        var genuine = fleet.Chatons.Skip(2).Select(c => c.ActorId.AbsoluteUri).ToList();
        source.Replace(source.FollowingUrl, new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = source.FollowingUrl.AbsoluteUri,
            ["type"] = "OrderedCollection",
            ["totalItems"] = JunkPages * JunkPerPage,
            ["first"] = junk.Page(0),
        });

        await using var aggregator = await TestAggregator.InitAsync([source.ActorId.AbsoluteUri], s => s["Discovery"]!["MaxChatons"] = Cap);
        await TestHost.WaitForAsync(() => Task.FromResult(aggregator.Directory.LastCrawlAt is not null), 60, "the poll at start");
        var tracked = aggregator.Directory.Status().Tracked;
        Assert.Equal(1 + Budget, tracked);
        Assert.True(junk.Pages <= 2, $"{junk.Pages} pages of the junk following read for {Budget} new actors");

        // Each poll adds the source's budget of new actors, no more, until the cap: then junk gives way to junk.
        for (var poll = 1; poll <= 3; poll++)
        {
            var (pages, fetches) = (junk.Pages, junk.Fetches);
            var clock = Stopwatch.StartNew();
            var report = await aggregator.RunAsync("refresh");
            clock.Stop();
            var now = aggregator.Directory.Status().Tracked;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"junk poll {poll}: {now} tracked (cap {Cap}), {now - tracked:+0;-0;0}, {junk.Pages - pages} junk page(s) read, {junk.Fetches - fetches} junk actor fetches, {report["sourcesOverBudget"]} source over budget, {clock.Elapsed.TotalSeconds:0.00} s"));
            Assert.Equal(1, report["sourcesOverBudget"]!.GetValue<int>());
            Assert.Equal(Math.Min(Cap, tracked + Budget), now);
            Assert.True(junk.Fetches - fetches <= Cap + Budget, $"{junk.Fetches - fetches} junk fetches in one poll");
            tracked = now;
        }

        // A seed added now, whose following names chatons nobody else names: they are listed at the next poll, junk
        // makes room for them, and tracking stays within the cap.
        var follow = await CliRunner.RunAsync("directory", "follow", genuineSource.ActorId.AbsoluteUri, "--data", aggregator.Folder);
        Assert.True(follow.ExitCode == 0, follow.ToString());
        var timed = Stopwatch.StartNew();
        var found = await aggregator.RunAsync("refresh");
        timed.Stop();
        var status = aggregator.Directory.Status();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"poll with the genuine seed: {found["listed"]} listed of {found["found"]} checked, {status.Tracked} tracked (cap {Cap}), {timed.Elapsed.TotalSeconds:0.00} s; junk server: {junk.Pages} pages and {junk.Fetches} actor fetches in all"));
        Assert.Equal(12, status.Listed);
        Assert.True(status.Tracked <= Cap, $"{status.Tracked} tracked, over the cap of {Cap}");
        foreach (var id in genuine)
        {
            Assert.NotNull(await aggregator.EntryAsync(id));
            Assert.NotNull(aggregator.Directory.Tracked(id));
        }

        // Later polls keep every chaton listed and tracked; junk keeps rotating within what is left.
        for (var poll = 0; poll < 2; poll++)
        {
            await aggregator.RunAsync("refresh");
            status = aggregator.Directory.Status();
            Assert.Equal(12, status.Listed);
            Assert.Equal(Cap, status.Tracked);
            Assert.All(genuine, id => Assert.NotNull(aggregator.Directory.Tracked(id)));
            Assert.NotNull(aggregator.Directory.Tracked(source.ActorId.AbsoluteUri));
            Assert.NotNull(aggregator.Directory.Tracked(genuineSource.ActorId.AbsoluteUri));
        }

        Assert.True(junk.Pages < JunkPages, $"{junk.Pages} junk pages read in all");
    }

    [Fact]
    public async Task Seeds_are_tracked_and_listed_even_when_the_cap_is_full_of_junk()
    {
        await using var fleet = await FleetServer.StartAsync(3, new FleetOptions { Following = FollowingGraph.None });
        await using var junk = await JunkServer.StartAsync();
        fleet[0].Replace(fleet[0].FollowingUrl, new JsonObject { ["id"] = fleet[0].FollowingUrl.AbsoluteUri, ["type"] = "OrderedCollection", ["first"] = junk.Page(0) });
        await using var aggregator = await TestAggregator.InitAsync([fleet[0].ActorId.AbsoluteUri], s =>
        {
            s["Discovery"]!["MaxChatons"] = 10;
            s["Discovery"]!["MaxNewPerSource"] = 100;
        });
        await TestHost.WaitForAsync(() => Task.FromResult(aggregator.Directory.LastCrawlAt is not null), 60, "the poll at start");
        Assert.Equal(10, aggregator.Directory.Status().Tracked);
        Assert.True((await aggregator.RunAsync("refresh"))["roomExhausted"]!.GetValue<bool>());

        // Two seeds more than the cap leaves: both listed, and junk goes to make room.
        foreach (var chaton in fleet.Chatons.Skip(1))
        {
            Assert.Equal(0, (await CliRunner.RunAsync("directory", "follow", chaton.ActorId.AbsoluteUri, "--data", aggregator.Folder)).ExitCode);
        }

        await aggregator.RunAsync("refresh");
        var status = aggregator.Directory.Status();
        Assert.Equal(3, status.Listed);
        Assert.Equal(10, status.Tracked);
        Assert.All(fleet.Chatons, c => Assert.NotNull(aggregator.Directory.Tracked(c.ActorId.AbsoluteUri)));
    }

    [Fact]
    public void The_budget_per_source_is_checked_at_start_with_the_key()
    {
        var options = new NodeOptions { PublicUrl = "https://annuaire.example" };
        options.Aggregator.Enabled = true;
        options.Aggregator.Discovery.MaxNewPerSource = 0;
        Assert.Contains("ChatonsFed:Aggregator:Discovery:MaxNewPerSource 0 is out of range; use a value from 1 to 100000 (default 50)", NodeOptionsValidator.Check(options));
        options.Aggregator.Discovery.MaxNewPerSource = 50;
        Assert.DoesNotContain(NodeOptionsValidator.Check(options), e => e.Contains("MaxNewPerSource", StringComparison.Ordinal));
    }

    /// <summary>
    /// Serves a <c>following</c> collection of <see cref="JunkPages"/> pages of <see cref="JunkPerPage"/> junk actor URLs
    /// each: a third answer 404 here, a third are a <c>Person</c> (not a chaton), a third point at a closed port.
    /// </summary>
    private sealed class JunkServer : IAsyncDisposable
    {
        private LoopbackServer _server = null!;
        private int _pages;
        private int _fetches;

        public int Pages => Volatile.Read(ref _pages);

        /// <summary>Requests for junk actors on this server (the closed port's are not counted: nothing answers there).</summary>
        public int Fetches => Volatile.Read(ref _fetches);

        public static async Task<JunkServer> StartAsync()
        {
            var junk = new JunkServer();
            junk._server = await LoopbackServer.StartAsync(junk.AnswerAsync);
            return junk;
        }

        public string Page(int page) => string.Create(CultureInfo.InvariantCulture, $"{_server.Url}/following?page={page}");

        private string Actor(int index) =>
            string.Create(CultureInfo.InvariantCulture, $"{(index % 3 == 2 ? "http://127.0.0.1:1" : _server.Url)}/junk/{index}");

        private Task AnswerAsync(HttpContext context)
        {
            var path = context.Request.Path.Value ?? string.Empty;
            if (path == "/following" && int.TryParse(context.Request.Query["page"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page is >= 0 and < JunkPages)
            {
                Interlocked.Increment(ref _pages);
                var items = new StringBuilder();
                for (var i = page * JunkPerPage; i < (page + 1) * JunkPerPage; i++)
                {
                    items.Append(items.Length == 0 ? "\"" : ",\"").Append(Actor(i)).Append('"');
                }

                var next = page + 1 < JunkPages ? $",\"next\":\"{Page(page + 1)}\"" : string.Empty;
                return LoopbackServer.WriteJsonAsync(context, $"{{\"type\":\"OrderedCollectionPage\",\"id\":\"{Page(page)}\",\"orderedItems\":[{items}]{next}}}");
            }

            if (path.StartsWith("/junk/", StringComparison.Ordinal) && int.TryParse(path["/junk/".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                Interlocked.Increment(ref _fetches);
                if (index % 3 == 1)
                {
                    return LoopbackServer.WriteJsonAsync(context, $"{{\"@context\":\"https://www.w3.org/ns/activitystreams\",\"id\":\"{Actor(index)}\",\"type\":\"Person\",\"name\":\"Pas un chaton\"}}");
                }
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => _server.DisposeAsync();
    }
}
