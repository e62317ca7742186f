using System.Text.Json.Nodes;

namespace ChatonsFed.Interop.Tests;

/// <summary>
/// A real aggregator (made by 'chatonsfed init --aggregator', served by NodeHost on 127.0.0.1) seeded with actors that
/// the real Fedify library serves: a chaton (peer.mjs --chaton, documents signed by Fedify's signObject) is verified,
/// listed, followed and kept up to date by Fedify's own Update; plain Fedify actors are reported, never listed.
/// </summary>
public sealed class AggregatorInteropTests
{
    private const double Seconds = 30;

    /// <remarks>With <paramref name="rejectRfc9421"/>, Fedify's inbox refuses the RFC 9421 first knock of the aggregator's Follow.</remarks>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_aggregator_lists_a_Fedify_chaton_found_by_its_handle_and_Fedify_accepts_its_Follow(bool rejectRfc9421)
    {
        await using var peer = await FedifyPeer.StartAsync(new FedifyPeerOptions { Name = "lynx", Chaton = true, RejectRfc9421 = rejectRfc9421 });
        await using var aggregator = await TestAggregator.InitAsync([Handle(peer)]);

        var entry = await WaitForEntryAsync(aggregator, peer);

        Assert.Equal("Fedify chaton lynx", entry["name"]!.GetValue<string>());
        Assert.Equal("ASSOCIATION", entry["structureType"]!.GetValue<string>());
        Assert.Equal("Verified", entry["verification"]!["state"]!.GetValue<string>());
        Assert.Equal(
            [peer.ActorUrl + "/services/cloud", peer.ActorUrl + "/services/pad"],
            entry["services"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(peer.ActorUrl + "/attestation", entry["charter"]!["id"]!.GetValue<string>());

        var search = await aggregator.GetJsonAsync("/api/directory/search?category=collaborative-writing&q=Fedify");
        var hit = Assert.Single(search["items"]!.AsArray());
        Assert.Equal(peer.ActorUrl, hit!["id"]!.GetValue<string>());
        Assert.Equal([peer.ActorUrl + "/services/pad"], hit["matchingServices"]!.AsArray().Select(s => s!.GetValue<string>()));

        // The aggregator's signed Follow: Fedify verifies it, lists the aggregator as a follower and answers Accept.
        var aggregatorActor = aggregator.PublicUrl + "/aggregator";
        await TestHost.WaitForAsync(
            async () => (await aggregator.GetJsonAsync("/api/directory/diagnostics"))["follows"]?["Accepted"]?.GetValue<int>() == 1,
            Seconds,
            "the aggregator recorded Fedify's Accept");
        var state = await peer.GetStateAsync();
        Assert.Contains(aggregatorActor, state.Followers);
        Assert.Empty(state.Errors);
        var followers = await GetActivityJsonAsync(peer.ActorUrl + "/followers");
        Assert.Contains(aggregatorActor, followers["orderedItems"]!.AsArray().Select(f => f!.GetValue<string>()));

        var diagnostics = await aggregator.GetJsonAsync("/api/directory/diagnostics");
        Assert.Equal(1, diagnostics["listed"]!.GetValue<int>());
        Assert.Empty(diagnostics["rejections"]!.AsArray());
    }

    /// <remarks>
    /// <paramref name="firstKnock"/> is the HTTP signature Fedify signs the Update with first. With <paramref name="embed"/> the
    /// Update carries the actor as Fedify serialises it in an activity, without the chatons terms: that copy is refused and
    /// reported, and the aggregator fetches the chaton's own copy instead.
    /// </remarks>
    [Theory]
    [InlineData("rfc9421", false)]
    [InlineData("draft-cavage", false)]
    [InlineData("rfc9421", true)]
    public async Task An_Update_Fedify_sends_to_its_followers_reaches_the_directory(string firstKnock, bool embed)
    {
        await using var peer = await FedifyPeer.StartAsync(new FedifyPeerOptions { Name = "lynx", Chaton = true, FirstKnock = firstKnock });
        // Polls are an hour apart: only the Update can bring the change within the test.
        await using var aggregator = await TestAggregator.InitAsync([Handle(peer)]);
        await WaitForEntryAsync(aggregator, peer);
        await TestHost.WaitForAsync(
            async () => (await peer.GetStateAsync()).Followers.Contains(aggregator.PublicUrl + "/aggregator"),
            Seconds,
            "Fedify lists the aggregator as a follower");

        var update = await peer.UpdateChatonAsync(name: "Lynx, renamed by Fedify", structureType: "COOPERATIVE", embed: embed);
        Assert.True(update.Ok, update.Error);
        Assert.Contains(aggregator.PublicUrl + "/aggregator", update.Followers!);

        JsonObject? entry = null;
        await TestHost.WaitForAsync(
            async () => (entry = await aggregator.EntryAsync(peer.ActorUrl))?["name"]?.GetValue<string>() == "Lynx, renamed by Fedify",
            Seconds,
            "the renamed chaton is in the directory");
        Assert.Equal("COOPERATIVE", entry!["structureType"]!.GetValue<string>());
        Assert.Equal(DateTimeOffset.Parse(update.Updated!, System.Globalization.CultureInfo.InvariantCulture), entry["updated"]!.GetValue<DateTimeOffset>());
        var found = await aggregator.GetJsonAsync("/api/directory/search?structure=COOPERATIVE");
        Assert.Equal(peer.ActorUrl, Assert.Single(found["items"]!.AsArray())!["id"]!.GetValue<string>());
        Assert.Equal("Verified", entry["verification"]!["state"]!.GetValue<string>());
        var rejections = (await aggregator.GetJsonAsync("/api/directory/diagnostics"))["rejections"]!.AsArray();
        if (embed)
        {
            var rejection = Assert.Single(rejections)!;
            Assert.Equal("Actor", rejection["kind"]!.GetValue<string>());
            Assert.Equal("MissingChatonsTerms", rejection["reason"]!.GetValue<string>());
        }
        else
        {
            Assert.Empty(rejections);
        }
    }

    [Fact]
    public async Task Plain_Fedify_actors_are_not_listed_and_the_reason_is_reported()
    {
        await using var organization = await FedifyPeer.StartAsync(new FedifyPeerOptions { Name = "plain", ActorType = "Organization" });
        await using var person = await FedifyPeer.StartAsync(new FedifyPeerOptions { Name = "person", ActorType = "Person" });
        await using var application = await FedifyPeer.StartAsync(new FedifyPeerOptions { Name = "app", ActorType = "Application" });
        var expected = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [organization.ActorUrl] = "MissingChatonsTerms",
            [person.ActorUrl] = "WrongType",
            [application.ActorUrl] = "WrongType",
        };
        await using var aggregator = await TestAggregator.InitAsync([Handle(organization), Handle(person), Handle(application)]);

        JsonObject diagnostics = [];
        await TestHost.WaitForAsync(
            async () => (diagnostics = await aggregator.GetJsonAsync("/api/directory/diagnostics"))["problems"]!.AsArray().Count == expected.Count,
            Seconds,
            "the three Fedify actors are reported");

        Assert.Equal(0, diagnostics["listed"]!.GetValue<int>());
        Assert.Equal(3, diagnostics["notListed"]!.GetValue<int>());
        foreach (var problem in diagnostics["problems"]!.AsArray())
        {
            var actor = problem!["actorId"]!.GetValue<string>();
            Assert.False(problem["listed"]!.GetValue<bool>());
            Assert.StartsWith(expected[actor] + ": ", problem["problem"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        Assert.Equal(
            expected.OrderBy(e => e.Key, StringComparer.Ordinal),
            diagnostics["rejections"]!.AsArray()
                .Select(r => KeyValuePair.Create(r!["actorId"]!.GetValue<string>(), r["reason"]!.GetValue<string>()))
                .OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.Contains(
            diagnostics["rejections"]!.AsArray(),
            r => r!["reason"]!.GetValue<string>() == "MissingChatonsTerms" && r["message"]!.GetValue<string>().Contains("structureType", StringComparison.Ordinal));

        Assert.Equal(0, (await aggregator.GetJsonAsync("/api/directory/search"))["total"]!.GetValue<int>());
        foreach (var actor in expected.Keys)
        {
            Assert.Null(await aggregator.EntryAsync(actor));
        }

        // The command line asks the running node: each actor on its own line with its reason.
        var status = await CliRunner.RunAsync("directory", "status", "--data", aggregator.Folder);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("0 listed", status.Output, StringComparison.Ordinal);
        foreach (var (actor, reason) in expected)
        {
            Assert.Contains($"  {actor}: {reason}: ", status.Output, StringComparison.Ordinal);
        }

        // Nothing listed, nothing followed.
        foreach (var peer in new[] { organization, person, application })
        {
            Assert.Empty((await peer.GetStateAsync()).Followers);
        }
    }

    [Fact]
    public async Task Fedify_follows_the_aggregator_found_by_WebFinger_and_receives_the_note_of_a_new_chaton()
    {
        await using var reader = await FedifyPeer.StartAsync(new FedifyPeerOptions { Name = "reader", ActorType = "Person" });
        await using var lynx = await FedifyPeer.StartAsync(new FedifyPeerOptions { Name = "lynx", Chaton = true });
        await using var aggregator = await TestAggregator.InitAsync([], s => s["Notes"] = new JsonObject { ["Enabled"] = true });

        // Fedify finds the aggregator's actor by its handle and follows it; the aggregator's Accept verifies.
        var found = await reader.WebFingerLookupAsync($"directory@{new Uri(aggregator.PublicUrl).Authority}", new Uri(aggregator.PublicUrl));
        Assert.True(found.Ok, found.Error);
        Assert.Equal(aggregator.PublicUrl + "/aggregator", found.Id);
        var follow = await reader.FollowAsync(found.Id!);
        Assert.True(follow.Ok && follow.Accepted, follow.Error ?? "no Accept within the wait");
        var followers = await aggregator.GetJsonAsync("/aggregator/followers");
        Assert.Equal(1, followers["totalItems"]!.GetValue<int>());

        // A chaton served by Fedify is followed by the aggregator: its note reaches the reader, whose inbox verified it.
        var followed = await CliRunner.RunAsync("directory", "follow", lynx.ActorUrl, "--data", aggregator.Folder);
        Assert.True(followed.ExitCode == 0, followed.ToString());
        var page = aggregator.PublicUrl + "/chaton?id=" + Uri.EscapeDataString(lynx.ActorUrl);
        JsonObject? create = null;
        await TestHost.WaitForAsync(
            async () => (create = (await reader.GetStateAsync()).Received.FirstOrDefault(a => a["type"]?.GetValue<string>() == "Create")) is not null,
            Seconds,
            "the reader received the Create of the note");
        Assert.Equal(aggregator.PublicUrl + "/aggregator", create!["actor"]!.GetValue<string>());
        Assert.StartsWith(aggregator.PublicUrl + "/aggregator/notes/", create["_objectId"]!.GetValue<string>(), StringComparison.Ordinal);
        // Fedify's JSON-LD of the object may repeat a member (as compacted): read as written, member by member.
        using var note = System.Text.Json.JsonDocument.Parse(create["object"]!.ToJsonString());
        var texts = Strings(note.RootElement).ToList();
        Assert.True(texts.Any(t => t.Contains($"<a href=\"{page}\">Fedify chaton lynx</a>", StringComparison.Ordinal)), create["object"]!.ToJsonString());
        Assert.Empty((await reader.GetStateAsync()).Errors);
    }

    /// <summary>Every string value inside <paramref name="element"/>.</summary>
    private static IEnumerable<string> Strings(System.Text.Json.JsonElement element) => element.ValueKind switch
    {
        System.Text.Json.JsonValueKind.String => [element.GetString()!],
        System.Text.Json.JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        System.Text.Json.JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    /// <summary>The peer actor's handle as a seed: acct:NAME@127.0.0.1:PORT (WebFinger over http on loopback).</summary>
    private static string Handle(FedifyPeer peer) =>
        $"acct:{peer.ActorUrl[(peer.ActorUrl.LastIndexOf('/') + 1)..]}@{peer.BaseUrl.Authority}";

    /// <summary>The directory entry of the peer's actor once listed; on time-out, fails with the aggregator's diagnostics.</summary>
    private static async Task<JsonObject> WaitForEntryAsync(TestAggregator aggregator, FedifyPeer peer)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < Seconds)
        {
            if (await aggregator.EntryAsync(peer.ActorUrl) is { } entry)
            {
                return entry;
            }

            await Task.Delay(100);
        }

        var diagnostics = await aggregator.GetJsonAsync("/api/directory/diagnostics");
        Assert.Fail($"{peer.ActorUrl} not listed within {Seconds} s; diagnostics: {diagnostics.ToJsonString()}; peer stderr: {peer.Stderr}");
        return [];
    }

    private static async Task<JsonObject> GetActivityJsonAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd(LoopbackServer.ActivityJson);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }
}
