using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Json;
using ChatonsFed.Protocol.Keys;
using ChatonsFed.Protocol.Proofs;
using ChatonsFed.Protocol.Tests.Json;
using CsCheck;

namespace ChatonsFed.Protocol.Tests.Proofs;

/// <summary>
/// Proofs hashed straight from the parsed text (the aggregator's path) must give exactly what hashing the tree of nodes
/// gives: the same hashData, and the same verdict with the same failure, for valid, altered and malformed documents.
/// </summary>
public class WireHashingTests
{
    private static readonly Gen<JsonObject> Documents =
        JsonGenerators.Object.Where(o => !o.ContainsKey("proof") && !o.ContainsKey("signature") && !o.ContainsKey("@context"));

    private static readonly Gen<byte[]> Seeds = Gen.Byte.Array[32];

    private static JsonObject Load(string name) => JsonNode.Parse(File.ReadAllText(RepositoryFiles.Fixture(name)))!.AsObject();

    /// <summary>Both verdicts for the text <paramref name="text"/>: from a tree of nodes, and from the parsed text.</summary>
    private static (VerificationResult Tree, VerificationResult Wire) BothWays(string text, JsonObject actor)
    {
        var tree = ProofVerifier.Verify(JsonNode.Parse(text)!.AsObject(), actor);
        using var parsed = JsonDocument.Parse(text);
        var wire = ProofVerifier.Verify(JsonObject.Create(parsed.RootElement)!, parsed.RootElement, actor);
        return (tree, wire);
    }

    [Fact]
    public void Random_documents_hash_the_same_from_the_text_with_or_without_context()
    {
        Gen.Select(Documents, Seeds, Gen.Int[0, 2]).Sample((document, seed, contextKind) =>
        {
            document["id"] = "https://chaton.test/things/1";
            if (contextKind == 1)
            {
                document["@context"] = ChatonFixture.Context();
            }
            else if (contextKind == 2)
            {
                document["@context"] = "https://www.w3.org/ns/activitystreams";
            }

            using var key = Ed25519KeyPair.FromSeed(seed);
            var signed = new ProofSigner(key, "https://chaton.test/actor#k", TimeProvider.System).Sign(document, ChatonFixture.Created);
            var text = signed.ToJsonString();
            using var parsed = JsonDocument.Parse(text);
            var proof = parsed.RootElement.GetProperty("proof");
            foreach (var context in new[] { ProofContext.FromDocumentWhenAbsent, ProofContext.AsReceived })
            {
                var fromTree = new byte[64];
                var node = JsonNode.Parse(text)!.AsObject();
                DataIntegrityProof.ComputeHashData(node, node["proof"]!.AsObject(), fromTree, context);
                var fromText = new byte[64];
                DataIntegrityProof.ComputeHashData(parsed.RootElement, proof, fromText, context);
                Assert.Equal(Convert.ToHexString(fromTree), Convert.ToHexString(fromText));
            }
        }, iter: 300);
    }

    [Fact]
    public void Signed_and_altered_documents_get_the_same_verdict_both_ways()
    {
        using var fixture = new ChatonFixture();
        var actor = fixture.Actor();
        Gen.Select(Documents, Gen.Int[0, int.MaxValue], Gen.Bool).Sample((document, pick, alter) =>
        {
            document["@context"] = ChatonFixture.Context();
            document["id"] = "https://chaton.test/things/1";
            document["attributedTo"] = ChatonFixture.ActorId;
            document.Remove("actor");
            var signed = fixture.Signer.Sign(document);
            if (alter)
            {
                var paths = ExampleDocumentTests.LeafPaths(signed).ToList();
                ExampleDocumentTests.Mutate(signed, paths[pick % paths.Count]);
            }

            var (tree, wire) = BothWays(signed.ToJsonString(), actor);
            Assert.Equal(tree, wire);
            if (!alter)
            {
                Assert.Equal(VerificationResult.Valid, wire);
            }
        }, iter: 300);
    }

    [Fact]
    public void A_note_signed_by_Fedify_verifies_from_its_text_and_its_alterations_do_not()
    {
        var actor = Load("fedify-signing-actor.json");
        var note = Load("fedify-signed-note.json");
        Assert.Equal(VerificationResult.Valid, BothWays(note.ToJsonString(), actor).Wire);

        note["content"] = "Bonjour, le chaton du coin héberge deux pads !";
        var (tree, wire) = BothWays(note.ToJsonString(), actor);
        Assert.Equal(ProofFailure.BadSignature, wire.Failure);
        Assert.Equal(tree, wire);
    }

