using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Aggregator.Storage;
using ChatonsFed.Aggregator.Tracking;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Node.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace ChatonsFed.Aggregation.Tests;

/// <summary>
/// Real chaton nodes ('chatonsfed init', 'profile set', 'service add', 'attestation set', served by the node host) and
/// real aggregators, all on 127.0.0.1: seeds and follows, equal exports, deliveries, staleness, tampered documents.
/// </summary>
public sealed class RealNodeTests
{
    internal static readonly string[] Exports = ["/api/directory/export.geojson", "/api/directory/export.csv", "/api/directory/export/bundle.json"];

    internal static readonly string[][] Lynx =
    [
        ["profile", "set", "--summary", "Hébergeur associatif de la Drôme.\n\nPads et courriel.", "--structure-type", "ASSOCIATION", "--country", "FR",
            "--latitude", "44.93", "--longitude", "4.89", "--place-name", "Valence", "--website", "https://lynx.example", "--membership-status", "ACTIVE", "--member-since", "2019-03-01"],
        ["service", "add", "--slug", "pad", "--category", "collaborative-writing", "--name", "Pad", "--url", "https://pad.lynx.example", "--software", "Etherpad",
            "--software-version", "2.2.6", "--license", "Apache-2.0", "--registration", "none", "--capacity", "open", "--status", "ok"],
        ["service", "add", "--slug", "mail", "--category", "email", "--name", "Courriel", "--url", "https://mail.lynx.example", "--software", "Roundcube", "--registration", "member"],
        ["attestation", "set", "--all-required-met"],
    ];

    internal static readonly string[][] Marmotte =
    [
        ["profile", "set", "--summary", "Coopérative de Genève.", "--structure-type", "COOPERATIVE", "--country", "CH", "--latitude", "46.2044", "--longitude", "6.1432",
            "--place-name", "Genève", "--contact", "mailto:contact@marmotte.example", "--membership-status", "IDLE"],
        ["service", "add", "--slug", "visio", "--category", "video-conference", "--name", "Visio", "--url", "https://visio.marmotte.example", "--software", "Jitsi Meet",
            "--registration", "free", "--capacity", "full", "--status", "degraded"],
        ["attestation", "set", "--all-required-met", "--not-met", "transparent.finances"],
    ];

    private static readonly string[][] Hibou =
    [
        ["profile", "set", "--summary", "Un hébergeur individuel, sans adresse publique.", "--structure-type", "INDIVIDUAL", "--country", "BE"],
        ["service", "add", "--slug", "pad", "--category", "collaborative-writing", "--name", "Bloc-notes", "--url", "https://pad.hibou.example", "--software", "HedgeDoc", "--registration", "free"],
        ["service", "add", "--slug", "drop", "--category", "file-sharing", "--name", "Dépôt", "--url", "https://drop.hibou.example", "--software", "Lufi", "--registration", "none"],
        ["attestation", "set", "--met", "collective.respect", "--not-met", "open.free-software"],
    ];

