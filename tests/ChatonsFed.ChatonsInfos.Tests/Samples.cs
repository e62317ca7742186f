using ChatonsFed.Protocol.Tests;

namespace ChatonsFed.ChatonsInfos.Tests;

/// <summary>The collective's sample files in ../shared/data/chatonsinfos.</summary>
internal static class Samples
{
    public static string Folder => SharedFiles.SharedPath("data", "chatonsinfos");

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(Folder, name));

    public static IEnumerable<string> All() =>
        Directory.EnumerateFiles(Folder, "*.properties").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;
}
