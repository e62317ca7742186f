using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Keys;

namespace ChatonsFed.Federation.Keys;

/// <summary>Finds a key by id in an actor document: in <c>publicKey</c> (security/v1) or in <c>assertionMethod</c> (Multikey).</summary>
public static class ActorKeys
{
    private static readonly string[] ActorTypes = ["Application", "Group", "Organization", "Person", "Service"];

    /// <summary>Whether the document looks like an actor: an actor type, or an inbox.</summary>
    public static bool IsActor(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document["inbox"] is not null || Strings(document["type"]).Any(t => ActorTypes.Contains(t, StringComparer.Ordinal));
    }

    /// <summary>
    /// The key <paramref name="keyId"/> of <paramref name="actor"/> as SPKI PEM, and its owner. The owner named in the
    /// key (<c>owner</c> or <c>controller</c>) must be the actor itself.
    /// </summary>
    public static bool TryFind(JsonObject actor, string keyId, [NotNullWhen(true)] out string? pem, [NotNullWhen(true)] out string? ownerId, [NotNullWhen(false)] out string? failure)
    {
        ArgumentNullException.ThrowIfNull(actor);
        pem = null;
        ownerId = null;
        var actorId = GetString(actor, "id");
        if (actorId is null)
        {
            failure = "the actor document has no id";
            return false;
        }

        foreach (var node in Nodes(actor["publicKey"]))
        {
            if (node is not JsonObject key || GetString(key, "id") != keyId)
            {
                continue;
            }

            var owner = GetString(key, "owner") ?? actorId;
            if (owner != actorId)
            {
                failure = $"the key {keyId} names the owner {owner}, not the actor {actorId}";
                return false;
            }

            if (!RsaPublicKey.TryFromPem(GetString(key, "publicKeyPem"), out var rsa, out var error))
            {
                failure = $"the publicKeyPem of {keyId} cannot be read: {error}";
                return false;
            }

            using (rsa)
            {
                pem = rsa.ToPem();
            }

            ownerId = owner;
            failure = null;
            return true;
        }

        foreach (var node in Nodes(actor["assertionMethod"]))
        {
            if (node is not JsonObject method || GetString(method, "id") != keyId)
            {
                continue;
            }

            var controller = GetString(method, "controller");
            if (controller != actorId)
            {
                failure = $"the Multikey {keyId} names the controller {controller ?? "(none)"}, not the actor {actorId}";
                return false;
            }

            if (!Multikey.TryDecode(GetString(method, "publicKeyMultibase"), out var decoded, out var error))
            {
                failure = $"the Multikey {keyId} cannot be read: {error}";
                return false;
            }

            switch (decoded.Codec)
            {
                case Multicodec.Ed25519Public when Ed25519PublicKey.TryFromRawBytes(decoded.KeyMaterial, out var ed, out error):
                    pem = ed.ToPem();
                    break;
                case Multicodec.RsaPublic when RsaPublicKey.TryFromPkcs1Der(decoded.KeyMaterial, out var rsa, out error):
                    using (rsa)
                    {
                        pem = rsa.ToPem();
                    }

                    break;
                default:
                    failure = $"the Multikey {keyId} is {decoded.CodecName}{(error is null ? string.Empty : $": {error}")}, not a usable Ed25519 or RSA key";
                    return false;
            }

            ownerId = controller;
            failure = null;
            return true;
        }

        failure = $"the actor {actorId} does not list the key {keyId}";
        return false;
    }

    /// <summary>The ids of the keys the actor lists, in <c>publicKey</c> and <c>assertionMethod</c>.</summary>
    public static IEnumerable<string> ListedKeyIds(JsonObject actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return Nodes(actor["publicKey"]).Concat(Nodes(actor["assertionMethod"]))
            .OfType<JsonObject>()
            .Select(key => GetString(key, "id"))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal);
    }

    internal static string? GetString(JsonObject node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    internal static IEnumerable<JsonNode> Nodes(JsonNode? node) => node switch
    {
        null => [],
        JsonArray array => array.OfType<JsonNode>(),
        _ => [node],
    };

    private static IEnumerable<string> Strings(JsonNode? node) =>
        Nodes(node).OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).OfType<string>();
}
