using System.Collections.Concurrent;
using System.Diagnostics;

namespace ChatonsFed.Node.Tests;

/// <summary>'chatonsfed serve' as a process of its own, as an operator runs it: started, waited for, killed.</summary>
internal static class ServeProcess
{
    /// <summary>Starts 'chatonsfed serve' on <paramref name="folder"/>; what it prints goes to <paramref name="lines"/>, if given.</summary>
    public static Process Start(string folder, string listen, ConcurrentQueue<string>? lines = null)
    {
        var process = Process.Start(StartInfo(folder, listen)) ?? throw new InvalidOperationException("could not start 'chatonsfed serve'");
        process.OutputDataReceived += (_, e) => Keep(lines, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(lines, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Waits until the process answers on <paramref name="listen"/>; fails if it exits or does not answer within 10 s.</summary>
    public static async Task WaitUntilServingAsync(string listen, Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 100; i++)
        {
            Assert.False(process.HasExited, $"'chatonsfed serve' exited with code {(process.HasExited ? process.ExitCode : 0)}");
            try
            {
                using var response = await http.GetAsync(listen + "/healthz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"'chatonsfed serve' did not answer on {listen} within 10 s");
    }

    /// <summary>Kills the process at once (as kill -9 does) and waits for it to be gone.</summary>
    public static async Task KillAsync(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
    }

    /// <summary>
    /// Runs a 'chatonsfed serve' expected to stop at once (refusing to start); returns its exit code and what it wrote
    /// on stderr, then on stdout, if anything, after "stdout: ".
    /// </summary>
    public static async Task<(int ExitCode, string Error)> RefusedAsync(string folder, string listen)
    {
        using var process = Process.Start(StartInfo(folder, listen)) ?? throw new InvalidOperationException("could not start 'chatonsfed serve'");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("'chatonsfed serve' was expected to stop at once and did not");
        }

        await output;
        return (process.ExitCode, (await error) + (await output).Replace("\n", " ", StringComparison.Ordinal).Trim() switch { "" => "", var o => "\nstdout: " + o });
    }

    /// <summary>A refusal: a non-zero exit and one line on stderr that contains <paramref name="expected"/>, without a stack trace.</summary>
    public static void AssertOneLine((int ExitCode, string Error) result, string expected)
    {
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    private static ProcessStartInfo StartInfo(string folder, string listen)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "chatonsfed.dll"), "serve", "--data", folder, "--urls", listen })
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private static void Keep(ConcurrentQueue<string>? lines, string? line)
    {
        if (lines is not null && line is not null)
        {
            lines.Enqueue(line);
        }
    }
}
