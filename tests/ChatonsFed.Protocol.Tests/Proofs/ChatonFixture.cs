using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Keys;
using ChatonsFed.Protocol.Proofs;

namespace ChatonsFed.Protocol.Tests.Proofs;

/// <summary>A freshly keyed chaton actor and a hosted service attributed to it, for policy tests.</summary>
internal sealed class ChatonFixture : IDisposable
{
    public const string ActorId = "https://chaton.test/actor";
    public const string KeyId = ActorId + "#ed25519-key";
    public const string ServiceId = "https://chaton.test/service/1";

    public static readonly DateTimeOffset Created = new(2026, 3, 1, 12, 30, 15, TimeSpan.Zero);

    public ChatonFixture()
    {
        Key = Ed25519KeyPair.Generate();
        Signer = new ProofSigner(Key, KeyId, new FixedTime(Created));
    }

    public Ed25519KeyPair Key { get; }

    public ProofSigner Signer { get; }

    public static JsonArray Context() =>
    [
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/data-integrity/v1",
        "https://www.w3.org/ns/did/v1",
        "https://w3id.org/security/multikey/v1",
        new JsonObject { ["chatons"] = "https://chatons.org/ns#" },
    ];

    public JsonObject Multikey(string? publicKeyMultibase = null) => new()
    {
        ["id"] = KeyId,
        ["type"] = "Multikey",
        ["controller"] = ActorId,
        ["publicKeyMultibase"] = publicKeyMultibase ?? Key.PublicKey.ToMultibase(),
    };

    public JsonObject Actor(JsonNode? assertionMethod = null) => new()
    {
        ["@context"] = Context(),
        ["id"] = ActorId,
        ["type"] = "Organization",
        ["preferredUsername"] = "lynx",
        ["inbox"] = ActorId + "/inbox",
        ["assertionMethod"] = assertionMethod ?? new JsonArray(Multikey()),
    };

    public static JsonObject Service() => new()
    {
        ["@context"] = Context(),
        ["id"] = ServiceId,
        ["type"] = new JsonArray("Object", "HostedService"),
        ["attributedTo"] = ActorId,
        ["name"] = "Pads",
        ["location"] = new JsonObject { ["latitude"] = 46.19155, ["longitude"] = -1.15641 },
    };

    public JsonObject SignedService(Action<JsonObject>? edit = null)
    {
        var service = Service();
        edit?.Invoke(service);
        return Signer.Sign(service);
    }

    public void Dispose() => Key.Dispose();

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
