using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Federation.Signing;
using ChatonsFed.Protocol.HttpSignatures;
using ChatonsFed.Protocol.Keys;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Logging;

namespace ChatonsFed.Server.Tests;

/// <summary>Another server on loopback: one actor with an RSA key, and an inbox that records what it receives.</summary>
internal sealed class PeerServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RsaKeyPair _key = RsaKeyPair.Generate();

    private PeerServer(WebApplication app)
    {
        _app = app;
    }

    public ConcurrentQueue<JsonObject> Received { get; } = new();

    /// <summary>The GET requests made for the actor, as received (to check how fetches are signed).</summary>
    public ConcurrentQueue<HttpRequestSnapshot> ActorFetches { get; } = new();

    public string BaseUrl { get; private set; } = string.Empty;

    public string ActorId => BaseUrl + "/users/alice";

    public ActorSigningKey SigningKey => new(ActorId + "#main-key", HttpSignatureKey.FromRsa(_key.Rsa, hasPrivateKey: true));

    public static async Task<PeerServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var peer = new PeerServer(app);
        app.MapGet("/users/alice", (HttpRequest request) =>
        {
            peer.ActorFetches.Enqueue(new HttpRequestSnapshot(request.Method, request.GetEncodedUrl(), new HeaderFields(request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? string.Empty)))), ReadOnlyMemory<byte>.Empty));
            return TypedResults.Text(new JsonObject
            {
                ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"),
                ["id"] = peer.ActorId,
                ["type"] = "Person",
                ["preferredUsername"] = "alice",
                ["inbox"] = peer.ActorId + "/inbox",
                ["publicKey"] = new JsonObject { ["id"] = peer.ActorId + "#main-key", ["owner"] = peer.ActorId, ["publicKeyPem"] = peer._key.PublicKey.ToPem() },
            }.ToJsonString(), "application/activity+json");
        });
        app.MapPost("/users/alice/inbox", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            peer.Received.Enqueue(JsonNode.Parse(await reader.ReadToEndAsync())!.AsObject());
            return TypedResults.Accepted((string?)null);
        });
        await app.StartAsync();
        peer.BaseUrl = app.Urls.First().TrimEnd('/');
        return peer;
    }

    public async Task<HttpResponseMessage> PostAsync(HttpClient client, Uri inbox, JsonObject activity, HttpSignatureFlavour flavour, bool sign = true)
    {
        var body = Encoding.UTF8.GetBytes(activity.ToJsonString());
        using var message = new HttpRequestMessage(HttpMethod.Post, inbox) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/activity+json");
        if (sign)
        {
            RequestSigner.Sign(message, body, SigningKey, flavour, TimeProvider.System.GetUtcNow());
        }

        return await client.SendAsync(message);
    }

    /// <summary>Follows the node's actor with a signed Follow and waits until the node's Accept has arrived.</summary>
    public async Task FollowAndWaitForAcceptAsync(TestNode node, string id, HttpSignatureFlavour flavour)
    {
        using (var response = await PostAsync(node.Http, new Uri(node.Running!.Address, "/actor/inbox"), Follow(id), flavour))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        }

        await WaitForAsync(a => a["type"]?.GetValue<string>() == "Accept" && a["object"]?["id"]?.GetValue<string>() == ActorId + "/activities/" + id);
    }

    public JsonObject Follow(string id) => new()
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = ActorId + "/activities/" + id,
        ["type"] = "Follow",
        ["actor"] = ActorId,
        ["object"] = "https://chaton.test/actor",
    };

    public async Task<JsonObject> WaitForAsync(Func<JsonObject, bool> match)
    {
        for (var i = 0; i < 100; i++)
        {
            var found = Received.FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the peer received nothing matching");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _key.Dispose();
    }
}

public sealed class InboxFollowTests
{
    [Theory]
    [InlineData(HttpSignatureFlavour.Rfc9421)]
    [InlineData(HttpSignatureFlavour.Cavage)]
    public async Task A_signed_Follow_is_accepted_and_the_Accept_is_delivered(HttpSignatureFlavour flavour)
    {
        await using var peer = await PeerServer.StartAsync();
        await using var node = await TestNode.InitAsync();
        var inbox = new Uri(node.Running!.Address, "/actor/inbox");
        var follow = peer.Follow("follow-1");
        using var response = await peer.PostAsync(node.Http, inbox, follow, flavour);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());

        var accept = await peer.WaitForAsync(a => a["type"]?.GetValue<string>() == "Accept");
        Assert.Equal("https://chaton.test/actor", accept["actor"]!.GetValue<string>());
        Assert.Equal(follow["id"]!.GetValue<string>(), accept["object"]!["id"]!.GetValue<string>());
        var follower = node.Running.Node.Store.Followers.FindById(peer.ActorId);
        Assert.NotNull(follower);
        Assert.Equal(peer.ActorId + "/inbox", follower.Inbox);

        // The same activity again changes nothing.
        using var again = await peer.PostAsync(node.Http, inbox, follow, flavour);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Contains("already processed", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var undo = new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = peer.ActorId + "/activities/undo-1",
            ["type"] = "Undo",
            ["actor"] = peer.ActorId,
            ["object"] = follow.DeepClone(),
        };
        using var undone = await peer.PostAsync(node.Http, new Uri(node.Running.Address, "/inbox"), undo, flavour);
        Assert.Equal(HttpStatusCode.Accepted, undone.StatusCode);
        Assert.Null(node.Running.Node.Store.Followers.FindById(peer.ActorId));
    }

    [Fact]
    public async Task A_Follow_from_a_blocked_domain_gets_a_Reject()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var node = await TestNode.InitAsync();
        await node.Running!.Node.BlockAsync("127.0.0.1");
        using var response = await peer.PostAsync(node.Http, new Uri(node.Running.Address, "/actor/inbox"), peer.Follow("follow-2"), HttpSignatureFlavour.Rfc9421);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var reject = await peer.WaitForAsync(a => a["type"]?.GetValue<string>() == "Reject");
        Assert.Equal("https://chaton.test/actor", reject["actor"]!.GetValue<string>());
        Assert.Null(node.Running.Node.Store.Followers.FindById(peer.ActorId));
    }

    [Fact]
    public async Task Updates_reach_followers_through_the_delivery_worker()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var node = await TestNode.InitAsync();
        using (var response = await peer.PostAsync(node.Http, new Uri(node.Running!.Address, "/actor/inbox"), peer.Follow("follow-3"), HttpSignatureFlavour.Rfc9421))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await peer.WaitForAsync(a => a["type"]?.GetValue<string>() == "Accept");
        var add = await CliRunner.RunAsync("service", "add", "--data", node.Folder, "--category", "collaborative-writing", "--name", "Pad", "--url", "https://pad.example");
        Assert.True(add.ExitCode == 0, add.ToString());
        var create = await peer.WaitForAsync(a => a["type"]?.GetValue<string>() == "Create" && a["object"]?["type"] is JsonArray);
        Assert.Equal("https://chaton.test/services/pad", create["object"]!["id"]!.GetValue<string>());
        await peer.WaitForAsync(a => a["type"]?.GetValue<string>() == "Create" && a["object"]?["type"]?.GetValueKind() == System.Text.Json.JsonValueKind.String);
    }

    [Fact]
    public async Task A_forged_signature_gets_401()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var node = await TestNode.InitAsync();
        var follow = peer.Follow("follow-4");
        follow["actor"] = "http://127.0.0.1:1/users/mallory";
        using var response = await peer.PostAsync(node.Http, new Uri(node.Running!.Address, "/actor/inbox"), follow, HttpSignatureFlavour.Rfc9421);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
