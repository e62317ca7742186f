using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChatonsFed.Cli.Tests;

/// <summary>
/// 'chatonsfed demo': the URLs it prints answer (actor JSON, HTML profile, directory search), the update it makes
/// reaches the aggregator, and cancellation, SIGINT or SIGTERM stop everything with exit code 0, free the ports and
/// remove the temporary folder.
/// </summary>
public sealed partial class DemoTests
{
    private const string ReadyLine = "The demo is running. Press Ctrl-C to stop it.";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task The_demo_serves_what_it_prints_shows_the_update_at_the_aggregator_and_stops_when_cancelled()
    {
        using var output = new LinesWriter();
        using var error = new LinesWriter();
        using var stop = new CancellationTokenSource();
        var run = CliApplication.RunAsync(["demo"], output, error, stop.Token);
        var printed = await WaitForReadyAsync(() => output.Text, () => run.IsCompleted, () => error.Text);

        using var http = new HttpClient();
        Assert.Equal(3, printed.Profiles.Count);
        foreach (var profile in printed.Profiles)
        {
            var actor = JsonNode.Parse(await GetAsync(http, profile, "application/activity+json"))!;
            Assert.Equal("Organization", actor["type"]!.GetValue<string>());
            Assert.Equal(profile, actor["id"]!.GetValue<string>());
            Assert.NotNull(actor["proof"]);
            var page = await GetAsync(http, profile, "text/html");
            Assert.Contains(WebUtility.HtmlEncode(actor["name"]!.GetValue<string>()), page, StringComparison.Ordinal);
        }

        var search = JsonNode.Parse(await GetAsync(http, printed.Api, "application/json"))!;
        Assert.True(search["total"]!.GetValue<int>() >= 1, search.ToJsonString());
        var all = JsonNode.Parse(await GetAsync(http, new Uri(new Uri(printed.Api), "/api/directory/search?limit=100").AbsoluteUri, "application/json"))!;
        Assert.Equal(3, all["total"]!.GetValue<int>());
        var updated = JsonNode.Parse(await GetAsync(http, printed.UpdateQuery, "application/json"))!;
        Assert.Contains(printed.Profiles[0], updated["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
        Assert.True(System.IO.Directory.Exists(printed.DataFolder));

        // Membership: the first two chatons are the trust roots (admitted), the last has one endorsement of the two the
        // quorum asks (a candidate), and each chaton is on a host of its own.
        Assert.Equal(3, printed.Profiles.Select(p => new Uri(p).Host).Distinct().Count());
        var candidates = JsonNode.Parse(await GetAsync(http, printed.CandidateQuery, "application/json"))!["items"]!.AsArray();
        var candidate = Assert.Single(candidates)!;
        Assert.Equal(printed.Profiles[2], candidate["id"]!.GetValue<string>());
        Assert.Equal(1, candidate["admission"]!["endorsements"]!.GetValue<int>());
        Assert.Equal(printed.Profiles[0], candidate["admission"]!["endorsedBy"]![0]!.GetValue<string>());
        var admitted = JsonNode.Parse(await GetAsync(http, printed.CandidateQuery.Replace("admission=candidate", "admission=admitted", StringComparison.Ordinal), "application/json"))!["items"]!.AsArray();
        Assert.Equal(new[] { printed.Profiles[0], printed.Profiles[1] }.Order(StringComparer.Ordinal), admitted.Select(i => i!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.All(admitted, i => Assert.True(i!["admission"]!["root"]!.GetValue<bool>()));

        await stop.CancelAsync();
        var exit = await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(exit == 0, $"exit {exit}\n{output.Text}\n{error.Text}");
        Assert.Contains("Stopped; removed " + printed.DataFolder, output.Text, StringComparison.Ordinal);
        AssertStopped(printed);
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task The_demo_process_stops_cleanly_on_a_signal(string signal)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "chatonsfed.dll"));
        start.ArgumentList.Add("demo");
        using var process = Process.Start(start)!;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var printed = await WaitForReadyAsync(() => Read(stdout), () => process.HasExited, () => Read(stderr));
            Assert.False(IgnoresSignal(process.Id, signal), $"the demo process was started with SIG{signal} ignored (inherited from the test host): it cannot be tested with it here");

            using (var kill = Process.Start("kill", ["-" + signal, process.Id.ToString()]))
            {
                await kill.WaitForExitAsync();
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{Read(stdout)}\n{Read(stderr)}");
            Assert.Contains("Stopped; removed " + printed.DataFolder, Read(stdout), StringComparison.Ordinal);
            Assert.Equal(string.Empty, Read(stderr).Trim());
            AssertStopped(printed);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task A_data_folder_that_is_not_empty_is_refused_in_one_line()
    {
        using var folder = new TempFolder();
        await File.WriteAllTextAsync(folder.File("something"), "x");

        var result = await CliRunner.RunAsync("demo", "--data", folder.Path);

        Assert.Equal(CliApplication.UsageError, result.ExitCode);
        Assert.Equal($"chatonsfed: {folder.Path} already exists and is not empty; give --data a new or empty folder", result.Error.Trim());
        Assert.Equal(string.Empty, result.Output);
    }

    private static void AssertStopped(DemoOutput printed)
    {
        Assert.False(System.IO.Directory.Exists(printed.DataFolder), $"{printed.DataFolder} is left behind");
        foreach (var endpoint in printed.Endpoints)
        {
            using var listener = new TcpListener(endpoint);
            listener.Start();
        }
    }

    private static async Task<DemoOutput> WaitForReadyAsync(Func<string> output, Func<bool> ended, Func<string> error)
    {
        var clock = Stopwatch.StartNew();
        while (!output().Contains(ReadyLine, StringComparison.Ordinal))
        {
            Assert.False(ended(), $"the demo ended before it was ready:\n{output()}\n{error()}");
            Assert.True(clock.Elapsed < ReadyTimeout, $"the demo was not ready within {ReadyTimeout.TotalSeconds} s:\n{output()}\n{error()}");
            await Task.Delay(50);
        }

        return DemoOutput.Parse(output());
    }

    private static async Task<string> GetAsync(HttpClient http, string url, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd(accept);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{url} ({accept}): {(int)response.StatusCode} {text}");
        Assert.Equal(accept == "text/html" ? "text/html" : accept == "application/json" ? "application/json" : "application/activity+json", response.Content.Headers.ContentType?.MediaType);
        return text;
    }

    /// <summary>Whether the process ignores the signal (the SigIgn mask of /proc/PID/status).</summary>
    private static bool IgnoresSignal(int pid, string signal)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        var mask = Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16);
        var number = signal == "INT" ? 2 : 15;
        return (mask & (1UL << (number - 1))) != 0;
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is not null)
        {
            lock (text)
            {
                text.AppendLine(line);
            }
        }
    }

    private static string Read(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }

    private sealed record DemoOutput(string DataFolder, IReadOnlyList<string> Profiles, string Api, string UpdateQuery, IReadOnlyList<IPEndPoint> Endpoints, string CandidateQuery)
    {
        public static DemoOutput Parse(string text) => new(
            DataFolderPattern().Match(text).Groups[1].Value,
            [.. ProfilePattern().Matches(text).Select(m => m.Groups[1].Value)],
            ApiPattern().Match(text).Groups[1].Value,
            UpdateQueryPattern().Match(text).Groups[1].Value,
            [.. EndpointPattern().Matches(text).Select(m => IPEndPoint.Parse(m.Groups[1].Value)).Distinct()],
            CandidateQueryPattern().Match(text).Groups[1].Value);
    }

    [GeneratedRegex(@"data in (\S+)")]
    private static partial Regex DataFolderPattern();

    [GeneratedRegex(@"  profile: (\S+)")]
    private static partial Regex ProfilePattern();

    [GeneratedRegex(@"  directory API: (\S+)")]
    private static partial Regex ApiPattern();

    [GeneratedRegex(@"the aggregator shows it after [0-9.]+ m?s: (\S+)")]
    private static partial Regex UpdateQueryPattern();

    [GeneratedRegex(@"(127\.0\.0\.[0-9]+:[0-9]+)")]
    private static partial Regex EndpointPattern();

    [GeneratedRegex(@"as a candidate \(1 endorsement of 2\) after [0-9.]+ m?s: (\S+)")]
    private static partial Regex CandidateQueryPattern();

    /// <summary>A writer the demo prints to while the test reads what it printed so far.</summary>
    private sealed class LinesWriter : TextWriter
    {
        private readonly StringBuilder _text = new();

        public override Encoding Encoding => Encoding.UTF8;

        public string Text => Read(_text);

        public override void Write(char value)
        {
            lock (_text)
            {
                _text.Append(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_text)
            {
                _text.Append(value);
            }
        }
    }
}
