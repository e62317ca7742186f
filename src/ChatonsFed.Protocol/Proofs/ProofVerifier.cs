using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatonsFed.Protocol.Keys;

namespace ChatonsFed.Protocol.Proofs;

/// <summary>
/// Verifies eddsa-jcs-2022 proofs on documents as received (the wire JSON, never a re-serialised model).
/// <see cref="VerifySignature(JsonObject, Ed25519PublicKey)"/> checks only the cryptography;
/// <see cref="Verify(JsonObject, JsonObject)"/> also applies FEP-8b32 and FEP-fe34: the key must be an
/// assertionMethod Multikey of the object's owner, on the object's origin.
/// </summary>
/// <remarks>
/// When <c>proof</c> is an array (a proof set), the document is accepted if any one proof in it passes
/// every check; each is computed over the document without any proof, and proof chains
/// (<c>previousProof</c>) are not followed. A legacy <c>signature</c> (RsaSignature2017) is left out of the hash.
/// </remarks>
public static partial class ProofVerifier
{
    private static readonly string[] ActorTypes = ["Application", "Group", "Organization", "Person", "Service"];

    /// <summary>Checks the proof's shape and signature against <paramref name="publicKey"/>, with no policy on whose key it is.</summary>
    public static VerificationResult VerifySignature(JsonObject securedDocument, Ed25519PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(securedDocument);
        ArgumentNullException.ThrowIfNull(publicKey);
        if (!TryGetProofs(securedDocument, out var proofs, out var failure))
        {
            return failure.Value;
        }

        VerificationResult? first = null;
        foreach (var proof in proofs)
        {
            var result = CheckShape(securedDocument, proof, out var signature);
            if (result.IsValid)
            {
                result = CheckSignature(securedDocument, proof, signature, publicKey);
            }

            if (result.IsValid)
            {
                return result;
            }

            first ??= result;
        }

        return first!.Value;
    }

    /// <summary>Checks the signature against a raw 32-byte Ed25519 public key.</summary>
    public static VerificationResult VerifySignature(JsonObject securedDocument, ReadOnlySpan<byte> ed25519PublicKey) =>
        Ed25519PublicKey.TryFromRawBytes(ed25519PublicKey, out var key, out var error)
            ? VerifySignature(securedDocument, key)
            : VerificationResult.Invalid($"{ProofFailure.BadPublicKey}: {error}");

    /// <summary>
    /// Verifies the proof and the FEP-8b32 / FEP-fe34 rules against <paramref name="ownerActor"/>, which must
    /// come from an authoritative fetch of the owner's id (never from the signed document's own say-so).
    /// For an actor signing itself, pass its fetched document.
    /// </summary>
    public static VerificationResult Verify(JsonObject securedDocument, JsonObject ownerActor) =>
        Verify(securedDocument, null, ownerActor);

    /// <summary>
    /// As <see cref="Verify(JsonObject, JsonObject)"/>, for a document whose parsed text is at hand:
    /// <paramref name="wire"/> is the root of the <see cref="JsonDocument"/> that <paramref name="securedDocument"/> was
    /// made from (<see cref="JsonObject.Create(JsonElement, JsonNodeOptions?)"/>). The hashes are computed from it, which
    /// spares building a tree of every member; the outcome is the same.
    /// </summary>
    public static VerificationResult Verify(JsonObject securedDocument, JsonElement? wire, JsonObject ownerActor)
    {
        ArgumentNullException.ThrowIfNull(securedDocument);
        ArgumentNullException.ThrowIfNull(ownerActor);
        if (!TryGetProofs(securedDocument, out var proofs, out var failure))
        {
            return failure.Value;
        }

        var wireProofs = WireProofs(wire, proofs.Count);
        VerificationResult? first = null;
        for (var i = 0; i < proofs.Count; i++)
        {
            var proof = proofs[i];
            var result = VerifyOne(securedDocument, proof, ownerActor, wireProofs is null ? null : (wire!.Value, wireProofs[i]));
            if (result.IsValid)
            {
                return result;
            }

            first ??= result;
        }

        return first!.Value;
    }

