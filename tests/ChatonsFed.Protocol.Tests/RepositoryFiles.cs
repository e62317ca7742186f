using System.Text.Json.Nodes;

namespace ChatonsFed.Protocol.Tests;

/// <summary>
/// The repository's own files that tests read: the test vectors (tests/vectors), the example chaton
/// (tests/vectors/example-chaton), the collective's lists (src/ChatonsFed.Directory/Catalogs) and the ChatonsInfos
/// samples (src/ChatonsFed.Cli/Demo/ChatonsInfos). Found from the test binaries by walking up to ChatonsFed.sln.
/// </summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The folder that holds ChatonsFed.sln.</summary>
    public static string RepositoryRoot => Root.Value;

    public static string InRepository(params string[] parts) => Path.Combine([Root.Value, .. parts]);

    public static string Vector(string name) => InRepository("tests", "vectors", name);

    public static JsonNode LoadVector(string name) =>
        JsonNode.Parse(File.ReadAllText(Vector(name)))!;

    public static string ExampleChatonFolder => InRepository("tests", "vectors", "example-chaton");

    public static string ExampleChaton(string name) => Path.Combine(ExampleChatonFolder, name);

    public static string Catalog(string name) => InRepository("src", "ChatonsFed.Directory", "Catalogs", name);

    public static string ChatonsInfosSamples => InRepository("src", "ChatonsFed.Cli", "Demo", "ChatonsInfos");

    public static string ChatonsInfosSample(string name) => Path.Combine(ChatonsInfosSamples, name);

    public static string Fixture(string name) =>
        Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ChatonsFed.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"ChatonsFed.sln not found above the test binaries ({AppContext.BaseDirectory}).");
    }
}
