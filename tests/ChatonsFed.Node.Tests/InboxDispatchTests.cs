using System.Net;
using System.Text.Json.Nodes;
using ChatonsFed.Node.Hosting;
using ChatonsFed.Protocol.HttpSignatures;

namespace ChatonsFed.Node.Tests;

/// <summary>What a node's inbox answers to each kind of activity a remote actor signs (Follow, Undo and the actor's own Update and Delete have tests of their own).</summary>
public sealed class InboxDispatchTests(InboxDispatchTests.Setup setup) : IClassFixture<InboxDispatchTests.Setup>
{
    private PeerServer Peer => setup.Peer;

    [Theory]
    [InlineData("Like")]
    [InlineData("Announce")]
    [InlineData("Accept")]
    [InlineData("EmojiReact")]
    [InlineData("Update")]
    [InlineData("Delete")]
    public async Task An_activity_that_changes_nothing_here_is_noted_and_not_recorded(string type)
    {
        var activity = Activity(type, "https://elsewhere.example/notes/1");

        var (status, text) = await PostAsync(activity);

        Assert.Equal((HttpStatusCode.Accepted, $"{type} noted; nothing to do"), (status, text));
        Assert.Null(setup.Node.Running!.NodeStore.ProcessedActivities.FindById(activity["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_Undo_of_something_unknown_is_noted_and_an_Undo_of_nothing_is_refused()
    {
        var (status, text) = await PostAsync(Activity("Undo", Peer.ActorId + "/activities/never-sent"));
        Assert.Equal((HttpStatusCode.Accepted, "undo noted"), (status, text));

        var empty = Activity("Undo", "unused");
        empty.Remove("object");
        (status, text) = await PostAsync(empty);
        Assert.Equal((HttpStatusCode.BadRequest, "the Undo has no object"), (status, text));
    }

    [Fact]
    public async Task A_Follow_of_another_actor_is_refused()
    {
        var (status, text) = await PostAsync(Activity("Follow", "https://chaton.test/someone-else"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("this node's only actor is https://chaton.test/actor", text);
    }

    [Theory]
    [InlineData("\"as:Follow\"")]
    [InlineData("[\"Follow\"]")]
    [InlineData("\"https://www.w3.org/ns/activitystreams#Follow\"")]
    public async Task A_type_is_recognised_in_any_form_the_vocabulary_reads(string type)
    {
        await using var peer = await PeerServer.StartAsync();
        await using var node = await TestNode.InitAsync();
        var follow = peer.Follow("follow-" + Guid.NewGuid().ToString("N"));
        follow["type"] = JsonNode.Parse(type);

        using var response = await peer.PostAsync(node.Http, new Uri(node.Running!.Address, "/actor/inbox"), follow, HttpSignatureFlavour.Rfc9421);

        Assert.Equal((HttpStatusCode.Accepted, "follow accepted"), (response.StatusCode, await response.Content.ReadAsStringAsync()));
        Assert.NotNull(node.Running.NodeStore.Followers.FindById(peer.ActorId));
    }

    [Theory]
    [InlineData("object", "42")]
    [InlineData("object", "[null]")]
    [InlineData("id", "7")]
    [InlineData("type", "{\"name\":\"Follow\"}")]
    public async Task A_member_of_the_wrong_shape_gets_400_with_a_reason(string member, string value)
    {
        var activity = Activity("Follow", "https://chaton.test/actor");
        activity[member] = JsonNode.Parse(value);

        var (status, text) = await PostAsync(activity);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("the activity cannot be read: Not a valid ActivityStreams document: ", text, StringComparison.Ordinal);
        Assert.Null(setup.Node.Running!.NodeStore.Followers.FindById(Peer.ActorId));
    }

    [Fact]
    public async Task An_actor_given_in_an_array_is_still_no_actor_here()
    {
        var activity = Activity("Like", "https://elsewhere.example/notes/1");
        activity["actor"] = new JsonArray(Peer.ActorId);

        var (status, text) = await PostAsync(activity);

        Assert.Equal((HttpStatusCode.BadRequest, "the activity lacks an id, a type or an actor"), (status, text));
    }

    private JsonObject Activity(string type, JsonNode target) => Peer.Activity(Guid.NewGuid().ToString("N"), type, target);

    private async Task<(HttpStatusCode Status, string Reason)> PostAsync(JsonObject activity)
    {
        using var response = await Peer.PostAsync(setup.Node.Http, new Uri(setup.Node.Running!.Address, "/actor/inbox"), activity, HttpSignatureFlavour.Rfc9421);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A node and a remote actor it can fetch.</summary>
    public sealed class Setup : IAsyncLifetime
    {
        internal PeerServer Peer { get; private set; } = null!;

        internal TestNode Node { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Peer = await PeerServer.StartAsync();
            Node = await TestNode.InitAsync();
        }

        public async Task DisposeAsync()
        {
            await Node.DisposeAsync();
            await Peer.DisposeAsync();
        }
    }
}