    /// <summary>
    /// Finds the object's owner, asks <paramref name="resolveActor"/> for that actor's document (the
    /// resolver should fetch it from its own origin, or return a copy fetched from there) and verifies.
    /// </summary>
    public static async ValueTask<VerificationResult> VerifyAsync(
        JsonObject securedDocument,
        Func<Uri, CancellationToken, ValueTask<JsonObject?>> resolveActor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(securedDocument);
        ArgumentNullException.ThrowIfNull(resolveActor);
        if (!TryGetOwnerId(securedDocument, out var ownerId, out var ownerFailure))
        {
            return VerificationResult.Invalid(ownerFailure);
        }

        if (!TryParseHttpUrl(ownerId, out var ownerUri))
        {
            return VerificationResult.Invalid($"{ProofFailure.NoOwner}: the owner id {ownerId} is not an http(s) URL");
        }

        var actor = await resolveActor(ownerUri, cancellationToken).ConfigureAwait(false);
        return actor is null
            ? VerificationResult.Invalid($"{ProofFailure.OwnerUnavailable}: {ownerId}")
            : Verify(securedDocument, actor);
    }

    /// <summary>
    /// The object's owner in FEP-fe34 terms: its <c>actor</c> or <c>attributedTo</c> (an id or an object
    /// with one, alone or in an array, and all naming the same actor), or the object itself when it is an
    /// actor without either. False with a reason when there is none, or more than one.
    /// </summary>
    public static bool TryGetOwnerId(JsonObject document, [NotNullWhen(true)] out string? ownerId, [NotNullWhen(false)] out string? failure)
    {
        ArgumentNullException.ThrowIfNull(document);
        ownerId = null;
        var owners = new HashSet<string>(StringComparer.Ordinal);
        AddIds(document["actor"], owners);
        AddIds(document["attributedTo"], owners);
        if (owners.Count > 1)
        {
            failure = $"{ProofFailure.SeveralOwners}: {string.Join(", ", owners)}";
            return false;
        }

        if (owners.Count == 1)
        {
            ownerId = owners.First();
            failure = null;
            return true;
        }

        if (HasAnyType(document, ActorTypes) && GetString(document, "id") is { } self)
        {
            ownerId = self;
            failure = null;
            return true;
        }

        failure = ProofFailure.NoOwner;
        return false;
    }

    /// <summary>The proofs of <paramref name="wire"/> in their order, when they are as many objects as the node's.</summary>
    private static JsonElement[]? WireProofs(JsonElement? wire, int count)
    {
        if (wire is not { ValueKind: JsonValueKind.Object } root || !root.TryGetProperty(DataIntegrityProof.ProofProperty, out var proof))
        {
            return null;
        }

        var proofs = Items(proof);
        return proofs.Length == count && proofs.All(p => p.ValueKind == JsonValueKind.Object) ? proofs : null;
    }

    private static VerificationResult VerifyOne(JsonObject document, JsonObject proof, JsonObject actor, (JsonElement Document, JsonElement Proof)? wire)
    {
        var result = CheckShape(document, proof, out var signature, wire);
        if (!result.IsValid)
        {
            return result;
        }

        var verificationMethod = GetString(proof, "verificationMethod")!;
        if (!TryParseHttpUrl(verificationMethod, out var methodUri))
        {
            return VerificationResult.Invalid($"{ProofFailure.BadVerificationMethod}: {verificationMethod}");
        }

        if (!TryParseHttpUrl(GetString(document, "id"), out var objectId))
        {
            return VerificationResult.Invalid(ProofFailure.NoObjectId);
        }

        if (!SameOrigin(methodUri, objectId))
        {
            return VerificationResult.Invalid($"{ProofFailure.VerificationMethodOrigin}: {verificationMethod} for {objectId}");
        }

        if (!TryGetOwnerId(document, out var ownerId, out var ownerFailure))
        {
            return VerificationResult.Invalid(ownerFailure);
        }

        if (!TryParseHttpUrl(ownerId, out var ownerUri) || !SameOrigin(ownerUri, objectId))
        {
            return VerificationResult.Invalid($"{ProofFailure.OwnerOrigin}: {ownerId} for {objectId}");
        }

        var actorId = GetString(actor, "id");
        if (!string.Equals(actorId, ownerId, StringComparison.Ordinal))
        {
            return VerificationResult.Invalid($"{ProofFailure.ActorMismatch}: got {actorId ?? "a document without id"}, the owner is {ownerId}");
        }

        result = FindAssertionKey(actor, ownerId, verificationMethod, out var key);
        if (!result.IsValid)
        {
            return result;
        }

        return CheckSignature(document, proof, signature, key!, wire);
    }

