using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Keys;
using ChatonsFed.Protocol.Membership;
using ChatonsFed.Protocol.Proofs;
using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Protocol.Tests.Membership;

/// <summary>A freshly keyed issuer on <paramref name="origin"/>: its self-signed actor, credentials and status list.</summary>
internal sealed class MembershipIssuer(string origin = "https://issuer.test") : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    public string ActorId { get; } = origin + "/actor";

    public string KeyId => ActorId + "#ed25519-key";

    public string StatusListUrl { get; } = origin + "/membership/status";

    public Ed25519KeyPair Key { get; } = Ed25519KeyPair.Generate();

    public ProofSigner Signer => MembershipCredentialBuilder.Signer(Key, KeyId, TimeProvider.System);

    public StatusListBits Bits { get; } = StatusListBits.CreateEmpty();

    /// <summary>The issuer's actor, signed by its own key.</summary>
    public JsonObject Actor()
    {
        var actor = new JsonObject
        {
            ["@context"] = ChatonsContext.ToJsonNode(),
            ["id"] = ActorId,
            ["type"] = "Organization",
            ["preferredUsername"] = "issuer",
            ["inbox"] = ActorId + "/inbox",
            ["assertionMethod"] = new JsonArray(new JsonObject
            {
                ["id"] = KeyId,
                ["type"] = "Multikey",
                ["controller"] = ActorId,
                ["publicKeyMultibase"] = Key.PublicKey.ToMultibase(),
            }),
            ["endorsements"] = origin + "/membership/endorsements",
            ["issuedEndorsements"] = origin + "/membership/issued",
        };
        return new ProofSigner(Key, KeyId, TimeProvider.System).Sign(actor, Now.AddDays(-30));
    }

    public CredentialDraft Draft(string subject, int index, DateTimeOffset? validFrom = null, int days = 365) => new(
        Id: $"{origin}/membership/issued/{index:x8}",
        Issuer: ActorId,
        Subject: subject,
        ValidFrom: validFrom ?? Now.AddDays(-10),
        ValidUntil: (validFrom ?? Now.AddDays(-10)).AddDays(days),
        CharterVersion: "2016-v1",
        CharterDigest: "sha256-rWDn8J4EBxr5nv0IiyyB+bHzM8ZZyzJ8PyNWOA+ks0c=",
        AttestationId: subject.Replace("/actor", "/attestation", StringComparison.Ordinal),
        AttestationDigest: "sha256-Te9nPlj+WfRIGVPnrXoEFmel/fLDYbcB7BTdG8Zs1OU=",
        Criteria: [new CriterionCheck("hoster.control", true, null), new CriterionCheck("open.free-software", false, "Un service propriétaire")],
        Note: "Revue sur le forum",
        StatusListUrl: StatusListUrl,
        StatusListIndex: index);

    /// <summary>Signs <paramref name="document"/> (which must carry no proof) as this issuer.</summary>
    public JsonObject Sign(JsonObject document, DateTimeOffset? created = null) => Signer.Sign(document, created ?? Now.AddDays(-10));

    public JsonObject Credential(CredentialDraft draft) => Sign(MembershipCredentialBuilder.Build(draft), draft.ValidFrom);

    /// <summary>The signed status list and its bytes.</summary>
    public byte[] StatusList(DateTimeOffset? validFrom = null) =>
        Bytes(Sign(StatusListDocument.Build(StatusListUrl, ActorId, validFrom ?? Now.AddDays(-1), Bits), validFrom ?? Now.AddDays(-1)));

    /// <summary>The compact UTF-8 form, non-ASCII characters written as themselves.</summary>
    public static byte[] Bytes(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString(Relaxed));

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A copy of a signed document, changed by <paramref name="change"/>, then signed again.</summary>
    public JsonObject Resign(JsonObject signed, Action<JsonObject> change)
    {
        var copy = signed.DeepClone().AsObject();
        copy.Remove("proof");
        change(copy);
        return Sign(copy);
    }

    public void Dispose() => Key.Dispose();

    /// <summary>Sets each member of <paramref name="patch"/> (null removes), recursing into objects present on both sides.</summary>
    public static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject inner && target[key] is JsonObject existing)
            {
                Merge(existing, inner);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }
}
