namespace ChatonsFed.Aggregator.Tests;

/// <summary>The repository's root, found from the test binaries by looking for the solution file.</summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<string> Found = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ChatonsFed.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ChatonsFed.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Root => Found.Value;
}