    [Fact]
    public void A_proof_set_and_a_proof_with_its_own_context_verify_from_the_text()
    {
        using var fixture = new ChatonFixture();
        var actor = fixture.Actor();
        var document = new JsonObject { ["@context"] = ChatonFixture.Context(), ["id"] = ChatonFixture.ServiceId, ["type"] = "Note", ["attributedTo"] = ChatonFixture.ActorId };
        var signed = fixture.Signer.Sign(document);
        var proof = signed["proof"]!.AsObject();

        // A set: a broken proof first, the good one second; and a proof carrying the document's @context.
        var broken = proof.DeepClone().AsObject();
        broken["proofValue"] = "z" + new string('1', 80);
        var withContext = proof.DeepClone().AsObject();
        withContext["@context"] = ChatonFixture.Context();
        foreach (var variant in new JsonNode[] { new JsonArray(broken.DeepClone(), proof.DeepClone()), withContext })
        {
            signed["proof"] = variant;
            var (tree, wire) = BothWays(signed.ToJsonString(), actor);
            Assert.Equal(tree, wire);
        }

        signed["proof"] = new JsonArray(broken.DeepClone(), proof.DeepClone());
        Assert.Equal(VerificationResult.Valid, BothWays(signed.ToJsonString(), actor).Wire);

        // The proof's @context written with its members in another order: not the same bytes, the same value.
        var twoTerms = new JsonArray("https://www.w3.org/ns/activitystreams", new JsonObject { ["a"] = "https://a.example/#", ["b"] = "https://b.example/#" });
        var reordered = new JsonArray("https://www.w3.org/ns/activitystreams", new JsonObject { ["b"] = "https://b.example/#", ["a"] = "https://a.example/#" });
        var second = fixture.Signer.Sign(new JsonObject { ["@context"] = twoTerms, ["id"] = ChatonFixture.ServiceId, ["type"] = "Note", ["attributedTo"] = ChatonFixture.ActorId });
        second["proof"]!["@context"] = reordered;
        var both = BothWays(second.ToJsonString(), actor);
        Assert.Equal(both.Tree, both.Wire);
        Assert.Equal(VerificationResult.Valid, both.Wire);

        // A proof @context that is not a prefix of the document's.
        var other = proof.DeepClone().AsObject();
        other["@context"] = "https://example.org/another-context";
        signed["proof"] = other;
        both = BothWays(signed.ToJsonString(), actor);
        Assert.Equal(both.Tree, both.Wire);
        Assert.Equal(ProofFailure.ContextMismatch, both.Wire.Failure);
    }

    [Fact]
    public void A_member_given_twice_in_the_signed_text_is_refused_from_the_text()
    {
        using var fixture = new ChatonFixture();
        var signed = fixture.Signer.Sign(new JsonObject { ["@context"] = ChatonFixture.Context(), ["id"] = ChatonFixture.ServiceId, ["type"] = "Note", ["attributedTo"] = ChatonFixture.ActorId }).ToJsonString();
        var twice = signed.Replace("\"type\":\"Note\"", "\"type\":\"Note\",\"type\":\"Note\"", StringComparison.Ordinal);
        Assert.NotEqual(signed, twice);

        using var parsed = JsonDocument.Parse(twice);
        var hash = new byte[64];
        Assert.Throws<ProtocolFormatException>(() => DataIntegrityProof.ComputeHashData(parsed.RootElement, parsed.RootElement.GetProperty("proof"), hash, ProofContext.FromDocumentWhenAbsent));
    }

    [Fact]
    public void The_context_cache_gives_the_canonical_form_of_exactly_the_text_it_was_given()
    {
        using var scratch = new PooledBufferWriter();
        foreach (var text in new[] { "[\"https://www.w3.org/ns/activitystreams\",{\"b\":1,\"a\":\"x\"}]", "[\"https://www.w3.org/ns/activitystreams\",{\"a\":\"x\",\"b\":1}]", "{\"b\":1.0,\"a\":\"\\u0078\"}" })
        {
            using var parsed = JsonDocument.Parse(text);
            var expected = Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(parsed.RootElement));

            // Asked twice: the second answer comes from the cache and must be the same.
            Assert.Equal(expected, Encoding.UTF8.GetString(CanonicalContextCache.Get(parsed.RootElement, scratch)));
            Assert.Equal(expected, Encoding.UTF8.GetString(CanonicalContextCache.Get(parsed.RootElement, scratch)));
        }

        using var duplicated = JsonDocument.Parse("{\"a\":1,\"a\":2}");
        Assert.Throws<ProtocolFormatException>(() => CanonicalContextCache.Get(duplicated.RootElement, scratch));
    }
}