    [Fact]
    public async Task Three_nodes_seeded_by_handle_or_followed_by_url_are_listed_followed_and_exported_alike_by_two_aggregators_even_after_a_wipe()
    {
        await using var lynx = await StartChatonAsync("lynx", "Lynx Net", Lynx);
        await using var marmotte = await StartChatonAsync("marmotte", "La Marmotte", Marmotte);
        await using var hibou = await StartChatonAsync("hibou", "Hibou", Hibou);
        TestNode[] nodes = [lynx, marmotte, hibou];

        // One aggregator is seeded with acct: handles (WebFinger); the other follows actor URLs with the command line.
        await using var byHandle = await TestAggregator.InitAsync(nodes.Select(Acct));
        await using var byUrl = await TestAggregator.InitAsync([]);
        foreach (var node in nodes)
        {
            var follow = await CliAsync("directory", "follow", ActorId(node), "--data", byUrl.Folder);
            Assert.Contains($"Following {ActorId(node)} (through the running node): listed; follow requested", follow.Output, StringComparison.Ordinal);
        }

        await WaitForFollowsAsync(byHandle, nodes);
        await WaitForFollowsAsync(byUrl, nodes);
        var status = await CliAsync("directory", "status", "--data", byHandle.Folder);
        Assert.Contains("Directory: 3 listed (0 stale); 3 actors tracked: 0 not listed", status.Output, StringComparison.Ordinal);
        Assert.Contains("Follows: accepted 3", status.Output, StringComparison.Ordinal);
        Assert.Contains(Acct(hibou), status.Output, StringComparison.Ordinal);
        Assert.Contains(ActorId(hibou), (await CliAsync("directory", "status", "--data", byUrl.Folder)).Output, StringComparison.Ordinal);

        // The aggregator's following collection is paged, as a node's collections are.
        var following = await byHandle.GetJsonAsync("/aggregator/following");
        Assert.Equal(3, following["totalItems"]!.GetValue<int>());
        var first = await byHandle.GetJsonAsync(new Uri(following["first"]!.GetValue<string>()).PathAndQuery);
        Assert.Equal("OrderedCollectionPage", first["type"]!.GetValue<string>());
        Assert.Equal(nodes.Select(ActorId).Order(StringComparer.Ordinal), first["orderedItems"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.Null(first["next"]);

        var exports = await ExportsAsync(byHandle);
        AssertSameExports(exports, await ExportsAsync(byUrl), "two aggregators");
        var features = JsonNode.Parse(exports[0])!["features"]!.AsArray();
        Assert.Equal(nodes.Select(ActorId).Order(StringComparer.Ordinal), features.Select(f => f!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(["ASSOCIATION", "COOPERATIVE", "INDIVIDUAL"], features.Select(f => f!["properties"]!["structureType"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(5, features.Sum(f => f!["properties"]!["services"]!.AsArray().Count));
        Assert.Null(features.Single(f => f!["id"]!.GetValue<string>() == ActorId(hibou))!["geometry"]);
        Assert.Equal(4, Encoding.UTF8.GetString(exports[1]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        var lynxEntry = await byUrl.EntryAsync(ActorId(lynx));
        Assert.True(lynxEntry!["charter"]!["declaresAllRequiredCriteria"]!.GetValue<bool>());
        Assert.False((await byUrl.EntryAsync(ActorId(hibou)))!["charter"]!["declaresAllRequiredCriteria"]!.GetValue<bool>());

        // Wiped by 'directory rebuild', the directory is made again from the nodes alone, byte for byte.
        var rebuild = await CliAsync("directory", "rebuild", "--data", byHandle.Folder);
        Assert.Contains("Rebuilt: 3 listed of 3 found", rebuild.Output, StringComparison.Ordinal);
        AssertSameExports(exports, await ExportsAsync(byHandle), "after 'directory rebuild'");

        // The directory file deleted while the aggregator is stopped: the poll at start fills it again.
        await byHandle.StopAsync();
        File.Delete(Path.Combine(byHandle.Folder, "directory.db"));
        await byHandle.StartAsync();
        await TestHost.WaitForAsync(async () => (await byHandle.GetBytesAsync(Exports[2])).SequenceEqual(exports[2]), 20, "the bundle rebuilt after the directory file was deleted");
        AssertSameExports(exports, await ExportsAsync(byHandle), "after the directory file was deleted");
        AssertSameExports(exports, await ExportsAsync(byUrl), "the other aggregator, still");
    }

    [Fact]
    public async Task A_service_changed_added_or_removed_on_a_node_is_searchable_within_one_delivery_without_a_poll()
    {
        await using var lynx = await StartChatonAsync("lynx", "Lynx Net", Lynx);
        // No seed: the poll at start has nothing to do, and the next one is an hour away.
        await using var aggregator = await TestAggregator.InitAsync([], s => s["PollInterval"] = "1.00:00:00");
        await TestHost.WaitForAsync(() => Task.FromResult(aggregator.Directory.LastCrawlAt is not null), 10, "the poll at start");
        await CliAsync("directory", "follow", Acct(lynx), "--data", aggregator.Folder);
        await WaitForFollowsAsync(aggregator, [lynx]);
        var lastPoll = aggregator.Directory.LastCrawlAt;
        Assert.Equal(1, await TotalAsync(aggregator, "category=collaborative-writing"));
        Assert.Equal(0, await TotalAsync(aggregator, "category=whiteboard"));

        await CliAsync("service", "update", "pad", "--category", "whiteboard", "--name", "Tableau blanc", "--software", "Excalidraw", "--data", lynx.Folder);
        await WaitForTotalAsync(aggregator, "category=whiteboard&software=excalidraw", 1);
        Assert.Equal(0, await TotalAsync(aggregator, "category=collaborative-writing"));

        await CliAsync("service", "add", "--slug", "drop", "--category", "file-sharing", "--name", "Dépôt", "--url", "https://drop.lynx.example", "--software", "Lufi", "--data", lynx.Folder);
        await WaitForTotalAsync(aggregator, "category=file-sharing&software=Lufi", 1);
        var entry = await aggregator.EntryAsync(ActorId(lynx));
        Assert.Equal(3, entry!["services"]!.AsArray().Count);
        await AssertRebuildGivesTheSameAsync(lynx, aggregator);

        await CliAsync("service", "remove", "drop", "--data", lynx.Folder);
        await WaitForTotalAsync(aggregator, "category=file-sharing", 0);
        await AssertRebuildGivesTheSameAsync(lynx, aggregator);

        // A profile change is delivered the same way.
        await CliAsync("profile", "set", "--place-name", "Romans-sur-Isère", "--latitude", "45.04", "--longitude", "5.05", "--data", lynx.Folder);
        await WaitForTotalAsync(aggregator, "q=romans", 1);
        Assert.Equal(lastPoll, aggregator.Directory.LastCrawlAt);
    }

    [Fact]
    public async Task A_node_that_goes_down_is_flagged_stale_after_a_poll_and_cleared_when_it_answers_again()
    {
        await using var lynx = await StartChatonAsync("lynx", "Lynx Net", Lynx);
        await using var hibou = await StartChatonAsync("hibou", "Hibou", Hibou);
        await using var aggregator = await TestAggregator.InitAsync([ActorId(lynx), ActorId(hibou)], s => s["StaleAfter"] = "00:00:02");
        await TestHost.WaitForAsync(() => Task.FromResult(aggregator.Running!.Services.GetRequiredService<DirectoryStore>().Count == 2), 20, "both chatons listed");
        var seenBefore = (await aggregator.EntryAsync(ActorId(hibou)))!["verification"]!["lastSeen"]!.GetValue<DateTimeOffset>();

        await hibou.StopAsync();
        await TestHost.WaitForAsync(async () =>
        {
            await CliAsync("directory", "refresh", "--data", aggregator.Folder);
            return (await aggregator.EntryAsync(ActorId(hibou)))!["verification"]!["stale"]!.GetValue<bool>();
        }, 20, "the stopped node flagged stale after a poll");

        var verification = (await aggregator.EntryAsync(ActorId(hibou)))!["verification"]!;
        Assert.Equal(seenBefore, verification["lastSeen"]!.GetValue<DateTimeOffset>());
        Assert.False((await aggregator.EntryAsync(ActorId(lynx)))!["verification"]!["stale"]!.GetValue<bool>());
        Assert.Equal(2, await TotalAsync(aggregator, "stale=include"));
        Assert.Equal(1, await TotalAsync(aggregator, "stale=exclude"));
        var status = await CliAsync("directory", "status", "--data", aggregator.Folder);
        Assert.Contains("Directory: 2 listed (1 stale)", status.Output, StringComparison.Ordinal);
        Assert.Contains("1 unreachable", status.Output, StringComparison.Ordinal);
        Assert.Contains(ActorId(hibou) + " (failing since", status.Output, StringComparison.Ordinal);

        await hibou.StartOnPublicUrlAsync();
        await CliAsync("directory", "refresh", "--data", aggregator.Folder);
        verification = (await aggregator.EntryAsync(ActorId(hibou)))!["verification"]!;
        Assert.False(verification["stale"]!.GetValue<bool>());
        Assert.True(verification["lastSeen"]!.GetValue<DateTimeOffset>() > seenBefore);
        Assert.Equal(2, await TotalAsync(aggregator, "stale=exclude"));
        Assert.Contains("Directory: 2 listed (0 stale)", (await CliAsync("directory", "status", "--data", aggregator.Folder)).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_whose_documents_are_altered_on_the_way_is_not_listed_and_the_refusal_is_reported()
    {
        await using var lynx = await StartChatonAsync("lynx", "Lynx Net", Lynx);
        // Hibou's public URL is the proxy's; the node itself listens elsewhere, behind it.
        var publicUrl = $"http://127.0.0.1:{TestHost.FreePort()}";
        await using var hibou = await InitChatonAsync("hibou", "Hibou", publicUrl, Hibou);
        await hibou.StartAsync();
        await using var proxy = await TamperingProxy.StartAsync(publicUrl, hibou.Running!.Address);
        proxy.Tamper = ("/actor", actor => actor["name"] = "Hibou, contrefait");
        await using var aggregator = await TestAggregator.InitAsync([]);

        await CliAsync("directory", "follow", ActorId(lynx), "--data", aggregator.Folder);
        var refused = await CliRunner.RunAsync("directory", "follow", ActorId(hibou), "--data", aggregator.Folder);

        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains($"Following {ActorId(hibou)} (through the running node): not listed: InvalidProof", refused.Output, StringComparison.Ordinal);
        Assert.True(proxy.Tampered > 0);
        Assert.Null(await aggregator.EntryAsync(ActorId(hibou)));
        Assert.Equal(1, await TotalAsync(aggregator, string.Empty));
        var diagnostics = await aggregator.GetJsonAsync("/api/directory/diagnostics");
        Assert.Contains(diagnostics["problems"]!.AsArray(), p => p!["actorId"]!.GetValue<string>() == ActorId(hibou)
            && !p["listed"]!.GetValue<bool>() && p["problem"]!.GetValue<string>().StartsWith("InvalidProof", StringComparison.Ordinal));
        Assert.Contains((ActorId(hibou), "InvalidProof"), Rejections(diagnostics));
        var status = await CliAsync("directory", "status", "--data", aggregator.Folder);
        Assert.Contains("Directory: 1 listed (0 stale); 2 actors tracked: 1 not listed", status.Output, StringComparison.Ordinal);
        Assert.Contains($"  {ActorId(hibou)}: InvalidProof", status.Output, StringComparison.Ordinal);
        Assert.Contains($"Actor {ActorId(hibou)}: InvalidProof", status.Output, StringComparison.Ordinal);

        // Only the listed chaton is followed: once lynx accepted, hibou has still received no Follow.
        await WaitForFollowsAsync(aggregator, [lynx]);
        Assert.Equal(FollowState.None, aggregator.Directory.Tracked(ActorId(hibou))!.Follow);
        Assert.Equal(0, hibou.Running.NodeStore.Followers.Count());

        // A service altered on the way: the chaton is listed without it, and the refusal is reported.
        proxy.Tamper = ("/services/pad", service => service["name"] = "Bloc-notes gratuit");
        await CliAsync("directory", "refresh", "--data", aggregator.Folder);
        var entry = await aggregator.EntryAsync(ActorId(hibou));
        Assert.NotNull(entry);
        Assert.Equal([publicUrl + "/services/drop"], entry["services"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()));
        Assert.Equal("PartlyRejected", entry["verification"]!["state"]!.GetValue<string>());
        Assert.Contains((publicUrl + "/services/pad", "InvalidProof"), Rejections(await aggregator.GetJsonAsync("/api/directory/diagnostics")));
        status = await CliAsync("directory", "status", "--data", aggregator.Folder);
        Assert.Contains($"Service {publicUrl}/services/pad: InvalidProof", status.Output, StringComparison.Ordinal);
    }

    internal static string ActorId(TestNode node) => node.PublicUrl + "/actor";

    private static string Acct(TestNode node) => $"acct:{node.Running!.Profile.Get().Handle}@{new Uri(node.PublicUrl).Authority}";

    /// <summary>A node made with 'chatonsfed init' and changed with <paramref name="changes"/> (commands without --data), serving at its public URL.</summary>
    internal static async Task<TestNode> StartChatonAsync(string handle, string name, string[][] changes)
    {
        var node = await InitChatonAsync(handle, name, $"http://127.0.0.1:{TestHost.FreePort()}", changes);
        await node.StartOnPublicUrlAsync();
        return node;
    }

    private static async Task<TestNode> InitChatonAsync(string handle, string name, string publicUrl, string[][] changes)
    {
        var node = await TestNode.InitAsync(publicUrl, start: false, handle, name);
        foreach (var change in changes)
        {
            await CliAsync([.. change, "--data", node.Folder]);
        }

        return node;
    }

    internal static async Task<CliResult> CliAsync(params string[] args)
    {
        var result = await CliRunner.RunAsync(args);
        Assert.True(result.ExitCode == 0, $"chatonsfed {string.Join(' ', args)}\n{result}");
        return result;
    }

    /// <summary>Waits until each node accepted the aggregator's Follow: the aggregator recorded the Accept, and the node lists the aggregator among its followers.</summary>
    internal static Task WaitForFollowsAsync(TestAggregator aggregator, IReadOnlyList<TestNode> nodes) =>
        TestHost.WaitForAsync(() => Task.FromResult(nodes.All(node =>
            aggregator.Directory.Tracked(ActorId(node))?.Follow == FollowState.Accepted
            && node.Running!.NodeStore.Followers.FindById(aggregator.Running!.Services.GetRequiredService<AggregatorUrls>().Actor) is not null)), 20, "every node accepted the aggregator's Follow");

    /// <summary>What was delivered to <paramref name="aggregator"/> is what a new one rebuilds from the node now, byte for byte.</summary>
    private static async Task AssertRebuildGivesTheSameAsync(TestNode node, TestAggregator aggregator)
    {
        await using var fresh = await TestAggregator.InitAsync([ActorId(node)], s => s["FollowChatons"] = false);
        await CliAsync("directory", "rebuild", "--data", fresh.Folder);
        AssertSameExports(await ExportsAsync(fresh), await ExportsAsync(aggregator), "delivered changes, then a rebuild");
    }

    internal static async Task<int> TotalAsync(TestAggregator aggregator, string query) =>
        (await aggregator.GetJsonAsync("/api/directory/search?" + query))["total"]!.GetValue<int>();

    private static Task WaitForTotalAsync(TestAggregator aggregator, string query, int total) =>
        TestHost.WaitForAsync(async () => await TotalAsync(aggregator, query) == total, 10, $"{total} hit(s) for {query}");

    internal static async Task<byte[][]> ExportsAsync(TestAggregator aggregator) =>
        await Task.WhenAll(Exports.Select(aggregator.GetBytesAsync));

    internal static void AssertSameExports(byte[][] expected, byte[][] actual, string what)
    {
        for (var i = 0; i < Exports.Length; i++)
        {
            Assert.True(expected[i].SequenceEqual(actual[i]), $"{what}: {Exports[i]} differs\n{Around(expected[i], actual[i])}");
        }
    }

    /// <summary>Both texts around the first byte where they differ.</summary>
    private static string Around(byte[] one, byte[] two)
    {
        var at = one.Zip(two).TakeWhile(p => p.First == p.Second).Count();
        string Window(byte[] bytes) => Encoding.UTF8.GetString(bytes, Math.Max(0, at - 200), Math.Min(bytes.Length, at + 200) - Math.Max(0, at - 200));
        return $"at byte {at}:\n{Window(one)}\n{Window(two)}";
    }

    private static List<(string? Id, string Reason)> Rejections(JsonObject diagnostics) =>
        [.. diagnostics["rejections"]!.AsArray().Select(r => (r!["documentId"]?.GetValue<string>(), r["reason"]!.GetValue<string>()))];
}
