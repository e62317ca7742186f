using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Keys;
using ChatonsFed.Protocol.Proofs;
using ChatonsFed.Protocol.Tests.Json;
using CsCheck;

namespace ChatonsFed.Protocol.Tests.Proofs;

public class ProofPropertyTests
{
    private static readonly Gen<JsonObject> Documents =
        JsonGenerators.Object.Where(o => !o.ContainsKey("proof") && !o.ContainsKey("signature"));

    private static readonly Gen<byte[]> Seeds = Gen.Byte.Array[32];

    [Fact]
    public void Signed_random_documents_verify_with_their_key()
    {
        Gen.Select(Documents, Seeds).Sample((document, seed) =>
        {
            using var key = Ed25519KeyPair.FromSeed(seed);
            var signed = new ProofSigner(key, "https://x.test/a#k", TimeProvider.System).Sign(document, ChatonFixture.Created);
            Assert.Equal(VerificationResult.Valid, ProofVerifier.VerifySignature(signed, key.PublicKey));

            // Parsing the wire text again must not change the outcome.
            Assert.Equal(VerificationResult.Valid, ProofVerifier.VerifySignature(JsonNode.Parse(signed.ToJsonString())!.AsObject(), key.PublicKey));
        }, iter: 200);
    }

    [Fact]
    public void Changing_any_value_of_a_signed_random_document_breaks_it()
    {
        Gen.Select(Documents, Seeds, Gen.Int[0, int.MaxValue]).Sample((document, seed, pick) =>
        {
            using var key = Ed25519KeyPair.FromSeed(seed);
            var signed = new ProofSigner(key, "https://x.test/a#k", TimeProvider.System).Sign(document, ChatonFixture.Created);
            var paths = ExampleDocumentTests.LeafPaths(signed).ToList();
            var path = paths[pick % paths.Count];
            ExampleDocumentTests.Mutate(signed, path);
            var result = ProofVerifier.VerifySignature(signed, key.PublicKey);
            Assert.False(result.IsValid, $"still valid after changing {string.Join('/', path)}");
        }, iter: 300);
    }

    [Fact]
    public void A_random_document_signed_by_its_owner_passes_the_policy()
    {
        using var fixture = new ChatonFixture();
        Documents.Sample(document =>
        {
            document["id"] = "https://chaton.test/things/1";
            document["attributedTo"] = ChatonFixture.ActorId;
            document.Remove("actor");
            Assert.Equal(VerificationResult.Valid, ProofVerifier.Verify(fixture.Signer.Sign(document), fixture.Actor()));
        });
    }
}
