using System.Net;
using System.Text.Json.Nodes;
using ChatonsFed.Federation.Http;
using ChatonsFed.Federation.Signing;
using ChatonsFed.Protocol.HttpSignatures;
using ChatonsFed.Protocol.Keys;

namespace ChatonsFed.Federation.Tests;

internal static class Clients
{
    /// <summary>Options for talking to test peers on 127.0.0.1 and nothing else private.</summary>
    public static OutboundHttpOptions LoopbackOnly() => new()
    {
        AllowHttp = true,
        AllowedNetworks = { IPNetwork.Parse("127.0.0.0/8") },
        RequestTimeout = TimeSpan.FromSeconds(10),
    };

    public static ActivityPubClient Create(OutboundHttpOptions? options = null, TimeProvider? time = null, ISignatureFlavourMemory? memory = null)
    {
        options ??= LoopbackOnly();
        var http = new HttpClient(OutboundHandler.Create(options)) { Timeout = Timeout.InfiniteTimeSpan };
        return new ActivityPubClient(http, options, time ?? TimeProvider.System, memory);
    }
}

/// <summary>An actor with an RSA key (publicKey and an RSA Multikey) and an Ed25519 Multikey, served by a test peer.</summary>
internal sealed class RemoteActor
{
    private static readonly Lazy<RsaKeyPair[]> SharedRsa = new(() => [RsaKeyPair.Generate(), RsaKeyPair.Generate(), RsaKeyPair.Generate()]);

    public RemoteActor(LoopbackServer peer, string name = "alice", int rsaKeyIndex = 0)
    {
        Peer = peer;
        Id = peer.Address($"users/{name}").AbsoluteUri;
        Rsa = SharedRsa.Value[rsaKeyIndex];
        Ed25519 = Ed25519KeyPair.Generate();
        SigningKey = new ActorSigningKey(MainKeyId, HttpSignatureKey.ImportPem(Rsa.ExportPkcs8Pem()));
    }

    public LoopbackServer Peer { get; }

    public string Id { get; }

    public string MainKeyId => Id + "#main-key";

    public string Ed25519KeyId => Id + "#ed25519-key";

    public RsaKeyPair Rsa { get; private set; }

    public Ed25519KeyPair Ed25519 { get; }

    public ActorSigningKey SigningKey { get; private set; }

    /// <summary>The document's <c>updated</c>, left out when null.</summary>
    public string? Updated { get; set; }

    /// <summary>Replaces the RSA key under the same key id, as a key rotation does.</summary>
    public void RotateTo(int rsaKeyIndex)
    {
        Rsa = SharedRsa.Value[rsaKeyIndex];
        SigningKey = new ActorSigningKey(MainKeyId, HttpSignatureKey.ImportPem(Rsa.ExportPkcs8Pem()));
    }

    public static ActorSigningKey OtherKey(string keyId, int rsaKeyIndex) =>
        new(keyId, HttpSignatureKey.ImportPem(SharedRsa.Value[rsaKeyIndex].ExportPkcs8Pem()));

    public JsonObject Document()
    {
        var document = BaseDocument();
        if (Updated is not null)
        {
            document["updated"] = Updated;
        }

        return document;
    }

    private JsonObject BaseDocument() => new()
    {
        ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1", "https://w3id.org/security/data-integrity/v1", "https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"),
        ["id"] = Id,
        ["type"] = "Organization",
        ["inbox"] = Id + "/inbox",
        ["publicKey"] = new JsonObject
        {
            ["id"] = MainKeyId,
            ["owner"] = Id,
            ["publicKeyPem"] = Rsa.PublicKey.ToPem(),
        },
        ["assertionMethod"] = new JsonArray(
            new JsonObject
            {
                ["id"] = Ed25519KeyId,
                ["type"] = "Multikey",
                ["controller"] = Id,
                ["publicKeyMultibase"] = Ed25519.PublicKey.ToMultibase(),
            },
            new JsonObject
            {
                ["id"] = Id + "#rsa-multikey",
                ["type"] = "Multikey",
                ["controller"] = Id,
                ["publicKeyMultibase"] = Rsa.PublicKey.ToMultibase(),
            }),
    };

    /// <summary>Makes the peer serve this actor's document at its id (and answer 404 elsewhere unless <paramref name="otherwise"/>).</summary>
    public void Serve(Func<Microsoft.AspNetCore.Http.HttpContext, LoopbackRequest, Task>? otherwise = null)
    {
        var path = new Uri(Id).AbsolutePath;
        Peer.Handler = (context, request) =>
        {
            if (context.Request.Method == "GET" && context.Request.Path == path)
            {
                return LoopbackServer.WriteJsonAsync(context, Document().ToJsonString());
            }

            if (otherwise is not null)
            {
                return otherwise(context, request);
            }

            context.Response.StatusCode = 404;
            return Task.CompletedTask;
        };
    }
}
