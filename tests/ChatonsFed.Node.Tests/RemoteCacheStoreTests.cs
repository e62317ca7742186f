using System.Diagnostics;
using System.Net;
using ChatonsFed.Federation.Keys;
using ChatonsFed.Hosting.Storage;
using ChatonsFed.Node.Hosting;
using ChatonsFed.Protocol.HttpSignatures;
using LiteDB;
using Xunit.Abstractions;

namespace ChatonsFed.Node.Tests;

/// <summary>The remote key and actor cache in a real store file: bounded in entries and bytes, trimmed, and compacted.</summary>
public sealed class RemoteCacheStoreTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_cache_keeps_within_its_bounds_dropping_the_least_recently_used_first()
    {
        var folder = System.IO.Directory.CreateTempSubdirectory("chatonsfed-cache-tests-").FullName;
        try
        {
            using var store = DataStore.Create(Path.Combine(folder, "chatonsfed.db"));
            var cache = new LiteRemoteActorCache(store, new RemoteCacheBounds { MaxEntries = 10, MaxBytes = 1024 * 1024 }, TimeProvider.System);
            var now = TimeProvider.System.GetUtcNow();
            for (var i = 0; i < 12; i++)
            {
                // Used longest ago first; the last two have never verified anything.
                var used = i < 10 ? now.AddMinutes(i - 20) : DateTimeOffset.MinValue;
                await cache.SetKeyAsync(new CachedRemoteKey { KeyId = $"https://a.example/{i}#key", OwnerId = $"https://a.example/{i}", PublicKeyPem = "-", FetchedAt = now, LastUsed = used }, CancellationToken.None);
            }

            Assert.Equal(10, store.RemoteKeys.Count());
            Assert.Null(store.RemoteKeys.FindById("https://a.example/10#key"));
            Assert.Null(store.RemoteKeys.FindById("https://a.example/11#key"));
            Assert.NotNull(store.RemoteKeys.FindById("https://a.example/0#key"));

            // 200 KB each: five fit in 1 MiB; the three used longest ago go.
            var document = "{\"summary\":\"" + new string('x', 200 * 1000) + "\"}";
            for (var i = 0; i < 8; i++)
            {
                await cache.SetActorAsync(new CachedRemoteActor { ActorId = $"https://b.example/{i}", Json = document, FetchedAt = now, LastUsed = now.AddMinutes(i) }, CancellationToken.None);
            }

            Assert.Equal(5, store.RemoteActors.Count());
            Assert.Equal(["https://b.example/3", "https://b.example/4", "https://b.example/5", "https://b.example/6", "https://b.example/7"], store.RemoteActors.FindAll().Select(a => a.Id).Order(StringComparer.Ordinal));
            Assert.InRange(cache.ActorBytes, 5 * 200_000, 1024 * 1024);
            Assert.InRange(cache.EvictedBytes, 3 * 200_000, 3 * 200_020);

            // An entry replaced counts once.
            await cache.SetActorAsync(new CachedRemoteActor { ActorId = "https://b.example/7", Json = "{}", FetchedAt = now, LastUsed = now.AddMinutes(9) }, CancellationToken.None);
            Assert.Equal(5, store.RemoteActors.Count());
            Assert.InRange(cache.ActorBytes, 4 * 200_000, 4 * 200_020);

            // What has verified nothing for a week goes at the next trim.
            await cache.SetKeyAsync(new CachedRemoteKey { KeyId = "https://a.example/0#key", OwnerId = "https://a.example/0", PublicKeyPem = "-", FetchedAt = now, LastUsed = now.AddDays(-8) }, CancellationToken.None);
            await cache.SetActorAsync(new CachedRemoteActor { ActorId = "https://b.example/3", Json = "{}", FetchedAt = now, LastUsed = now.AddDays(-8) }, CancellationToken.None);
            Assert.Equal(2, cache.Trim());
            Assert.Null(store.RemoteKeys.FindById("https://a.example/0#key"));
            Assert.Null(store.RemoteActors.FindById("https://b.example/3"));
            Assert.Equal(9, store.RemoteKeys.Count());
        }
        finally
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_store_bloated_by_an_older_version_is_trimmed_and_compacted_at_start_and_keeps_its_data()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var node = await TestNode.InitAsync();
        var inbox = new Uri(node.Running!.Address, "/inbox");
        using (var follow = await peer.PostAsync(node.Http, inbox, peer.Follow("before"), HttpSignatureFlavour.Rfc9421))
        {
            Assert.Equal(HttpStatusCode.Accepted, follow.StatusCode);
        }

        await node.StopAsync();
        var clean = JunkFloodTests.StoreBytes(node);

        // What an older version kept of junk: documents and keys fetched for signatures that never verified, with no
        // record of use. 400 documents of 50 KB.
        var path = Path.Combine(node.Folder, "chatonsfed.db");
        using (var database = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct }))
        {
            var padding = new string('x', 50 * 1024);
            var actors = database.GetCollection("remote_actors");
            var keys = database.GetCollection("remote_keys");
            var fetched = TimeProvider.System.GetUtcNow().AddDays(-1).ToUnixTimeMilliseconds();
            for (var i = 0; i < 400; i++)
            {
                var id = $"https://junk{i}.example/actor";
                actors.Insert(new BsonDocument { ["_id"] = id, ["Json"] = "{\"id\":\"" + id + "\",\"summary\":\"" + padding + "\"}", ["Fetched"] = fetched });
                keys.Insert(new BsonDocument { ["_id"] = id + "#main-key", ["OwnerId"] = id, ["PublicKeyPem"] = "-", ["FetchedAt"] = fetched });
            }

            database.Checkpoint();
        }

        var bloated = JunkFloodTests.StoreBytes(node);
        var clock = Stopwatch.StartNew();
        await node.StartAsync();
        await TestHost.WaitForAsync(() => Task.FromResult(JunkFloodTests.StoreBytes(node) < bloated / 4), 60, "the store compacted");
        output.WriteLine($"store: {clean} bytes clean, {bloated} bloated, {JunkFloodTests.StoreBytes(node)} after the start's trim and rebuild ({clock.Elapsed.TotalSeconds:0.0} s)");

        Assert.Empty(System.IO.Directory.EnumerateFiles(node.Folder, "*backup*"));
        // Only the peer's key and document are left: they verified a request.
        var store = node.Running!.NodeStore;
        Assert.Equal([peer.ActorId], store.RemoteActors.FindAll().Select(a => a.Id));
        Assert.Equal([peer.ActorId + "#main-key"], store.RemoteKeys.FindAll().Select(k => k.Id));

        // The node's own data is whole, and the store takes writes after its rebuild.
        Assert.NotNull(store.Followers.FindById(peer.ActorId));
        inbox = new Uri(node.Running.Address, "/inbox");
        using (var follow = await peer.PostAsync(node.Http, inbox, peer.Follow("after"), HttpSignatureFlavour.Cavage))
        {
            Assert.Equal(HttpStatusCode.Accepted, follow.StatusCode);
        }

        Assert.NotNull(store.RemoteKeys.FindById(peer.ActorId + "#main-key"));
        await node.StopAsync();
        await node.StartAsync();
        Assert.NotNull(node.Running!.NodeStore.Followers.FindById(peer.ActorId));
        Assert.NotNull(node.Running.NodeStore.RemoteKeys.FindById(peer.ActorId + "#main-key"));
    }
}
