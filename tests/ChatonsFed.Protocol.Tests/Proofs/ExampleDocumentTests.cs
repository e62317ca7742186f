using System.Text.Json;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Keys;
using ChatonsFed.Protocol.Proofs;

namespace ChatonsFed.Protocol.Tests.Proofs;

/// <summary>The seven documents of tests/vectors/example-chaton signed by Fedify's signObject.</summary>
public class ExampleDocumentTests
{
    private static readonly string[] SignedFiles =
        ["actor.json", "service-1.json", "service-2.json", "service-3.json", "service-4.json", "service-5.json", "attestation.json"];

    public static TheoryData<string> SignedExamples() => new(SignedFiles);

    [Fact]
    public void All_signed_examples_are_listed()
    {
        var withProof = Directory.GetFiles(RepositoryFiles.ExampleChatonFolder, "*.json")
            .Where(f => Load(Path.GetFileName(f)).ContainsKey("proof"))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal);
        Assert.Equal(SignedFiles.Order(StringComparer.Ordinal), withProof);
    }

    [Theory]
    [MemberData(nameof(SignedExamples))]
    public void Example_verifies_against_the_example_actor(string file)
    {
        var document = Load(file);
        var actor = Load("actor.json");
        Assert.Equal(VerificationResult.Valid, ProofVerifier.Verify(document, actor));

        var key = Ed25519PublicKey.FromMultibase(actor["assertionMethod"]![0]!["publicKeyMultibase"]!.GetValue<string>());
        Assert.Equal(VerificationResult.Valid, ProofVerifier.VerifySignature(document, key));

        // Fedify signs the document's @context as part of the proof config although its proof carries none.
        var proof = document["proof"]!.AsObject();
        Assert.False(proof.ContainsKey("@context"));
        var signature = Multibase.Decode(proof["proofValue"]!.GetValue<string>());
        Assert.True(key.Verify(DataIntegrityProof.ComputeHashData(document, proof), signature));
    }

    [Theory]
    [MemberData(nameof(SignedExamples))]
    public async Task Example_verifies_with_a_resolved_owner(string file)
    {
        var actor = Load("actor.json");
        Uri? asked = null;
        var result = await ProofVerifier.VerifyAsync(Load(file), (uri, _) =>
        {
            asked = uri;
            return ValueTask.FromResult<JsonObject?>(actor);
        });
        Assert.Equal(VerificationResult.Valid, result);
        Assert.Equal(new Uri("https://chaton.example/c/0001/actor"), asked);
    }

    [Theory]
    [MemberData(nameof(SignedExamples))]
    public void Changing_any_single_value_invalidates_the_example(string file)
    {
        var actor = Load("actor.json");
        var original = Load(file);
        var paths = LeafPaths(original).ToList();
        Assert.True(paths.Count > 20, $"only {paths.Count} values found");

        var accepted = new List<string>();
        foreach (var path in paths)
        {
            var changed = Load(file);
            Mutate(changed, path);
            if (ProofVerifier.Verify(changed, actor).IsValid)
            {
                accepted.Add(string.Join('/', path));
            }
        }

        Assert.True(accepted.Count == 0, $"still valid after changing: {string.Join(", ", accepted)}");
    }

    [Theory]
    [MemberData(nameof(SignedExamples))]
    public void Removing_any_member_invalidates_the_example(string file)
    {
        var actor = Load("actor.json");
        foreach (var name in Load(file).Select(m => m.Key).ToList())
        {
            var changed = Load(file);
            changed.Remove(name);
            Assert.False(ProofVerifier.Verify(changed, actor).IsValid, $"still valid without {name}");
        }
    }

    [Fact]
    public void A_legacy_signature_added_after_the_proof_is_ignored()
    {
        var document = Load("service-1.json");
        document["signature"] = new JsonObject { ["type"] = "RsaSignature2017", ["signatureValue"] = "abc" };
        Assert.Equal(VerificationResult.Valid, ProofVerifier.Verify(document, Load("actor.json")));
    }

    [Fact]
    public void The_nine_digit_created_is_hashed_as_received()
    {
        var document = Load("service-1.json");
        Assert.Equal("2026-11-23T06:39:50.753990548Z", document["proof"]!["created"]!.GetValue<string>());
        document["proof"]!["created"] = "2026-11-23T06:39:50.753990500Z";
        Assert.StartsWith(ProofFailure.BadSignature, ProofVerifier.Verify(document, Load("actor.json")).Failure);
    }

    internal static JsonObject Load(string file) =>
        JsonNode.Parse(File.ReadAllText(RepositoryFiles.ExampleChaton(file)))!.AsObject();

    internal static IEnumerable<object[]> LeafPaths(JsonNode? node, object[]? prefix = null)
    {
        prefix ??= [];
        switch (node)
        {
            case JsonObject obj:
                foreach (var member in obj)
                {
                    foreach (var path in LeafPaths(member.Value, [.. prefix, member.Key]))
                    {
                        yield return path;
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    foreach (var path in LeafPaths(array[i], [.. prefix, i]))
                    {
                        yield return path;
                    }
                }

                break;
            default:
                yield return prefix;
                break;
        }
    }

    private static double Number(JsonValue value) =>
        value.TryGetValue<double>(out var d) ? d : value.TryGetValue<int>(out var i) ? i : double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Replaces the value at <paramref name="path"/> with a different value of the same kind.</summary>
    internal static void Mutate(JsonNode root, object[] path)
    {
        var parent = root;
        for (var i = 0; i < path.Length - 1; i++)
        {
            parent = path[i] is string name ? parent[name]! : parent[(int)path[i]]!;
        }

        var last = path[^1];
        var current = last is string n ? parent[n] : parent[(int)last];
        JsonNode? replacement = current switch
        {
            null => JsonValue.Create(0),
            JsonValue v when v.GetValueKind() == JsonValueKind.String => JsonValue.Create(v.GetValue<string>() + "x"),
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => JsonValue.Create(Number(v) is var d && d != 0 ? -d : 1),
            JsonValue v when v.GetValueKind() == JsonValueKind.True => JsonValue.Create(false),
            JsonValue v when v.GetValueKind() == JsonValueKind.False => JsonValue.Create(true),
            JsonObject => new JsonObject { ["x"] = 1 },
            JsonArray => new JsonArray(1),
            _ => throw new InvalidOperationException("unexpected node"),
        };
        if (last is string key)
        {
            parent[key] = replacement;
        }
        else
        {
            parent[(int)last] = replacement;
        }
    }
}
