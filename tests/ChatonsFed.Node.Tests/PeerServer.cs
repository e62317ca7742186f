using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Federation.Signing;
using ChatonsFed.Protocol.HttpSignatures;
using ChatonsFed.Protocol.Keys;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;

namespace ChatonsFed.Node.Tests;

/// <summary>A signed request as it went on the wire, kept so that it can be sent again byte for byte.</summary>
internal sealed record CapturedRequest(Uri Target, byte[] Body, IReadOnlyList<KeyValuePair<string, string>> Headers);

/// <summary>
/// Another server on loopback (a <see cref="LoopbackServer"/>): one actor with an RSA key, and an inbox that records
/// what it receives. Every request it gets is counted, so a test can show that nothing reached it.
/// </summary>
internal sealed class PeerServer : IAsyncDisposable
{
    private readonly List<RsaKeyPair> _keys = [RsaKeyPair.Generate()];
    private LoopbackServer _server = null!;

    private PeerServer()
    {
    }

    public ConcurrentQueue<JsonObject> Received { get; } = new();

    /// <summary>The GET requests made for the actor, as received (to check how fetches are signed).</summary>
    public ConcurrentQueue<HttpRequestSnapshot> ActorFetches { get; } = new();

    /// <summary>Every request the server got, whatever its path.</summary>
    public int RequestCount => _server.RequestCount;

    public string BaseUrl => _server.Url;

    public string ActorId => BaseUrl + "/users/alice";

    /// <summary>The actor's <c>updated</c>, left out when null.</summary>
    public string? Updated { get; set; }

    public string Name { get; set; } = "Alice";

    /// <summary>The inbox the actor lists, instead of its own.</summary>
    public string? InboxOverride { get; set; }

    public string? SharedInbox { get; set; }

    /// <summary>Where <c>GET /moved</c> redirects to.</summary>
    public string? RedirectTarget { get; set; }

    /// <summary>When set, the actor answers 410 Gone, as a deleted account does.</summary>
    public bool Gone { get; set; }

    public string PublicKeyPem => _keys[^1].PublicKey.ToPem();

    /// <summary>The actor's current key.</summary>
    public ActorSigningKey SigningKey => KeyAs(ActorId + "#main-key");

    public static async Task<PeerServer> StartAsync(string host = "127.0.0.1")
    {
        var peer = new PeerServer();
        peer._server = await LoopbackServer.StartAsync(peer.Map, host);
        return peer;
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/users/alice", (HttpRequest request) =>
        {
            var headers = new HeaderFields(request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? string.Empty))));
            ActorFetches.Enqueue(new HttpRequestSnapshot(request.Method, request.GetEncodedUrl(), headers, ReadOnlyMemory<byte>.Empty));
            return Gone
                ? Results.StatusCode(StatusCodes.Status410Gone)
                : TypedResults.Text(ActorDocument().ToJsonString(), "application/activity+json");
        });
        app.MapGet("/moved", () => TypedResults.Redirect(RedirectTarget ?? "/"));
        app.MapPost("/users/alice/inbox", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            Received.Enqueue(JsonNode.Parse(await reader.ReadToEndAsync())!.AsObject());
            return TypedResults.Accepted((string?)null);
        });
    }

    public JsonObject ActorDocument()
    {
        var actor = new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"),
            ["id"] = ActorId,
            ["type"] = "Person",
            ["preferredUsername"] = "alice",
            ["name"] = Name,
            ["inbox"] = InboxOverride ?? ActorId + "/inbox",
            ["publicKey"] = new JsonObject { ["id"] = ActorId + "#main-key", ["owner"] = ActorId, ["publicKeyPem"] = PublicKeyPem },
        };
        if (Updated is not null)
        {
            actor["updated"] = Updated;
        }

        if (SharedInbox is not null)
        {
            actor["endpoints"] = new JsonObject { ["sharedInbox"] = SharedInbox };
        }

        return actor;
    }

    /// <summary>Replaces the actor's key under the same key id, as a key rotation does.</summary>
    public void RotateKey() => _keys.Add(RsaKeyPair.Generate());

    /// <summary>The actor's current private key, named by <paramref name="keyId"/> (which need not be the actor's).</summary>
    public ActorSigningKey KeyAs(string keyId) => new(keyId, HttpSignatureKey.FromRsa(_keys[^1].Rsa, hasPrivateKey: true));

    /// <summary>Signs <paramref name="activity"/> for <paramref name="inbox"/> at <paramref name="at"/> (now by default) and keeps the request.</summary>
    public static CapturedRequest Sign(JsonObject activity, Uri inbox, HttpSignatureFlavour flavour, ActorSigningKey key, DateTimeOffset? at = null)
    {
        var body = Encoding.UTF8.GetBytes(activity.ToJsonString());
        using var message = new HttpRequestMessage(HttpMethod.Post, inbox) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/activity+json");
        RequestSigner.Sign(message, body, key, flavour, at ?? TimeProvider.System.GetUtcNow());
        return new CapturedRequest(inbox, body, [.. RequestSigner.ToSnapshot(message, body).Headers]);
    }

    /// <summary>Sends <paramref name="request"/> again with the same headers, and its own body unless another is given.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, CapturedRequest request, byte[]? body = null)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Target) { Content = new ByteArrayContent(body ?? request.Body) };
        foreach (var (name, value) in request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.Host = value;
            }
            else if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && !message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return await client.SendAsync(message);
    }

    /// <summary>Posts <paramref name="activity"/> signed now, with the actor's current key unless another is given.</summary>
    public Task<HttpResponseMessage> PostAsync(HttpClient client, Uri inbox, JsonObject activity, HttpSignatureFlavour flavour, ActorSigningKey? key = null) =>
        SendAsync(client, Sign(activity, inbox, flavour, key ?? SigningKey));

    /// <summary>Follows the node's actor with a signed Follow and waits until the node's Accept has arrived.</summary>
    public async Task FollowAndWaitForAcceptAsync(TestNode node, string id, HttpSignatureFlavour flavour)
    {
        using (var response = await PostAsync(node.Http, new Uri(node.Running!.Address, "/actor/inbox"), Activity(id, "Follow", node.PublicUrl + "/actor"), flavour))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        }

        await WaitForAsync(a => a["type"]?.GetValue<string>() == "Accept" && a["object"]?["id"]?.GetValue<string>() == ActorId + "/activities/" + id);
    }

    public JsonObject Follow(string id) => Activity(id, "Follow", "https://chaton.test/actor");

    public JsonObject Activity(string id, string type, JsonNode target) => new()
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = ActorId + "/activities/" + id,
        ["type"] = type,
        ["actor"] = ActorId,
        ["object"] = target,
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
        await _server.DisposeAsync();
        foreach (var key in _keys)
        {
            key.Dispose();
        }
    }
}
