using System.Diagnostics;
using System.Text;

namespace ChatonsFed.Deploy.Tests;

/// <summary>The repository's deploy/ folder, and the system tools the tests run (installed by prerequisites.sh).</summary>
internal static class DeployTools
{
    public const string InstallHint = "run 'bash tests/ChatonsFed.Deploy.Tests/prerequisites.sh' as root (it installs them with apt-get), or ./test.sh";

    /// <summary>The repository's root folder (above tests/fedify-peer).</summary>
    public static string RepositoryRoot { get; } = Path.GetDirectoryName(Path.GetDirectoryName(FedifyPeer.DefaultPeerDirectory))!;

    public static string DeployFile(params string[] parts) => Path.Combine([RepositoryRoot, "deploy", .. parts]);

    /// <summary>The full path of <paramref name="tool"/>, or a failed test that says what to install.</summary>
    public static string Require(string tool, string package)
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"]);
        foreach (var folder in folders)
        {
            var path = Path.Combine(folder, tool);
            if (File.Exists(path))
            {
                return path;
            }
        }

        Assert.Fail($"{tool} is not installed (Debian package {package}): {InstallHint}");
        return tool;
    }

    /// <summary>Runs a program to its end and returns its exit code and output.</summary>
    public static async Task<ToolResult> RunAsync(string program, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new ToolResult(process.ExitCode, await output, await error);
    }
}

internal sealed record ToolResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Output}\nstderr: {Error}";
}
