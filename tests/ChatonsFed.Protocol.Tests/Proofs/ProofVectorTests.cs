using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Keys;
using ChatonsFed.Protocol.Proofs;

namespace ChatonsFed.Protocol.Tests.Proofs;

/// <summary>The W3C eddsa-jcs-2022 worked example and the FEP-8b32 / FEP-c390 vectors, byte for byte.</summary>
public class ProofVectorTests
{
    private static readonly JsonNode W3c = RepositoryFiles.LoadVector("eddsa-jcs-2022.json");
    private static readonly JsonNode Fep = RepositoryFiles.LoadVector("fep-8b32-521a-c390.json");

    [Fact]
    public void W3C_example_is_reproduced_byte_for_byte()
    {
        var options = W3c["proof_options"]!;
        using var key = Ed25519KeyPair.FromMultibaseSeed(W3c["keys"]!["secretKeyMultibase"]!.GetValue<string>());
        var signer = new ProofSigner(key, options["verificationMethod"]!.GetValue<string>(), TimeProvider.System);
        var unsigned = W3c["unsigned_document"]!.AsObject();
        var signed = signer.Sign(unsigned, DateTimeOffset.Parse(options["created"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));

        AssertIntermediates(W3c, unsigned, signed["proof"]!.AsObject());
        Assert.True(JsonNode.DeepEquals(W3c["signed_document"], signed), signed.ToJsonString());

        var publicKey = Ed25519PublicKey.FromMultibase(W3c["keys"]!["publicKeyMultibase"]!.GetValue<string>());
        Assert.Equal(VerificationResult.Valid, ProofVerifier.VerifySignature(W3c["signed_document"]!.AsObject(), publicKey));
    }

    [Fact]
    public void FEP_8b32_example_is_reproduced_byte_for_byte()
    {
        var vector = Fep["fep_8b32"]!["vector_sign"]!;
        using var key = Ed25519KeyPair.FromMultibaseSeed(vector["secretKeyMultibase"]!.GetValue<string>());
        var signer = new ProofSigner(key, vector["verificationMethod"]!.GetValue<string>(), TimeProvider.System);
        var unsigned = vector["input_document"]!.AsObject();
        var signed = signer.Sign(unsigned, DateTimeOffset.Parse(vector["created"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));

        AssertIntermediates(vector, unsigned, signed["proof"]!.AsObject());
        Assert.Equal(vector["proofValue_recomputed"]!.GetValue<string>(), signed["proof"]!["proofValue"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(vector["expected_signed_document"], signed), signed.ToJsonString());
    }

    [Fact]
    public void FEP_8b32_signed_document_verifies_against_its_actor()
    {
        var vector = Fep["fep_8b32"]!["vector_verify"]!;
        Assert.Equal("valid", vector["expected"]!.GetValue<string>());
        var result = ProofVerifier.Verify(vector["signed_document"]!.AsObject(), vector["actor"]!.AsObject());
        Assert.Equal(VerificationResult.Valid, result);
    }

    [Fact]
    public void FEP_c390_identity_proof_without_context_is_reproduced()
    {
        var vector = Fep["fep_c390"]!["vector"]!;
        using var key = Ed25519KeyPair.FromMultibaseSeed(vector["secretKeyMultibase"]!.GetValue<string>());
        var signer = new ProofSigner(key, vector["did"]!.GetValue<string>(), TimeProvider.System);
        var claim = vector["identity_claim"]!.AsObject();
        var signed = signer.Sign(claim, DateTimeOffset.Parse(vector["created"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));

        AssertIntermediates(vector, claim, signed["proof"]!.AsObject());
        Assert.True(JsonNode.DeepEquals(vector["expected_identity_proof"], signed), signed.ToJsonString());
        Assert.Equal(VerificationResult.Valid, ProofVerifier.VerifySignature(vector["expected_identity_proof"]!.AsObject(), key.PublicKey));
    }

    private static void AssertIntermediates(JsonNode vector, JsonObject unsigned, JsonObject proof)
    {
        var (config, document) = DataIntegrityProof.Canonicalize(unsigned, proof);
        Assert.Equal(vector["canonical_proof_config"]!.GetValue<string>(), Encoding.UTF8.GetString(config));
        Assert.Equal(vector["canonical_document"]!.GetValue<string>(), Encoding.UTF8.GetString(document));
        Assert.Equal(vector["canonical_proof_config_sha256_hex"]!.GetValue<string>(), Convert.ToHexStringLower(SHA256.HashData(config)));
        Assert.Equal(vector["canonical_document_sha256_hex"]!.GetValue<string>(), Convert.ToHexStringLower(SHA256.HashData(document)));
        Assert.Equal(vector["hashData_hex"]!.GetValue<string>(), Convert.ToHexStringLower(DataIntegrityProof.ComputeHashData(unsigned, proof)));
        var signature = Multibase.Decode(proof["proofValue"]!.GetValue<string>());
        Assert.Equal(vector["signature_hex"]!.GetValue<string>(), Convert.ToHexStringLower(signature));
    }
}