    /// <summary>The Ed25519 key of <paramref name="verificationMethod"/> when <paramref name="actor"/> lists it in assertionMethod as a Multikey controlled by <paramref name="actorId"/>.</summary>
    internal static VerificationResult FindAssertionKey(JsonObject actor, string actorId, string verificationMethod, out Ed25519PublicKey? key)
    {
        key = null;
        JsonObject? method = null;
        var listed = false;
        foreach (var entry in Items(actor["assertionMethod"]))
        {
            if (entry is JsonObject obj && string.Equals(GetString(obj, "id"), verificationMethod, StringComparison.Ordinal))
            {
                listed = true;
                method = obj;
                break;
            }

            if (entry is JsonValue value && value.TryGetValue<string>(out var id) && string.Equals(id, verificationMethod, StringComparison.Ordinal))
            {
                listed = true;
            }
        }

        if (!listed)
        {
            return VerificationResult.Invalid($"{ProofFailure.NotInAssertionMethod}: {verificationMethod}");
        }

        // A bare id in assertionMethod refers to a method described under verificationMethod (CID documents).
        method ??= Items(actor["verificationMethod"]).OfType<JsonObject>()
            .FirstOrDefault(m => string.Equals(GetString(m, "id"), verificationMethod, StringComparison.Ordinal));
        if (method is null)
        {
            return VerificationResult.Invalid($"{ProofFailure.KeyNotFound}: {verificationMethod}");
        }

        if (!HasAnyType(method, ["Multikey"]))
        {
            return VerificationResult.Invalid($"{ProofFailure.NotMultikey}: {verificationMethod}");
        }

        var controller = GetId(method["controller"]);
        if (!string.Equals(controller, actorId, StringComparison.Ordinal))
        {
            return VerificationResult.Invalid($"{ProofFailure.ControllerMismatch}: {controller ?? "none"}, the owner is {actorId}");
        }

        if (!Ed25519PublicKey.TryFromMultibase(GetString(method, "publicKeyMultibase"), out key, out var error))
        {
            return VerificationResult.Invalid($"{ProofFailure.BadPublicKey}: {error}");
        }

        return VerificationResult.Valid;
    }

    private static bool TryGetProofs(JsonObject document, out List<JsonObject> proofs, [NotNullWhen(false)] out VerificationResult? failure)
    {
        proofs = [];
        failure = null;
        if (!document.TryGetPropertyValue(DataIntegrityProof.ProofProperty, out var node) || node is null)
        {
            failure = VerificationResult.Invalid(ProofFailure.NoProof);
            return false;
        }

        foreach (var item in Items(node))
        {
            if (item is not JsonObject proof)
            {
                failure = VerificationResult.Invalid(ProofFailure.ProofNotAnObject);
                return false;
            }

            proofs.Add(proof);
        }

        if (proofs.Count == 0)
        {
            failure = VerificationResult.Invalid(ProofFailure.NoProof);
            return false;
        }

        return true;
    }

