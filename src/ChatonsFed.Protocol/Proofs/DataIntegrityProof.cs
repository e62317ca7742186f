using System.Text.Json;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Json;

namespace ChatonsFed.Protocol.Proofs;

/// <summary>
/// The eddsa-jcs-2022 Data Integrity cryptosuite: hashData = SHA-256(JCS(proof config)) || SHA-256(JCS(document)),
/// signed with Ed25519, proofValue = 'z' + base58btc(signature).
/// </summary>
public static class DataIntegrityProof
{
    public const string ProofType = "DataIntegrityProof";
    public const string Cryptosuite = "eddsa-jcs-2022";
    public const string AssertionMethodPurpose = "assertionMethod";
    public const int HashDataLength = 64;

    internal const string ProofProperty = "proof";
    internal const string ProofValueProperty = "proofValue";
    internal const string ContextProperty = "@context";

    /// <summary>The legacy LD signature (RsaSignature2017) that Mastodon and Fedify add after the proof; never hashed.</summary>
    internal const string LegacySignatureProperty = "signature";

    /// <summary>
    /// Computes hashData for <paramref name="proof"/> (with or without its proofValue) over <paramref name="document"/>
    /// (with or without its proof). The proof config is the proof minus proofValue; when the proof has no
    /// @context, the document's @context is part of the config, as the Create Proof algorithm puts it there
    /// and as Fedify hashes it. When the proof has an @context, the document is hashed with that @context,
    /// as the Verify Proof algorithm says.
    /// </summary>
    public static void ComputeHashData(JsonObject document, JsonObject proof, Span<byte> destination) =>
        ComputeHashData(document, proof, destination, ProofContext.FromDocumentWhenAbsent);

    public static byte[] ComputeHashData(JsonObject document, JsonObject proof)
    {
        var hash = new byte[HashDataLength];
        ComputeHashData(document, proof, hash);
        return hash;
    }

    internal static void ComputeHashData(JsonObject document, JsonObject proof, Span<byte> destination, ProofContext context)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(proof);
        if (destination.Length < HashDataLength)
        {
            throw new ArgumentException($"hashData needs {HashDataLength} bytes", nameof(destination));
        }

        using var contextBuffer = new PooledBufferWriter(2048);
        using var scratch = new PooledBufferWriter(8192);
        var (configEdits, documentEdits) = Edits(document, proof, context, contextBuffer);
        JsonCanonicalizer.HashSha256(proof, configEdits, scratch, destination[..32]);
        JsonCanonicalizer.HashSha256(document, documentEdits, scratch, destination[32..HashDataLength]);
    }

    /// <summary>
    /// As <see cref="ComputeHashData(JsonObject, JsonObject, Span{byte}, ProofContext)"/>, over the parsed text itself:
    /// <paramref name="document"/> and <paramref name="proof"/> are objects of a <see cref="JsonDocument"/>. The @context
    /// in force is canonicalized once per distinct text (<see cref="CanonicalContextCache"/>).
    /// </summary>
    internal static void ComputeHashData(JsonElement document, JsonElement proof, Span<byte> destination, ProofContext context)
    {
        if (destination.Length < HashDataLength)
        {
            throw new ArgumentException($"hashData needs {HashDataLength} bytes", nameof(destination));
        }

        using var contextBuffer = new PooledBufferWriter(2048);
        using var scratch = new PooledBufferWriter(8192);
        JsonElement proofContext = default, documentContext = default;
        var proofHasContext = proof.ValueKind == JsonValueKind.Object && proof.TryGetProperty(ContextProperty, out proofContext);
        var documentHasContext = document.ValueKind == JsonValueKind.Object && document.TryGetProperty(ContextProperty, out documentContext);
        TopLevelEdits configEdits, documentEdits;
        if (!proofHasContext && !documentHasContext)
        {
            (configEdits, documentEdits) = (new TopLevelEdits(ProofValueProperty), new TopLevelEdits(ProofProperty, LegacySignatureProperty));
        }
        else
        {
            var canonicalContext = CanonicalContextCache.Get(proofHasContext ? proofContext : documentContext, contextBuffer);
            configEdits = proofHasContext || context == ProofContext.FromDocumentWhenAbsent
                ? new TopLevelEdits(ProofValueProperty, overrideName: ContextProperty, overrideCanonicalValue: canonicalContext)
                : new TopLevelEdits(ProofValueProperty);
            documentEdits = new TopLevelEdits(ProofProperty, LegacySignatureProperty, ContextProperty, canonicalContext);
        }

        JsonCanonicalizer.HashSha256(proof, configEdits, scratch, destination[..32]);
        JsonCanonicalizer.HashSha256(document, documentEdits, scratch, destination[32..HashDataLength]);
    }

    /// <summary>The canonical proof config and document, for diagnostics and tests.</summary>
    internal static (byte[] ProofConfig, byte[] Document) Canonicalize(JsonObject document, JsonObject proof)
    {
        using var contextBuffer = new PooledBufferWriter(2048);
        var (configEdits, documentEdits) = Edits(document, proof, ProofContext.FromDocumentWhenAbsent, contextBuffer);
        return (JsonCanonicalizer.Canonicalize(proof, configEdits), JsonCanonicalizer.Canonicalize(document, documentEdits));
    }

    /// <summary>
    /// The proof config is the proof minus proofValue, with the document's @context when the proof has none
    /// (and <paramref name="context"/> asks for it). The document is hashed without proof and legacy signature,
    /// with the proof's @context when the proof has one. The @context in force is canonicalized once, into
    /// <paramref name="contextBuffer"/>, and written from there into both.
    /// </summary>
    private static (TopLevelEdits Config, TopLevelEdits Document) Edits(JsonObject document, JsonObject proof, ProofContext context, PooledBufferWriter contextBuffer)
    {
        var proofHasContext = proof.TryGetPropertyValue(ContextProperty, out var proofContext);
        var documentHasContext = document.TryGetPropertyValue(ContextProperty, out var documentContext);
        if (!proofHasContext && !documentHasContext)
        {
            return (new TopLevelEdits(ProofValueProperty), new TopLevelEdits(ProofProperty, LegacySignatureProperty));
        }

        JsonCanonicalizer.Canonicalize(proofHasContext ? proofContext : documentContext, contextBuffer);
        var canonicalContext = contextBuffer.WrittenSegment;
        var config = proofHasContext || context == ProofContext.FromDocumentWhenAbsent
            ? new TopLevelEdits(ProofValueProperty, overrideName: ContextProperty, overrideCanonicalValue: canonicalContext)
            : new TopLevelEdits(ProofValueProperty);
        var documentEdits = documentHasContext || proofHasContext
            ? new TopLevelEdits(ProofProperty, LegacySignatureProperty, ContextProperty, canonicalContext)
            : new TopLevelEdits(ProofProperty, LegacySignatureProperty);
        return (config, documentEdits);
    }
}

/// <summary>Where the proof config's @context comes from when the proof itself has none.</summary>
internal enum ProofContext
{
    /// <summary>The document's @context (eddsa-jcs-2022 Create Proof, and Fedify).</summary>
    FromDocumentWhenAbsent,

    /// <summary>None: the proof exactly as received, minus proofValue (a strict reading of Verify Proof).</summary>
    AsReceived,
}
