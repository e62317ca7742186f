using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using ChatonsFed.Federation.Signing;
using ChatonsFed.Node.Hosting;
using ChatonsFed.Protocol.HttpSignatures;
using ChatonsFed.Protocol.Keys;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;

namespace ChatonsFed.Node.Tests;

/// <summary>
/// Strangers' junk against a node, as an attacker sends it: signed POSTs naming keys on many hosts, from many client
/// addresses (behind the node's local proxy) or from one. The store stays small, key fetches stay within their
/// budget, and genuine peers are still served.
/// </summary>
public sealed class JunkFloodTests(ITestOutputHelper output)
{
    private const int FetchesPerMinute = 120;

    /// <summary>The key every junk request is signed with: it is nobody's.</summary>
    private static readonly Lazy<RsaKeyPair> JunkKey = new(() => RsaKeyPair.Generate());

    [Fact]
    public async Task A_flood_naming_keys_on_many_hosts_leaves_the_store_small_bounds_the_fetches_and_still_serves_genuine_peers()
    {
        await using var keyHosts = await KeyHosts.StartAsync(8);
        await using var peer = await PeerServer.StartAsync();
        await using var newcomer = await PeerServer.StartAsync("127.0.0.20");
        await using var node = await TestNode.InitAsync();
        var inbox = new Uri(node.Running!.Address, "/inbox");
        using (var follow = await peer.PostAsync(node.Http, inbox, peer.Follow("before"), HttpSignatureFlavour.Rfc9421))
        {
            Assert.Equal(HttpStatusCode.Accepted, follow.StatusCode);
        }

        var sizeBefore = StoreBytes(node);

        // 2,000 requests, each naming its own key: on one of 8 servers that serve a large actor document for any path
        // (with a key that is not the signer's), or on a host that answers nothing. From 100 client addresses, 20
        // each: under the per-address limit, so the fetch budget alone has to hold.
        var junk = Enumerable.Range(0, 2000).Select(i =>
        {
            var keyId = i % 10 == 9 ? $"http://127.0.0.30:9/k/{i}#main-key" : keyHosts.KeyId(i);
            return WithClient(Junk(inbox, keyId), $"198.51.100.{i % 100}");
        }).ToList();
        var clock = Stopwatch.StartNew();
        var statuses = await SendAllAsync(node, junk, concurrency: 16, during: junk.Count / 2, async () =>
        {
            using var again = await peer.PostAsync(node.Http, inbox, peer.Follow("during"), HttpSignatureFlavour.Cavage);
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        });
        var elapsed = clock.Elapsed;

        var fetches = keyHosts.Fetches;
        var sizeAfter = StoreBytes(node);
        var store = node.Running.NodeStore;
        output.WriteLine($"flood: {junk.Count} POSTs in {elapsed.TotalSeconds:0.0} s; answers {string.Join(", ", statuses.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"))}");
        output.WriteLine($"key fetches made: {fetches} (budget {FetchesPerMinute}/min); store {sizeBefore} → {sizeAfter} bytes; remote keys {store.RemoteKeys.Count()}, actors {store.RemoteActors.Count()}");

        Assert.All(statuses, s => Assert.True(s is 401 or 503, $"junk answered {s}"));
        Assert.Contains(503, statuses);
        Assert.InRange(fetches, 1, FetchesPerMinute + (int)(elapsed.TotalSeconds * FetchesPerMinute / 60) + 1);

        // Nothing the junk named was kept: only the genuine peer's key and document.
        Assert.Equal(1, store.RemoteKeys.Count());
        Assert.Equal(1, store.RemoteActors.Count());
        Assert.True(sizeAfter - sizeBefore < 256 * 1024, $"the store grew from {sizeBefore} to {sizeAfter} bytes");

        // A peer never seen before may have to wait for the budget, and is told how long.
        clock.Restart();
        var attempts = 0;
        HttpStatusCode status;
        do
        {
            attempts++;
            using var follow = await newcomer.PostAsync(node.Http, inbox, newcomer.Follow($"after-{attempts}"), HttpSignatureFlavour.Rfc9421);
            status = follow.StatusCode;
            if (status == HttpStatusCode.ServiceUnavailable)
            {
                var wait = follow.Headers.RetryAfter!.Delta!.Value;
                Assert.InRange(wait, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
                await Task.Delay(wait);
            }
        }
        while (status == HttpStatusCode.ServiceUnavailable && attempts < 10);

        output.WriteLine($"a new peer after the flood: {status} after {attempts} attempt(s), {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(2, store.Followers.Count());
    }

    [Fact]
    public async Task A_flood_from_one_address_is_refused_before_any_work_and_others_are_still_served()
    {
        await using var keyHosts = await KeyHosts.StartAsync(2);
        await using var peer = await PeerServer.StartAsync();
        await using var node = await TestNode.InitAsync();
        var inbox = new Uri(node.Running!.Address, "/inbox");

        var junk = Enumerable.Range(0, 500).Select(i => WithClient(Junk(inbox, keyHosts.KeyId(i)), "203.0.113.7")).ToList();
        var clock = Stopwatch.StartNew();
        var statuses = await SendAllAsync(node, junk, concurrency: 1);
        var elapsed = clock.Elapsed;

        // Refused ones: timed on their own, after the flood.
        clock.Restart();
        var refused = await SendAllAsync(node, junk.Take(100).ToList(), concurrency: 1);
        var refusal = clock.Elapsed / 100;
        output.WriteLine($"one address: {junk.Count} POSTs in {elapsed.TotalSeconds:0.0} s; answers {string.Join(", ", statuses.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"))}; key fetches {keyHosts.Fetches}; a refusal takes {refusal.TotalMilliseconds:0.00} ms");

        Assert.Equal(60, statuses.Count(s => s == 401));
        Assert.Equal(440, statuses.Count(s => s == 429));
        Assert.All(refused, s => Assert.Equal(429, s));
        Assert.Equal(60, keyHosts.Fetches);

        using var follow = await peer.PostAsync(node.Http, inbox, peer.Follow("meanwhile"), HttpSignatureFlavour.Rfc9421);
        Assert.Equal(HttpStatusCode.Accepted, follow.StatusCode);
    }

    [Fact]
    public async Task Junk_naming_a_genuine_hosts_key_does_not_spend_that_hosts_budget()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var node = await TestNode.InitAsync(start: false);
        await node.ConfigureAsync(settings => settings["InboxRequestsPerMinute"] = 5);
        await node.StartAsync();
        var inbox = new Uri(node.Running!.Address, "/inbox");

        // Forged: the peer's key id and actor, another private key; sent from the attacker's own address.
        using var forger = RsaKeyPair.Generate();
        var forgedKey = new ActorSigningKey(peer.ActorId + "#main-key", HttpSignatureKey.FromRsa(forger.Rsa, hasPrivateKey: true));
        var statuses = await SendAllAsync(node, [.. Enumerable.Range(0, 70).Select(i => WithClient(PeerServer.Sign(peer.Follow($"forged-{i}"), inbox, HttpSignatureFlavour.Cavage, forgedKey), "203.0.113.9"))], concurrency: 1);
        Assert.Equal(60, statuses.Count(s => s == 401));
        Assert.Equal(10, statuses.Count(s => s == 429));

        using (var follow = await peer.PostAsync(node.Http, inbox, peer.Follow("genuine"), HttpSignatureFlavour.Rfc9421))
        {
            Assert.Equal(HttpStatusCode.Accepted, follow.StatusCode);
        }

        // The key kept is the peer's own, and the peer's own limit still applies to it.
        Assert.Equal(peer.PublicKeyPem.Trim(), node.Running.NodeStore.RemoteKeys.FindById(peer.ActorId + "#main-key")!.PublicKeyPem.Trim());
        for (var i = 0; i < 4; i++)
        {
            using var note = await peer.PostAsync(node.Http, inbox, peer.Activity($"note-{i}", "Create", new JsonObject { ["id"] = peer.ActorId + $"/notes/{i}", ["type"] = "Note" }), HttpSignatureFlavour.Cavage);
            Assert.Equal(HttpStatusCode.Accepted, note.StatusCode);
        }

        using var over = await peer.PostAsync(node.Http, inbox, peer.Activity("note-5", "Create", new JsonObject { ["id"] = peer.ActorId + "/notes/5", ["type"] = "Note" }), HttpSignatureFlavour.Cavage);
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        Assert.NotNull(over.Headers.RetryAfter);
        Assert.Contains($"too many requests from {new Uri(peer.ActorId).Authority}", await over.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>The data folder's store, its log included.</summary>
    internal static long StoreBytes(TestNode node) =>
        new[] { "chatonsfed.db", "chatonsfed-log.db" }.Select(name => new FileInfo(Path.Combine(node.Folder, name))).Where(f => f.Exists).Sum(f => f.Length);

    /// <summary>A Follow signed with a throwaway key under <paramref name="keyId"/>, whose owner it claims to be.</summary>
    private static CapturedRequest Junk(Uri inbox, string keyId)
    {
        var actor = keyId.Split('#')[0];
        var follow = new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = actor + "/follows/1",
            ["type"] = "Follow",
            ["actor"] = actor,
            ["object"] = TestNode.DefaultPublicUrl + "/actor",
        };
        return PeerServer.Sign(follow, inbox, HttpSignatureFlavour.Cavage, new ActorSigningKey(keyId, HttpSignatureKey.FromRsa(JunkKey.Value.Rsa, hasPrivateKey: true)));
    }

    /// <summary>The request as the node's local proxy passes it on for <paramref name="address"/>.</summary>
    private static CapturedRequest WithClient(CapturedRequest request, string address) =>
        request with { Headers = [.. request.Headers, new("X-Forwarded-For", address)] };

    /// <summary>Sends every request, <paramref name="concurrency"/> at a time; runs <paramref name="midway"/> after the request numbered <paramref name="during"/>.</summary>
    private static async Task<List<int>> SendAllAsync(TestNode node, List<CapturedRequest> requests, int concurrency, int during = -1, Func<Task>? midway = null)
    {
        var statuses = new int[requests.Count];
        var next = -1;
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests.Count)
            {
                using var response = await PeerServer.SendAsync(node.Http, requests[i]);
                statuses[i] = (int)response.StatusCode;
                if (i == during && midway is not null)
                {
                    await midway();
                }
            }
        });
        await Task.WhenAll(workers);
        return [.. statuses];
    }

    /// <summary>
    /// Servers on 127.0.0.2 and up that answer any <c>/k/…</c> with an actor document of about 40 KB holding a real
    /// RSA key (not the junk's); every fetch is counted.
    /// </summary>
    private sealed class KeyHosts : IAsyncDisposable
    {
        private readonly List<LoopbackServer> _servers = [];
        private readonly RsaKeyPair _key = RsaKeyPair.Generate();
        private readonly string _padding = new('x', 40 * 1024);

        public int Fetches => _servers.Sum(s => s.RequestCount);

        public static async Task<KeyHosts> StartAsync(int count)
        {
            var hosts = new KeyHosts();
            for (var i = 0; i < count; i++)
            {
                hosts._servers.Add(await LoopbackServer.StartAsync(hosts.Serve, $"127.0.0.{2 + i}"));
            }

            return hosts;
        }

        /// <summary>The <paramref name="i"/>-th key id, on the servers in turn.</summary>
        public string KeyId(int i) => $"{_servers[i % _servers.Count].Url}/k/{i}#main-key";

        private Task Serve(HttpContext context)
        {
            var id = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}";
            var actor = new JsonObject
            {
                ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"),
                ["id"] = id,
                ["type"] = "Person",
                ["inbox"] = id + "/inbox",
                ["summary"] = _padding,
                ["publicKey"] = new JsonObject { ["id"] = id + "#main-key", ["owner"] = id, ["publicKeyPem"] = _key.PublicKey.ToPem() },
            };
            return LoopbackServer.WriteJsonAsync(context, actor.ToJsonString());
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var server in _servers)
            {
                await server.DisposeAsync();
            }

            _key.Dispose();
        }
    }
}
