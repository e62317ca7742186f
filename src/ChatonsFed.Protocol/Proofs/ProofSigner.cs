using System.Globalization;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Keys;

namespace ChatonsFed.Protocol.Proofs;

/// <summary>Adds eddsa-jcs-2022 proofs made with one Ed25519 key, named by its verificationMethod id.</summary>
public sealed class ProofSigner
{
    private readonly Ed25519KeyPair _key;
    private readonly TimeProvider _timeProvider;

    public ProofSigner(Ed25519KeyPair key, string verificationMethod, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(verificationMethod);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _key = key;
        VerificationMethod = verificationMethod;
        _timeProvider = timeProvider;
    }

    public string VerificationMethod { get; }

    /// <summary>
    /// Whether the proof carries a copy of the document's @context, as the eddsa-jcs-2022 Create Proof
    /// algorithm and the FEP-8b32 examples do (the default). Either way the document's @context is part
    /// of the signed proof config, so strict Data Integrity verifiers and Fedify (which leaves it out of
    /// the proof it emits but hashes it) both accept the result.
    /// </summary>
    public bool EmbedContextInProof { get; init; } = true;

    /// <summary>Formats a proof's created time as yyyy-MM-ddTHH:mm:ssZ: Fedify refuses fractional seconds and offsets.</summary>
    public static string FormatCreated(DateTimeOffset created) =>
        created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Returns a copy of <paramref name="document"/> with a proof created now.</summary>
    public JsonObject Sign(JsonObject document) => Sign(document, _timeProvider.GetUtcNow());

    /// <summary>Returns a copy of <paramref name="document"/> with a proof created at <paramref name="created"/>.</summary>
    public JsonObject Sign(JsonObject document, DateTimeOffset created)
    {
        var proof = CreateProof(document, created);
        var signed = document.DeepClone().AsObject();
        signed[DataIntegrityProof.ProofProperty] = proof;
        return signed;
    }

    /// <summary>The proof object for <paramref name="document"/>, which must not have a proof yet.</summary>
    public JsonObject CreateProof(JsonObject document, DateTimeOffset created)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.ContainsKey(DataIntegrityProof.ProofProperty))
        {
            throw new ArgumentException("the document already has a proof; sign the document without it", nameof(document));
        }

        var proof = new JsonObject();
        if (EmbedContextInProof && document.TryGetPropertyValue(DataIntegrityProof.ContextProperty, out var context))
        {
            proof[DataIntegrityProof.ContextProperty] = context?.DeepClone();
        }

        proof["type"] = DataIntegrityProof.ProofType;
        proof["cryptosuite"] = DataIntegrityProof.Cryptosuite;
        proof["verificationMethod"] = VerificationMethod;
        proof["proofPurpose"] = DataIntegrityProof.AssertionMethodPurpose;
        proof["created"] = FormatCreated(created);

        Span<byte> hashData = stackalloc byte[DataIntegrityProof.HashDataLength];
        DataIntegrityProof.ComputeHashData(document, proof, hashData);
        Span<byte> signature = stackalloc byte[Ed25519PublicKey.SignatureLength];
        _key.Sign(hashData, signature);
        proof[DataIntegrityProof.ProofValueProperty] = Multibase.EncodeBase58Btc(signature);
        return proof;
    }
}
