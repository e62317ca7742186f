using System.Text.Json.Nodes;
using ChatonsFed.Directory.Node;
using ChatonsFed.Protocol.Proofs;
using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Directory.Tests;

/// <summary>
/// spec/context.jsonld and spec/examples/ are generated from the code (the example chaton, the test keys and a
/// stopped clock). These tests fail when the files differ from what the code builds now; set
/// CHATONSFED_REGENERATE_SPEC=1 and run them again to rewrite the files, then review the diff.
/// </summary>
public sealed class SpecTests
{
    private const string RegenerateVariable = "CHATONSFED_REGENERATE_SPEC";

    public static TheoryData<string> ExampleNames() => [.. Examples().Keys];

    [Fact]
    public void Context_file_is_the_chatons_context()
    {
        var expected = new JsonObject { ["@context"] = ChatonsContext.ToJsonNode() };
        CheckOrRegenerate("context.jsonld", expected);
        var file = JsonNode.Parse(File.ReadAllText(SpecPath("context.jsonld")))!;
        JsonAssert.Equal(ChatonsContext.ToJsonNode(), file["@context"], "spec/context.jsonld");
    }

    [Theory]
    [MemberData(nameof(ExampleNames))]
    public void Example_is_what_the_code_builds(string name)
    {
        CheckOrRegenerate(Path.Combine("examples", name), Examples()[name]);
    }

    [Theory]
    [MemberData(nameof(ExampleNames))]
    public void Example_file_verifies_against_the_example_actor(string name)
    {
        var actor = JsonNode.Parse(File.ReadAllText(SpecPath("examples", "actor.json")))!.AsObject();
        var document = JsonNode.Parse(File.ReadAllText(SpecPath("examples", name)))!.AsObject();
        Assert.True(ProofVerifier.Verify(document, actor).IsValid, name);
    }

    private static Dictionary<string, JsonObject> Examples()
    {
        var node = ExampleChaton.Node();
        var state = ExampleChaton.State;
        var created = node.SignActivities(new ServiceAdded(state.Services[0]), state);
        return new Dictionary<string, JsonObject>(StringComparer.Ordinal)
        {
            ["actor.json"] = node.SignActor(state.Profile),
            ["service.json"] = node.SignService(state.Services[0]),
            ["services.json"] = node.SignServices(state.Services),
            ["attestation.json"] = node.SignAttestation(state.Charter!, state.Profile.Name),
            ["create-service.json"] = created[0].Json,
            ["note.json"] = created[1].EmbeddedObject!,
            ["update-actor.json"] = node.SignActivities(new ProfileChanged(state.Profile), state)[0].Json,
        };
    }

    private static void CheckOrRegenerate(string relativePath, JsonObject expected)
    {
        var path = SpecPath(relativePath);
        var text = expected.ToJsonString(JsonAssert.Pretty).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
        if (Environment.GetEnvironmentVariable(RegenerateVariable) == "1")
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
            return;
        }

        Assert.True(File.Exists(path), $"spec/{relativePath} is missing. Run the tests with {RegenerateVariable}=1 to generate it.");
        if (File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal) != text)
        {
            Assert.Fail($"spec/{relativePath} is not what the code builds now. If the change is intended, run "
                + $"`{RegenerateVariable}=1 dotnet test tests/ChatonsFed.Directory.Tests` and review the diff of spec/.\nThe code builds:\n{text}");
        }
    }

    private static string SpecPath(params string[] parts) => Path.Combine([RepositoryRoot(), "spec", .. parts]);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ChatonsFed.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("ChatonsFed.sln not found above the test binaries.");
    }
}
