using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Federation.Signing;
using ChatonsFed.Protocol.HttpSignatures;
using ChatonsFed.Protocol.Keys;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Aggregation.Tests;

/// <summary>
/// A follower shaped as Mastodon: a <c>Person</c> with an RSA key and an <c>endpoints.sharedInbox</c>, served by a
/// <see cref="LoopbackServer"/>; it sends draft-cavage-signed activities, and its inboxes take only draft-cavage
/// signatures (401 to anything else, as Mastodon answers), checked with the key named, fetched from its actor.
/// </summary>
internal sealed class MastodonFollower : IAsyncDisposable
{
    private readonly RsaKeyPair _key = RsaKeyPair.Generate();
    private LoopbackServer _server = null!;

    private MastodonFollower()
    {
    }

    /// <summary>Every activity its inbox or its shared inbox took, with the path it came to and whether its signature verified.</summary>
    public ConcurrentQueue<(string Path, JsonObject Activity, string KeyId)> Received { get; } = new();

    public string ActorId => _server.Url + "/users/ada";

    public string Inbox => ActorId + "/inbox";

    public string SharedInbox => _server.Url + "/inbox";

    /// <summary>When set, its inboxes answer 410 Gone, as a server whose accounts are gone for good does.</summary>
    public bool Gone { get; set; }

    public static async Task<MastodonFollower> StartAsync()
    {
        var follower = new MastodonFollower();
        follower._server = await LoopbackServer.StartRecordingAsync();
        follower._server.Handler = follower.AnswerAsync;
        return follower;
    }

    private async Task AnswerAsync(HttpContext context, LoopbackRequest request)
    {
        if (request.Method == "GET" && request.PathAndQuery == "/users/ada")
        {
            await LoopbackServer.WriteJsonAsync(context, Actor().ToJsonString());
            return;
        }

        if (request.Method != "POST" || (request.PathAndQuery != "/users/ada/inbox" && request.PathAndQuery != "/inbox"))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (Gone)
        {
            context.Response.StatusCode = StatusCodes.Status410Gone;
            return;
        }

        if (HttpSignatureDetector.Detect(request.Snapshot.Headers) != HttpSignatureFlavour.Cavage
            || !HttpSignatureDetector.TryParse(request.Snapshot, out var parsed, out _)
            || await PublicKeyPemAsync(parsed.KeyId!) is not { } pem)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        using var key = HttpSignatureKey.ImportPem(pem);
        if (!parsed.Verify(request.Snapshot, key, TimeProvider.System.GetUtcNow()).IsValid)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        Received.Enqueue((request.PathAndQuery, JsonNode.Parse(request.Body)!.AsObject(), parsed.KeyId!));
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    /// <summary>The key's PEM, from the actor its id names (the part before '#').</summary>
    private static async Task<string?> PublicKeyPemAsync(string keyId)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, keyId.Split('#')[0]);
        request.Headers.Accept.ParseAdd(LoopbackServer.ActivityJson);
        using var response = await http.SendAsync(request);
        var actor = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        return actor?["publicKey"]?["id"]?.GetValue<string>() == keyId ? actor["publicKey"]!["publicKeyPem"]?.GetValue<string>() : null;
    }

    private JsonObject Actor() => new()
    {
        ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"),
        ["id"] = ActorId,
        ["type"] = "Person",
        ["preferredUsername"] = "ada",
        ["name"] = "Ada",
        ["inbox"] = Inbox,
        ["outbox"] = ActorId + "/outbox",
        ["endpoints"] = new JsonObject { ["sharedInbox"] = SharedInbox },
        ["publicKey"] = new JsonObject { ["id"] = ActorId + "#main-key", ["owner"] = ActorId, ["publicKeyPem"] = _key.PublicKey.ToPem() },
    };

    /// <summary>A <c>Follow</c> of <paramref name="target"/> under an id of its own.</summary>
    public JsonObject Follow(string target) => Activity("Follow", target);

    /// <summary>An <c>Undo</c> of <paramref name="follow"/>, embedded as Mastodon does.</summary>
    public JsonObject Undo(JsonObject follow) => Activity("Undo", follow.DeepClone());

    private JsonObject Activity(string type, JsonNode target) => new()
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = $"{ActorId}#{type.ToLowerInvariant()}s/{Guid.NewGuid():N}",
        ["type"] = type,
        ["actor"] = ActorId,
        ["object"] = target,
    };

    /// <summary>Posts <paramref name="activity"/> to <paramref name="inbox"/>, signed with draft-cavage; returns the status.</summary>
    public async Task<int> PostAsync(string inbox, JsonObject activity)
    {
        var body = Encoding.UTF8.GetBytes(activity.ToJsonString());
        using var http = new HttpClient();
        using var message = new HttpRequestMessage(HttpMethod.Post, inbox) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue(LoopbackServer.ActivityJson);
        var key = new ActorSigningKey(ActorId + "#main-key", HttpSignatureKey.FromRsa(_key.Rsa, hasPrivateKey: true));
        RequestSigner.Sign(message, body, key, HttpSignatureFlavour.Cavage, TimeProvider.System.GetUtcNow());
        using var response = await http.SendAsync(message);
        return (int)response.StatusCode;
    }

    /// <summary>Waits (up to 20 s) for an activity that <paramref name="match"/> accepts.</summary>
    public async Task<(string Path, JsonObject Activity, string KeyId)> WaitForAsync(Func<JsonObject, bool> match, string what)
    {
        (string, JsonObject, string) found = default;
        await TestHost.WaitForAsync(() =>
        {
            found = Received.FirstOrDefault(r => match(r.Activity));
            return Task.FromResult(found != default);
        }, 20, what);
        return found;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _key.Dispose();
    }
}
