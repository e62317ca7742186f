using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Aggregator.Storage;
using ChatonsFed.Federation.Signing;
using ChatonsFed.Protocol.HttpSignatures;
using ChatonsFed.Aggregator.Tracking;
using ChatonsFed.TestFleet;
using Microsoft.Extensions.DependencyInjection;

namespace ChatonsFed.Aggregation.Tests;

/// <summary>An aggregator held one chaton; what its inbox answers to each kind of activity that chaton signs.</summary>
public sealed class AggregatorInboxDispatchTests(AggregatorInboxDispatchTests.Setup setup) : IClassFixture<AggregatorInboxDispatchTests.Setup>
{
    private FleetChaton Chaton => setup.Fleet[0];

    private string ActorId => Chaton.ActorId.AbsoluteUri;

    [Theory]
    [InlineData("Like", "Like noted; nothing to do")]
    [InlineData("EmojiReact", "EmojiReact noted; nothing to do")]
    [InlineData("Follow", "Follow noted; nothing to do")]
    public async Task An_activity_that_changes_nothing_here_is_noted(string type, string reason)
    {
        var (status, text) = await PostAsync(Activity(type, "https://elsewhere.example/notes/1"));

        Assert.Equal((HttpStatusCode.Accepted, reason), (status, text));
    }

    [Fact]
    public async Task A_Reject_of_the_follow_is_recorded()
    {
        var followId = setup.Aggregator.Directory.Tracked(ActorId)!.FollowActivityId ?? "https://aggregator.example/follows/1";

        var (status, text) = await PostAsync(Activity("Reject", new JsonObject { ["id"] = followId, ["type"] = "Follow" }));

        Assert.Equal((HttpStatusCode.Accepted, "follow rejected"), (status, text));
        Assert.Equal(FollowState.Rejected, setup.Aggregator.Directory.Tracked(ActorId)!.Follow);
    }

    [Fact]
    public async Task A_Create_of_an_object_given_by_id_fetches_the_chaton_again()
    {
        var (status, text) = await PostAsync(Activity("Create", Chaton.ServiceUrl(Chaton.Services[0].Slug).AbsoluteUri));

        Assert.Equal((HttpStatusCode.Accepted, "the chaton was fetched again"), (status, text));
    }

    [Fact]
    public async Task An_Update_embedding_a_service_is_verified_by_its_proof()
    {
        var service = Chaton.Json(Chaton.ServiceUrl(Chaton.Services[0].Slug));

        var (status, text) = await PostAsync(Activity("Update", service));

        Assert.Equal((HttpStatusCode.Accepted, "directory unchanged"), (status, text));
    }

    [Fact]
    public async Task A_Create_embedding_anything_else_changes_nothing()
    {
        var note = new JsonObject { ["id"] = ActorId + "/notes/1", ["type"] = "Note", ["attributedTo"] = ActorId, ["content"] = "hello" };

        var (status, text) = await PostAsync(Activity("Create", note));

        Assert.Equal((HttpStatusCode.Accepted, "not a document of the directory; nothing to do"), (status, text));
    }

    [Fact]
    public async Task A_Delete_without_a_proof_is_refused_and_the_chaton_kept()
    {
        var (status, text) = await PostAsync(Activity("Delete", ActorId));

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.StartsWith("refused: ", text, StringComparison.Ordinal);
        Assert.NotNull(setup.Aggregator.Running!.Services.GetRequiredService<DirectoryStore>().GetDocuments(ActorId));
    }

    [Fact]
    public async Task A_member_of_the_wrong_shape_gets_400_with_a_reason()
    {
        var (status, text) = await PostAsync(Activity("Accept", 42));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("the activity cannot be read: ", text, StringComparison.Ordinal);
        Assert.Contains("found Number", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_actor_given_in_an_array_is_still_no_actor_here()
    {
        var activity = Activity("Like", "https://elsewhere.example/notes/1");
        activity["actor"] = new JsonArray(ActorId);

        var (status, text) = await PostAsync(activity);

        Assert.Equal((HttpStatusCode.BadRequest, "the activity lacks a type or an actor"), (status, text));
    }

    private JsonObject Activity(string type, JsonNode target) => new()
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = $"{ActorId}/activities/{Guid.NewGuid():N}",
        ["type"] = type,
        ["actor"] = ActorId,
        ["object"] = target,
    };

    private async Task<(HttpStatusCode Status, string Reason)> PostAsync(JsonObject activity)
    {
        var body = Encoding.UTF8.GetBytes(activity.ToJsonString());
        using var message = new HttpRequestMessage(HttpMethod.Post, setup.Aggregator.Inbox) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/activity+json");
        RequestSigner.Sign(message, body, Chaton.SigningKey, HttpSignatureFlavour.Rfc9421, TimeProvider.System.GetUtcNow());
        using var response = await setup.Aggregator.Http.SendAsync(message);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>One chaton, held by the aggregator after a rebuild.</summary>
    public sealed class Setup : IAsyncLifetime
    {
        public FleetServer Fleet { get; private set; } = null!;

        internal TestAggregator Aggregator { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Fleet = await FleetServer.StartAsync(1, new FleetOptions { Following = FollowingGraph.None });
            Aggregator = await TestAggregator.InitAsync([Fleet[0].ActorId.AbsoluteUri]);
            await Aggregator.RunAsync("rebuild");
        }

        public async Task DisposeAsync()
        {
            await Aggregator.DisposeAsync();
            await Fleet.DisposeAsync();
        }
    }
}