    /// <summary>The proof's type, cryptosuite, purpose, verificationMethod, created, proofValue and @context; the decoded signature goes to <paramref name="signature"/>.</summary>
    internal static VerificationResult CheckShape(JsonObject document, JsonObject proof, Span<byte> signature, (JsonElement Document, JsonElement Proof)? wire = null)
    {
        if (GetString(proof, "type") != DataIntegrityProof.ProofType)
        {
            return VerificationResult.Invalid($"{ProofFailure.WrongProofType}: {Describe(proof["type"])}");
        }

        if (GetString(proof, "cryptosuite") != DataIntegrityProof.Cryptosuite)
        {
            return VerificationResult.Invalid($"{ProofFailure.WrongCryptosuite}: {Describe(proof["cryptosuite"])}");
        }

        if (GetString(proof, "proofPurpose") != DataIntegrityProof.AssertionMethodPurpose)
        {
            return VerificationResult.Invalid($"{ProofFailure.WrongProofPurpose}: {Describe(proof["proofPurpose"])}");
        }

        if (string.IsNullOrEmpty(GetString(proof, "verificationMethod")))
        {
            return VerificationResult.Invalid($"{ProofFailure.BadVerificationMethod}: {Describe(proof["verificationMethod"])}");
        }

        if (proof.TryGetPropertyValue("created", out var created) && (GetString(created) is not { } text || !XmlDateTime().IsMatch(text)))
        {
            return VerificationResult.Invalid($"{ProofFailure.BadCreated}: {Describe(created)}");
        }

        if (proof.ContainsKey("previousProof"))
        {
            return VerificationResult.Invalid(ProofFailure.ProofChain);
        }

        var proofValue = GetString(proof, DataIntegrityProof.ProofValueProperty);
        if (proofValue is null)
        {
            return VerificationResult.Invalid($"{ProofFailure.BadProofValue}: missing");
        }

        // 64 bytes take at most 88 base58 characters; anything much longer is not a signature.
        if (proofValue.Length > 100)
        {
            return VerificationResult.Invalid($"{ProofFailure.BadProofValue}: {proofValue.Length} characters");
        }

        Span<byte> decoded = stackalloc byte[Ed25519PublicKey.SignatureLength + 8];
        if (!Multibase.TryDecode(proofValue, decoded, out var length, out var error))
        {
            return VerificationResult.Invalid($"{ProofFailure.BadProofValue}: {error}");
        }

        if (length != Ed25519PublicKey.SignatureLength)
        {
            return VerificationResult.Invalid($"{ProofFailure.BadProofValue}: {length} bytes instead of {Ed25519PublicKey.SignatureLength}");
        }

        decoded[..length].CopyTo(signature);

        if (proof.TryGetPropertyValue(DataIntegrityProof.ContextProperty, out var proofContext)
            && !(wire is { } parsed ? IsContextPrefix(parsed.Proof, parsed.Document) : IsContextPrefix(proofContext, document)))
        {
            return VerificationResult.Invalid(ProofFailure.ContextMismatch);
        }

        return VerificationResult.Valid;
    }

    private static VerificationResult CheckShape(JsonObject document, JsonObject proof, out byte[] signature, (JsonElement Document, JsonElement Proof)? wire = null)
    {
        signature = new byte[Ed25519PublicKey.SignatureLength];
        return CheckShape(document, proof, signature.AsSpan(), wire);
    }

    internal static VerificationResult CheckSignature(JsonObject document, JsonObject proof, ReadOnlySpan<byte> signature, Ed25519PublicKey key, (JsonElement Document, JsonElement Proof)? wire = null)
    {
        Span<byte> hashData = stackalloc byte[DataIntegrityProof.HashDataLength];
        try
        {
            Hash(ProofContext.FromDocumentWhenAbsent, hashData);
            if (key.Verify(hashData, signature))
            {
                return VerificationResult.Valid;
            }

            // A proof without @context on a document with one: a strict verifier hashes the config without it.
            if (!proof.ContainsKey(DataIntegrityProof.ContextProperty) && document.ContainsKey(DataIntegrityProof.ContextProperty))
            {
                Hash(ProofContext.AsReceived, hashData);
                if (key.Verify(hashData, signature))
                {
                    return VerificationResult.Valid;
                }
            }
        }
        catch (ProtocolFormatException e)
        {
            return VerificationResult.Invalid($"{ProofFailure.Malformed}: {e.Message}");
        }

        return VerificationResult.Invalid(ProofFailure.BadSignature);

        void Hash(ProofContext context, Span<byte> destination)
        {
            if (wire is { } parsed)
            {
                DataIntegrityProof.ComputeHashData(parsed.Document, parsed.Proof, destination, context);
            }
            else
            {
                DataIntegrityProof.ComputeHashData(document, proof, destination, context);
            }
        }
    }

