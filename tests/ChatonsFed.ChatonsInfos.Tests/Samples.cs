using ChatonsFed.Protocol.Tests;

namespace ChatonsFed.ChatonsInfos.Tests;

/// <summary>The ChatonsInfos sample files (src/ChatonsFed.Cli/Demo/ChatonsInfos).</summary>
internal static class Samples
{
    public static string Folder => RepositoryFiles.ChatonsInfosSamples;

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(Folder, name));

    public static IEnumerable<string> All() =>
        Directory.EnumerateFiles(Folder, "*.properties").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;
}
