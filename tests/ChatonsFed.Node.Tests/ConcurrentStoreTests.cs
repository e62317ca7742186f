using System.Net;
using System.Text.Json.Nodes;
using ChatonsFed.Node.Hosting;
using ChatonsFed.Protocol.HttpSignatures;

namespace ChatonsFed.Node.Tests;

/// <summary>
/// Many signed Follows and Undos (each a durable write) at once, interleaved with reads of every public document
/// and with owner changes: the node's store stays consistent and keeps answering.
/// </summary>
public sealed class ConcurrentStoreTests
{
    private const int Activities = 160;
    private const int Rounds = 5;

    [Fact]
    public async Task Concurrent_writes_and_reads_all_succeed_and_leave_the_store_consistent()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var node = await TestNode.InitAsync(start: false);
        await node.ConfigureAsync(settings => settings["InboxRequestsPerMinute"] = 100_000);
        await node.StartAsync();
        var inbox = new Uri(node.Running!.Address, "/actor/inbox");

        // The race this guards against (concurrent LiteDB reads and writes) shows up in some bursts only: five of them.
        for (var round = 0; round < Rounds; round++)
        {
            // Sign everything first, so that the requests themselves arrive together.
            var requests = new List<CapturedRequest>();
            for (var i = 0; i < Activities; i++)
            {
                var follow = peer.Follow($"concurrent-follow-{round}-{i}");
                requests.Add(PeerServer.Sign(follow, inbox, i % 2 == 0 ? HttpSignatureFlavour.Rfc9421 : HttpSignatureFlavour.Cavage, peer.SigningKey));
                if (i % 4 == 3)
                {
                    var undo = peer.Activity($"concurrent-undo-{round}-{i}", "Undo", follow.DeepClone());
                    requests.Add(PeerServer.Sign(undo, inbox, HttpSignatureFlavour.Rfc9421, peer.SigningKey));
                }
            }

            using var gate = new SemaphoreSlim(0);
            var posts = requests.Select(async request =>
            {
                await gate.WaitAsync();
                using var response = await PeerServer.SendAsync(node.Http, request);
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
            }).ToList();
            string[] paths = ["/actor", "/actor/followers", "/actor/outbox", "/services", "/attestation", "/.well-known/nodeinfo"];
            var reads = Enumerable.Range(0, 240).Select(async i =>
            {
                await gate.WaitAsync();
                using var request = new HttpRequestMessage(HttpMethod.Get, paths[i % paths.Length]);
                request.Headers.Accept.ParseAdd("application/activity+json");
                using var response = await node.Http.SendAsync(request);
                return (response.StatusCode, Body: paths[i % paths.Length]);
            }).ToList();
            var changes = Enumerable.Range(0, 6).Select(async i =>
            {
                await gate.WaitAsync();
                await node.Running.ServiceCatalogue.AddAsync(new ChatonsFed.Directory.Node.ServiceChanges
                {
                    Category = "collaborative-writing",
                    Name = $"Pad {round} {i}",
                    Url = $"https://pad{round}-{i}.example",
                });
                return (StatusCode: HttpStatusCode.OK, Body: "service");
            }).ToList();
            gate.Release(posts.Count + reads.Count + changes.Count);

            var results = await Task.WhenAll(posts.Concat(reads).Concat(changes));
            Assert.All(results, r => Assert.True((int)r.StatusCode is >= 200 and < 300, $"{r.StatusCode}: {r.Body}"));
        }

        // Every Follow was recorded once; the last activity of the peer decides whether it follows. Since the Undos
        // raced their Follows, only check that the store answers and holds at most this one follower.
        Assert.InRange(node.Running.NodeStore.Followers.Count(), 0, 1);
        Assert.Equal(6 * Rounds, node.Running.ServiceCatalogue.List().Count);
        using var actor = new HttpRequestMessage(HttpMethod.Get, "/actor");
        actor.Headers.Accept.ParseAdd("application/activity+json");
        using var after = await node.Http.SendAsync(actor);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        var services = JsonNode.Parse(await node.Http.GetStringAsync("/services"))!;
        Assert.Equal(6 * Rounds, services["totalItems"]!.GetValue<int>());

        // The same Follows again are recognised as already processed: every one was recorded.
        for (var i = 0; i < 8; i++)
        {
            using var again = await PeerServer.SendAsync(node.Http, PeerServer.Sign(peer.Follow($"concurrent-follow-1-{i}"), inbox, HttpSignatureFlavour.Rfc9421, peer.SigningKey));
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
            Assert.Contains("already processed", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }
}
