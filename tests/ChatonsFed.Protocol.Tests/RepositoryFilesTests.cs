using System.Diagnostics;

namespace ChatonsFed.Protocol.Tests;

/// <summary>The repository stands on its own: it holds every file it builds, runs, deploys and tests with.</summary>
public class RepositoryFilesTests
{
    // Written in two parts so that this file does not mention the folder it looks for.
    private static readonly string OutsideFolder = ".." + "/shared";

    private static readonly string[] Ignored = ["bin", "obj", "node_modules", ".git", ".test-results", "TestResults", "BenchmarkDotNet.Artifacts"];

    [Fact]
    public void No_tracked_file_outside_docs_reads_a_folder_beside_the_repository()
    {
        var offenders = new List<string>();
        foreach (var file in TrackedFiles())
        {
            if (file.StartsWith("docs/", StringComparison.Ordinal))
            {
                continue;
            }

            var path = RepositoryFiles.InRepository(file.Split('/'));
            if (!File.Exists(path) || new FileInfo(path).Length > 16 * 1024 * 1024)
            {
                continue;
            }

            var text = File.ReadAllText(path);
            if (text.Contains(OutsideFolder, StringComparison.Ordinal) || text.Contains(OutsideFolder.Replace('/', '\\'), StringComparison.Ordinal)
                || text.Contains("CHATONSFED_" + "SHARED", StringComparison.Ordinal))
            {
                offenders.Add(file);
            }
        }

        Assert.True(offenders.Count == 0, $"these files mention {OutsideFolder} (copy what they need into the repository): {string.Join(", ", offenders)}");
    }

    [Fact]
    public void Every_vector_file_is_in_the_repository_and_named_in_its_folder_readme()
    {
        foreach (var folder in new[] { RepositoryFiles.Vector(""), RepositoryFiles.ExampleChatonFolder, RepositoryFiles.Catalog(""), RepositoryFiles.ChatonsInfosSamples })
        {
            var readme = Path.Combine(folder, "README.md");
            Assert.True(File.Exists(readme), $"{folder} has no README.md naming the source of its files");
            var text = File.ReadAllText(readme);
            var files = Directory.GetFiles(folder).Where(f => !f.EndsWith("README.md", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(files);
            if (folder == RepositoryFiles.ExampleChatonFolder)
            {
                continue; // one chaton: the README describes the set
            }

            foreach (var file in files)
            {
                var name = Path.GetFileName(file);
                var stem = Path.GetFileNameWithoutExtension(file);
                Assert.True(text.Contains(name, StringComparison.Ordinal) || text.Contains(stem, StringComparison.Ordinal), $"{readme} does not name {name}");
            }
        }

        Assert.True(File.Exists(RepositoryFiles.Vector("jcs-rfc8785.json")));
        Assert.Equal(12, Directory.GetFiles(RepositoryFiles.ExampleChatonFolder, "*.json").Length);
    }

    [Fact]
    public void Website_map_files_are_in_the_repository_with_their_licences()
    {
        var vendor = RepositoryFiles.InRepository("web", "vendor");
        foreach (var file in new[] { "leaflet.js", "leaflet.css", "countries.geojson", "images/marker-icon.png", "licenses/leaflet.txt", "licenses/world-atlas.txt", "licenses/topojson-client.txt" })
        {
            Assert.True(File.Exists(Path.Combine(vendor, file)), $"web/vendor/{file} is missing (web/refresh.sh makes it)");
        }
    }

    [Fact]
    public void No_project_file_runs_npm_or_node()
    {
        var projectFiles = TrackedFiles().Where(f => f.EndsWith(".csproj", StringComparison.Ordinal) || f.EndsWith(".props", StringComparison.Ordinal) || f.EndsWith(".targets", StringComparison.Ordinal));
        foreach (var file in projectFiles)
        {
            var text = File.ReadAllText(RepositoryFiles.InRepository(file.Split('/')));
            Assert.False(text.Contains("<Exec", StringComparison.OrdinalIgnoreCase) && (text.Contains("npm", StringComparison.Ordinal) || text.Contains("node ", StringComparison.Ordinal)),
                $"{file} runs npm or node at build time; the build needs only the .NET SDK");
        }
    }

    /// <summary>The files git tracks (a clone); outside a git checkout, every file but build outputs and installs.</summary>
    private static IEnumerable<string> TrackedFiles()
    {
        var root = RepositoryFiles.RepositoryRoot;
        if (Directory.Exists(Path.Combine(root, ".git")))
        {
            try
            {
                var start = new ProcessStartInfo("git", ["-C", root, "ls-files", "-z"]) { RedirectStandardOutput = true, RedirectStandardError = true };
                using var git = Process.Start(start)!;
                var output = git.StandardOutput.ReadToEnd();
                git.WaitForExit();
                if (git.ExitCode == 0)
                {
                    return output.Split('\0', StringSplitOptions.RemoveEmptyEntries);
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // git is not installed: walk the tree instead.
            }
        }

        return Walk(root, root);
    }

    private static IEnumerable<string> Walk(string root, string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            yield return Path.GetRelativePath(root, file).Replace('\\', '/');
        }

        foreach (var sub in Directory.EnumerateDirectories(folder))
        {
            if (!Ignored.Contains(Path.GetFileName(sub)))
            {
                foreach (var file in Walk(root, sub))
                {
                    yield return file;
                }
            }
        }
    }
}
