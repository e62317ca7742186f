using System.Text.Json.Nodes;

namespace ChatonsFed.Protocol.Tests;

/// <summary>Finds the collective's shared folder (vectors, data, design examples) beside the repository root.</summary>
internal static class SharedFiles
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string RepositoryRoot => Path.GetDirectoryName(Root.Value)!;

    public static string SharedPath(params string[] parts) => Path.Combine([Root.Value, .. parts]);

    public static string Vector(string name) => SharedPath("vectors", name);

    public static JsonNode LoadVector(string name) =>
        JsonNode.Parse(File.ReadAllText(Vector(name)))!;

    public static string Fixture(string name) =>
        Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private static string FindRoot()
    {
        var env = Environment.GetEnvironmentVariable("CHATONSFED_SHARED");
        if (!string.IsNullOrEmpty(env))
        {
            return Path.GetFullPath(env);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ChatonsFed.sln")))
            {
                var shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
                if (System.IO.Directory.Exists(shared))
                {
                    return shared;
                }

                throw new DirectoryNotFoundException(
                    $"The shared folder was expected at {shared} (beside the repository). Set CHATONSFED_SHARED to its path.");
            }
        }

        throw new DirectoryNotFoundException("ChatonsFed.sln not found above the test binaries; set CHATONSFED_SHARED.");
    }
}
