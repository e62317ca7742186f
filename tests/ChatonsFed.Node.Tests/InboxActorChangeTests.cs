using System.Net;
using System.Text.Json.Nodes;
using ChatonsFed.Node.Hosting;
using ChatonsFed.Protocol.HttpSignatures;

namespace ChatonsFed.Node.Tests;

/// <summary>A remote actor's Update and Delete of itself, against a real node and a real peer.</summary>
public sealed class InboxActorChangeTests
{
    private const string T1 = "2025-03-01T10:00:00Z";
    private const string T2 = "2025-03-02T10:00:00Z";

    [Theory]
    [InlineData(HttpSignatureFlavour.Rfc9421)]
    [InlineData(HttpSignatureFlavour.Cavage)]
    public async Task An_Update_of_the_actor_refreshes_its_keys_and_an_older_one_is_refused(HttpSignatureFlavour flavour)
    {
        await using var peer = await PeerServer.StartAsync();
        await using var node = await TestNode.InitAsync();
        var inbox = new Uri(node.Running!.Address, "/actor/inbox");
        var store = node.Running.NodeStore;
        peer.Updated = T1;
        using (var follow = await peer.PostAsync(node.Http, inbox, peer.Follow("follow"), flavour))
        {
            Assert.Equal(HttpStatusCode.Accepted, follow.StatusCode);
        }

        var olderUpdate = peer.Activity("update-t1", "Update", peer.ActorDocument());

        // Rotation: the new key is published, and the Update announcing it is signed with the old one.
        var oldKey = peer.SigningKey;
        peer.RotateKey();
        peer.Updated = T2;
        peer.Name = "Alice (new key)";
        using (var update = await peer.PostAsync(node.Http, inbox, peer.Activity("update-t2", "Update", peer.ActorDocument()), flavour, oldKey))
        {
            Assert.Equal(HttpStatusCode.Accepted, update.StatusCode);
            Assert.Contains("actor updated", await update.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        AssertHeld(store, peer, T2);

        // The older Update, delivered late (a retry queue signs each attempt afresh, with the current key).
        using (var rolledBack = await peer.PostAsync(node.Http, inbox, olderUpdate, flavour))
        {
            Assert.Equal(HttpStatusCode.Conflict, rolledBack.StatusCode);
            Assert.Equal($"rolled back: updated {T1} is older than {T2} already held", await rolledBack.Content.ReadAsStringAsync());
        }

        AssertHeld(store, peer, T2);
        Assert.Null(store.ProcessedActivities.FindById(peer.ActorId + "/activities/update-t1"));

        // Another Update of the same version changes nothing, without a fetch.
        // Only actor fetches count: the node's Accept may reach the peer's inbox at any moment.
        var fetches = peer.ActorFetches.Count;
        using (var same = await peer.PostAsync(node.Http, inbox, peer.Activity("update-t2-again", "Update", peer.ActorDocument()), flavour))
        {
            Assert.Equal(HttpStatusCode.Accepted, same.StatusCode);
            Assert.Contains("already held", await same.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(fetches, peer.ActorFetches.Count);
        AssertHeld(store, peer, T2);
    }

    [Fact]
    public async Task The_stored_actor_comes_from_its_origin_not_from_the_Update()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var node = await TestNode.InitAsync();
        var inbox = new Uri(node.Running!.Address, "/actor/inbox");
        peer.Updated = T1;
        using (var follow = await peer.PostAsync(node.Http, inbox, peer.Follow("follow"), HttpSignatureFlavour.Rfc9421))
        {
            Assert.Equal(HttpStatusCode.Accepted, follow.StatusCode);
        }

        // The embedded copy claims a newer version with another inbox; the origin still serves T1.
        var claimed = peer.ActorDocument();
        claimed["updated"] = T2;
        claimed["inbox"] = "https://elsewhere.example/inbox";
        using var response = await peer.PostAsync(node.Http, inbox, peer.Activity("update-claimed", "Update", claimed), HttpSignatureFlavour.Rfc9421);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains("already held", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        AssertHeld(node.Running.NodeStore, peer, T1);
        Assert.Equal(peer.ActorId + "/inbox", node.Running.NodeStore.Followers.FindById(peer.ActorId)!.Inbox);
    }

    [Fact]
    public async Task A_Delete_of_the_actor_removes_the_follower_and_its_cached_keys()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var node = await TestNode.InitAsync();
        var inbox = await FollowAsync(peer, node);
        var store = node.Running!.NodeStore;

        Assert.NotNull(store.RemoteKeys.FindById(peer.ActorId + "#main-key"));
        var delete = peer.Activity("delete", "Delete", new JsonObject { ["id"] = peer.ActorId, ["type"] = "Tombstone" });
        var captured = PeerServer.Sign(delete, inbox, HttpSignatureFlavour.Cavage, peer.SigningKey);
        using (var response = await PeerServer.SendAsync(node.Http, captured))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Equal("actor deleted: follower removed, cached keys dropped", await response.Content.ReadAsStringAsync());
        }

        Assert.Null(store.Followers.FindById(peer.ActorId));
        Assert.Null(store.RemoteKeys.FindById(peer.ActorId + "#main-key"));
        Assert.Null(store.RemoteActors.FindById(peer.ActorId));

        using var replay = await PeerServer.SendAsync(node.Http, captured);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.Equal("already processed", await replay.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_gone_actors_own_Delete_signed_with_its_vanished_key_is_acknowledged_and_drops_the_follower()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var node = await TestNode.InitAsync();
        var inbox = await FollowAsync(peer, node);
        var store = node.Running!.NodeStore;

        // The account is deleted at its origin, and the node no longer holds its key (never had it, or it expired).
        peer.Gone = true;
        store.RemoteKeys.Delete(peer.ActorId + "#main-key");
        store.RemoteActors.Delete(peer.ActorId);

        // Anything else signed with the vanished key is still refused.
        using (var create = await peer.PostAsync(node.Http, inbox, peer.Activity("note", "Create", new JsonObject { ["id"] = peer.ActorId + "/notes/1", ["type"] = "Note" }), HttpSignatureFlavour.Cavage))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, create.StatusCode);
        }

        using (var other = await peer.PostAsync(node.Http, inbox, peer.Activity("delete-other", "Delete", "https://elsewhere.test/users/bob"), HttpSignatureFlavour.Cavage))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
        }

        Assert.NotNull(store.Followers.FindById(peer.ActorId));
        var delete = peer.Activity("delete", "Delete", peer.ActorId);
        using (var response = await peer.PostAsync(node.Http, inbox, delete, HttpSignatureFlavour.Cavage))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Contains("gone", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Null(store.Followers.FindById(peer.ActorId));
        Assert.Null(store.RemoteKeys.FindById(peer.ActorId + "#main-key"));
    }

    /// <summary>The peer follows the node; returns the node's shared inbox.</summary>
    private static async Task<Uri> FollowAsync(PeerServer peer, TestNode node)
    {
        var inbox = new Uri(node.Running!.Address, "/inbox");
        using var follow = await peer.PostAsync(node.Http, inbox, peer.Follow("follow"), HttpSignatureFlavour.Rfc9421);
        Assert.Equal(HttpStatusCode.Accepted, follow.StatusCode);
        return inbox;
    }

    private static void AssertHeld(Storage.NodeStore store, PeerServer peer, string updated)
    {
        var actor = JsonNode.Parse(store.RemoteActors.FindById(peer.ActorId)!.Json)!;
        Assert.Equal(updated, actor["updated"]!.GetValue<string>());
        Assert.Equal(peer.PublicKeyPem.Trim(), store.RemoteKeys.FindById(peer.ActorId + "#main-key")!.PublicKeyPem.Trim());
    }
}