    /// <summary>
    /// As <see cref="IsContextPrefix(JsonNode?, JsonObject)"/> over the parsed text: an item written byte for byte as the
    /// document's is equal without further reading (a proof usually repeats its document's @context verbatim).
    /// </summary>
    private static bool IsContextPrefix(JsonElement proof, JsonElement document)
    {
        if (!proof.TryGetProperty(DataIntegrityProof.ContextProperty, out var proofContext)
            || !document.TryGetProperty(DataIntegrityProof.ContextProperty, out var documentContext))
        {
            return false;
        }

        var prefix = Items(proofContext);
        var full = Items(documentContext);
        if (prefix.Length > full.Length)
        {
            return false;
        }

        for (var i = 0; i < prefix.Length; i++)
        {
            if (!JsonMarshal.GetRawUtf8Value(prefix[i]).SequenceEqual(JsonMarshal.GetRawUtf8Value(full[i]))
                && !JsonNode.DeepEquals(JsonNode.Parse(JsonMarshal.GetRawUtf8Value(prefix[i])), JsonNode.Parse(JsonMarshal.GetRawUtf8Value(full[i]))))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsContextPrefix(JsonNode? proofContext, JsonObject document)
    {
        if (!document.TryGetPropertyValue(DataIntegrityProof.ContextProperty, out var documentContext))
        {
            return false;
        }

        var prefix = Items(proofContext).ToList();
        var full = Items(documentContext).ToList();
        if (prefix.Count > full.Count)
        {
            return false;
        }

        for (var i = 0; i < prefix.Count; i++)
        {
            if (!JsonNode.DeepEquals(prefix[i], full[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The values of a property that may hold one value or an array of them.</summary>
    private static IEnumerable<JsonNode?> Items(JsonNode? node)
    {
        if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                yield return item;
            }
        }
        else if (node is not null)
        {
            yield return node;
        }
    }

    /// <summary>As <see cref="Items(JsonNode?)"/>, for a value of the parsed text.</summary>
    private static JsonElement[] Items(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray()] : [value];

    private static void AddIds(JsonNode? node, HashSet<string> ids)
    {
        foreach (var item in Items(node))
        {
            if (GetId(item) is { } id)
            {
                ids.Add(id);
            }
        }
    }

    private static string? GetId(JsonNode? node) => node switch
    {
        JsonObject obj => GetString(obj, "id"),
        _ => GetString(node),
    };

    private static bool HasAnyType(JsonObject obj, string[] types) =>
        Items(obj["type"]).Any(t => GetString(t) is { } name && types.Contains(name, StringComparer.Ordinal));

    private static string? GetString(JsonObject obj, string name) =>
        obj.TryGetPropertyValue(name, out var node) ? GetString(node) : null;

    private static string? GetString(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static string Describe(JsonNode? node) => node is null ? "missing" : node.ToJsonString();

    /// <summary>Whether <paramref name="text"/> is an absolute http(s) URL, as object ids and key ids must be.</summary>
    public static bool TryParseHttpUrl([NotNullWhen(true)] string? text, [NotNullWhen(true)] out Uri? uri)
    {
        uri = null;
        return text is not null
            && Uri.TryCreate(text, UriKind.Absolute, out uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
    }

    /// <summary>Same scheme, host and port, as FEP-fe34 defines an origin (Uri lowercases and fills in default ports).</summary>
    public static bool SameOrigin(Uri a, Uri b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return string.Equals(a.Scheme, b.Scheme, StringComparison.Ordinal)
            && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
            && a.Port == b.Port;
    }

    [GeneratedRegex(@"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex XmlDateTime();
}
