using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Aggregator.Storage;
using ChatonsFed.TestFleet;
using Microsoft.Extensions.DependencyInjection;

namespace ChatonsFed.Aggregation.Tests;

/// <summary>An aggregator against the loopback fleet: discovery, verification, rejections, exports, bootstrap.</summary>
public sealed class FleetCrawlTests
{
    [Fact]
    public async Task Rebuild_from_one_seed_discovers_every_chaton_through_following_and_lists_them()
    {
        await using var fleet = await FleetServer.StartAsync(12, new FleetOptions { Following = FollowingGraph.Star });
        await using var aggregator = await TestAggregator.InitAsync([fleet[0].AcctUri]);

        var rebuild = await CliRunner.RunAsync("directory", "rebuild", "--data", aggregator.Folder);

        Assert.True(rebuild.ExitCode == 0, rebuild.ToString());
        Assert.Contains("Rebuilt: 12 listed of 12 found, 0 not listed", rebuild.Output, StringComparison.Ordinal);
        Assert.Equal(12, aggregator.Running!.Services.GetRequiredService<DirectoryStore>().Count);
        var search = await aggregator.GetJsonAsync("/api/directory/search?limit=100");
        Assert.Equal(12, search["total"]!.GetValue<int>());
        var entry = await aggregator.EntryAsync(fleet[3].ActorId.AbsoluteUri);
        Assert.NotNull(entry);
        Assert.Equal(5, entry["services"]!.AsArray().Count);
        Assert.Equal("Verified", entry["verification"]!["state"]!.GetValue<string>());
        Assert.NotNull(entry["charter"]);

        var status = await CliRunner.RunAsync("directory", "status", "--data", aggregator.Folder);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("Directory: 12 listed (0 stale)", status.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discovery_stops_at_the_configured_depth_and_count()
    {
        await using var fleet = await FleetServer.StartAsync(10, new FleetOptions { Following = FollowingGraph.Chain });
        await using var shallow = await TestAggregator.InitAsync([fleet[0].ActorId.AbsoluteUri], s => s["Discovery"]!["MaxDepth"] = 3);
        var report = await shallow.RunAsync("rebuild");
        Assert.Equal(4, report["listed"]!.GetValue<int>());

        await using var bounded = await TestAggregator.InitAsync([fleet[0].ActorId.AbsoluteUri], s =>
        {
            s["Discovery"]!["MaxDepth"] = 20;
            s["Discovery"]!["MaxChatons"] = 6;
        });
        report = await bounded.RunAsync("rebuild");
        Assert.Equal(6, report["found"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_discovered_actor_gone_for_longer_than_ForgetAfter_is_removed_then_no_longer_tracked()
    {
        await using var fleet = await FleetServer.StartAsync(3, new FleetOptions { Following = FollowingGraph.Chain });
        await using var aggregator = await TestAggregator.InitAsync([fleet[0].ActorId.AbsoluteUri], s =>
        {
            s["RemoveAfter"] = "00:00:00";
            s["ForgetAfter"] = "00:00:01";
        });
        Assert.Equal(3, (await aggregator.RunAsync("rebuild"))["listed"]!.GetValue<int>());

        // The end of the chain goes away: removed at the first poll, forgotten at a poll a second later; the seed
        // stays tracked whatever happens to it.
        fleet[2].AnswerWith(410);
        fleet[0].GoDown();
        await aggregator.RunAsync("refresh");
        Assert.Null(await aggregator.EntryAsync(fleet[2].ActorId.AbsoluteUri));
        Assert.NotNull(aggregator.Directory.Tracked(fleet[2].ActorId.AbsoluteUri));
        await Task.Delay(1100);
        await aggregator.RunAsync("refresh");
        Assert.Null(aggregator.Directory.Tracked(fleet[2].ActorId.AbsoluteUri));
        Assert.NotNull(aggregator.Directory.Tracked(fleet[0].ActorId.AbsoluteUri));
        Assert.NotNull(await aggregator.EntryAsync(fleet[0].ActorId.AbsoluteUri));
    }

    [Fact]
    public async Task Tampered_cross_origin_rolled_back_and_foreign_documents_are_refused_and_reported()
    {
        await using var fleet = await FleetServer.StartAsync(6, new FleetOptions { Following = FollowingGraph.Star });
        await using var aggregator = await TestAggregator.InitAsync([fleet[0].ActorId.AbsoluteUri]);
        await aggregator.RunAsync("rebuild");
        Assert.Equal(6, aggregator.Running!.Services.GetRequiredService<DirectoryStore>().Count);

        // A tampered actor: the chaton is not listed by a fresh aggregator, and the reason is reported.
        fleet[1].Tamper(fleet[1].ActorId);
        // A tampered service: the chaton stays listed, the service is refused.
        var tamperedService = fleet[2].ServiceUrl(fleet[2].Services[0].Slug);
        fleet[2].Tamper(tamperedService);
        // A service served as if it lived on another origin.
        var movedService = fleet[3].ServiceUrl(fleet[3].Services[1].Slug);
        fleet[3].ServeFromOtherOrigin(movedService, new Uri("http://127.0.0.2:9/"));
        // A service rolled back to an older `updated`, validly signed.
        var rolledBack = fleet[4].ServiceUrl(fleet[4].Services[2].Slug);
        fleet[4].RollBackUpdated(rolledBack, TimeSpan.FromDays(30));

        var refresh = await aggregator.RunAsync("refresh");
        Assert.Equal(6, refresh["found"]!.GetValue<int>());
        var diagnostics = await aggregator.GetJsonAsync("/api/directory/diagnostics");
        var rejections = diagnostics["rejections"]!.AsArray().Select(r => (Id: r!["documentId"]?.GetValue<string>(), Reason: r["reason"]!.GetValue<string>())).ToList();
        Assert.Contains((fleet[1].ActorId.AbsoluteUri, "InvalidProof"), rejections);
        Assert.Contains((tamperedService.AbsoluteUri, "InvalidProof"), rejections);
        Assert.Contains(rejections, r => r.Reason == "CrossOrigin");
        Assert.Contains((rolledBack.AbsoluteUri, "RolledBack"), rejections);

        await using var fresh = await TestAggregator.InitAsync([fleet[0].ActorId.AbsoluteUri]);
        var rebuilt = await fresh.RunAsync("rebuild");
        Assert.Equal(5, rebuilt["listed"]!.GetValue<int>());
        Assert.Null(await fresh.EntryAsync(fleet[1].ActorId.AbsoluteUri));
        var second = await fresh.EntryAsync(fleet[2].ActorId.AbsoluteUri);
        Assert.Equal(4, second!["services"]!.AsArray().Count);
        var problems = (await fresh.GetJsonAsync("/api/directory/diagnostics"))["problems"]!.AsArray();
        Assert.Contains(problems, p => p!["actorId"]!.GetValue<string>() == fleet[1].ActorId.AbsoluteUri && p["problem"]!.GetValue<string>().StartsWith("InvalidProof", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_actor_without_the_chatons_terms_is_not_listed_and_the_reason_says_so()
    {
        await using var fleet = await FleetServer.StartAsync(2, new FleetOptions { Following = FollowingGraph.None });
        fleet[1].Tamper(fleet[1].ActorId, actor => actor.Remove("structureType"));
        await using var aggregator = await TestAggregator.InitAsync([fleet[0].ActorId.AbsoluteUri, fleet[1].ActorId.AbsoluteUri]);

        var report = await aggregator.RunAsync("rebuild");

        Assert.Equal(1, report["listed"]!.GetValue<int>());
        var problem = aggregator.Directory.Tracked(fleet[1].ActorId.AbsoluteUri)!.Problem;
        Assert.StartsWith("MissingChatonsTerms", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delivered_update_is_applied_at_once_and_a_poll_heals_a_missed_one()
    {
        await using var fleet = await FleetServer.StartAsync(3, new FleetOptions { Following = FollowingGraph.None });
        await using var aggregator = await TestAggregator.InitAsync([.. fleet.Chatons.Select(c => c.ActorId.AbsoluteUri)]);
        await aggregator.RunAsync("rebuild");
        var slug = fleet[0].Services[0].Slug;

        var change = await fleet[0].UpdateServiceAsync(slug, s => s with { Name = "Pad renommé" }, [new Uri(aggregator.Inbox)]);

        Assert.All(change.Deliveries, d => Assert.True(d.Result.IsSuccess, d.Result.ToString()));
        var entry = await aggregator.EntryAsync(fleet[0].ActorId.AbsoluteUri);
        Assert.Contains(entry!["services"]!.AsArray(), s => s!["name"]!.GetValue<string>() == "Pad renommé");

        // Not delivered: the next poll (conditional requests) finds it.
        await fleet[1].UpdateServiceAsync(fleet[1].Services[0].Slug, s => s with { Name = "Visio renommée" });
        fleet.ResetRequestCounts();
        await aggregator.RunAsync("refresh");
        entry = await aggregator.EntryAsync(fleet[1].ActorId.AbsoluteUri);
        Assert.Contains(entry!["services"]!.AsArray(), s => s!["name"]!.GetValue<string>() == "Visio renommée");
    }

    [Fact]
    public async Task Two_aggregators_export_the_same_bytes_and_a_wiped_one_rebuilds_them_again()
    {
        await using var fleet = await FleetServer.StartAsync(15, new FleetOptions { Following = FollowingGraph.Ring(2) });
        await using var first = await TestAggregator.InitAsync([fleet[0].AcctUri], s => s["Discovery"]!["MaxDepth"] = 20);
        await using var second = await TestAggregator.InitAsync([fleet[0].ActorId.AbsoluteUri, fleet[7].ActorId.AbsoluteUri], s => s["Discovery"]!["MaxDepth"] = 20);
        await first.RunAsync("rebuild");
        await second.RunAsync("rebuild");

        foreach (var export in new[] { "/api/directory/export.geojson", "/api/directory/export.csv", "/api/directory/export/bundle.json" })
        {
            var one = await first.GetBytesAsync(export);
            var two = await second.GetBytesAsync(export);
            Assert.True(one.SequenceEqual(two), export + (export.EndsWith("bundle.json", StringComparison.Ordinal) ? "\n" + Describe(one) + "\n" + Describe(two) : string.Empty));
        }

        var geojson = JsonNode.Parse(await first.GetBytesAsync("/api/directory/export.geojson"))!;
        Assert.Equal(15, geojson["features"]!.AsArray().Count);
        var before = await first.GetBytesAsync("/api/directory/export/bundle.json");

        // Wipe the first one's directory file while it is stopped, then rebuild from the network alone.
        await first.StopAsync();
        File.Delete(Path.Combine(first.Folder, "directory.db"));
        var offline = await CliRunner.RunAsync("directory", "rebuild", "--data", first.Folder);
        Assert.True(offline.ExitCode == 0, offline.ToString());
        Assert.Contains("done", offline.Output, StringComparison.Ordinal);
        await first.StartAsync();
        var after = await first.GetBytesAsync("/api/directory/export/bundle.json");
        Assert.True(before.SequenceEqual(after), Describe(before) + "\n" + Describe(after));
        Assert.Equal(await second.GetBytesAsync("/api/directory/export.geojson"), await first.GetBytesAsync("/api/directory/export.geojson"));
    }

    private static string Describe(byte[] bundle) => string.Join(" ", JsonNode.Parse(bundle)!["chatons"]!.AsArray().Select(c =>
        $"{c!["actor"]!["preferredUsername"]}:{c["services"]!.AsArray().Count}{(c["attestation"] is null ? "" : "a")}{(c["servicesCollection"] is null ? "" : "c")}"));

    [Fact]
    public async Task A_bundle_from_another_aggregator_fills_a_new_one_and_a_forged_document_in_it_is_refused()
    {
        await using var fleet = await FleetServer.StartAsync(5, new FleetOptions { Following = FollowingGraph.None });
        await using var source = await TestAggregator.InitAsync([.. fleet.Chatons.Select(c => c.ActorId.AbsoluteUri)]);
        await source.RunAsync("rebuild");
        var bundle = Encoding.UTF8.GetString(await source.GetBytesAsync("/api/directory/export/bundle.json"));
        var forged = Encoding.UTF8.GetBytes(bundle.Replace(fleet[2].Profile.Name, fleet[2].Profile.Name + " (faux)", StringComparison.Ordinal));
        var file = Path.Combine(source.Folder, "bundle.json");
        await File.WriteAllBytesAsync(file, forged);

        await using var target = await TestAggregator.InitAsync([], start: false);
        var bootstrap = await CliRunner.RunAsync("directory", "bootstrap", "--data", target.Folder, file);

        Assert.True(bootstrap.ExitCode == 0, bootstrap.ToString());
        Assert.Contains("Bootstrapped: 4 listed of 5 found", bootstrap.Output, StringComparison.Ordinal);
        Assert.Contains(fleet[2].ActorId.AbsoluteUri, bootstrap.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_parameters_are_checked_and_bad_ones_get_400_with_a_reason()
    {
        await using var fleet = await FleetServer.StartAsync(4, new FleetOptions { Following = FollowingGraph.None });
        await using var aggregator = await TestAggregator.InitAsync([.. fleet.Chatons.Select(c => c.ActorId.AbsoluteUri)]);
        await aggregator.RunAsync("rebuild");

        foreach (var bad in new[] { "near=100,2&radius=5", "near=45,5", "bbox=1,2,3", "sort=distance", "registration=everyone", "limit=0", "colour=blue" })
        {
            using var response = await aggregator.Http.GetAsync("/api/directory/search?" + bad);
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
            Assert.False(string.IsNullOrWhiteSpace(await response.Content.ReadAsStringAsync()), bad);
        }

        var all = await aggregator.GetJsonAsync("/api/directory/search?near=46.5,2.5&radius=2000&sort=distance&limit=2");
        Assert.Equal(2, all["items"]!.AsArray().Count);
        Assert.NotNull(all["items"]![0]!["distanceKm"]);
        Assert.NotNull(all["nextCursor"]);
        using var cors = await aggregator.Http.GetAsync("/api/directory/search");
        Assert.Equal("*", cors.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var openApi = await aggregator.GetJsonAsync("/api/directory/openapi.json");
        Assert.StartsWith("3.1", openApi["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
