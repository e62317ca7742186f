using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Federation.Signing;
using ChatonsFed.Protocol.HttpSignatures;

namespace ChatonsFed.Federation.Tests;

internal static class SignedRequests
{
    public static readonly Uri Inbox = new("https://node.example/inbox");

    public static byte[] Follow(RemoteActor actor, string? actorId = null) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = actor.Id + "/follows/1",
        ["type"] = "Follow",
        ["actor"] = actorId ?? actor.Id,
        ["object"] = "https://node.example/actor",
    }.ToJsonString());

    /// <summary>The request as the inbox would receive it after <paramref name="key"/> signed it.</summary>
    public static HttpRequestSnapshot Post(byte[] body, ActorSigningKey key, HttpSignatureFlavour flavour, DateTimeOffset now, Uri? inbox = null)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, inbox ?? Inbox) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/activity+json");
        RequestSigner.Sign(message, body, key, flavour, now);
        return RequestSigner.ToSnapshot(message, body);
    }

    /// <summary>The same request with other headers or another body.</summary>
    public static HttpRequestSnapshot With(HttpRequestSnapshot request, byte[]? body = null, params string[] removeHeaders)
    {
        var headers = new HeaderFields(request.Headers.Where(h => !removeHeaders.Contains(h.Key, StringComparer.OrdinalIgnoreCase)));
        return new HttpRequestSnapshot(request.Method, request.TargetUri, headers, body ?? request.Body);
    }
}
