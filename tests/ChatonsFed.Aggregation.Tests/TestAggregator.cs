using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatonsFed.Aggregator.Aggregation;
using ChatonsFed.Cli;
using ChatonsFed.Hosting;
using ChatonsFed.Hosting.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChatonsFed.Aggregation.Tests;

/// <summary>An aggregator made with 'chatonsfed init --aggregator' in a temporary folder, served on 127.0.0.1 at a free port.</summary>
internal sealed class TestAggregator : IAsyncDisposable
{
    private TestAggregator(string folder, string publicUrl, string ownerToken)
    {
        Folder = folder;
        PublicUrl = publicUrl;
        OwnerToken = ownerToken;
    }

    public string Folder { get; }

    public string PublicUrl { get; }

    public string OwnerToken { get; }

    public RunningNode? Running { get; private set; }

    public HttpClient Http { get; private set; } = new();

    public DirectoryService Directory => Running!.Services.GetRequiredService<DirectoryService>();

    public string Inbox => PublicUrl + AggregatorUrls.InboxPath;

    /// <summary>Creates the data folder, with <paramref name="seeds"/> and settings changed by <paramref name="configure"/>.</summary>
    public static async Task<TestAggregator> InitAsync(IEnumerable<string> seeds, Action<JsonObject>? configure = null, bool start = true)
    {
        var folder = Path.Combine(Path.GetTempPath(), "chatonsfed-aggregation-tests-" + Guid.NewGuid().ToString("N"));
        var url = $"http://127.0.0.1:{FreePort()}";
        var args = new List<string> { "init", "--data", folder, "--url", url, "--aggregator", "--allow-private-network" };
        foreach (var seed in seeds)
        {
            args.AddRange(["--seed", seed]);
        }

        var init = await CliRunner.RunAsync([.. args]);
        Assert.True(init.ExitCode == 0, init.ToString());
        var token = init.Output.Split('\n').Single(l => l.Contains("Admin credential", StringComparison.Ordinal)).Split(": ")[1].Trim();
        var aggregator = new TestAggregator(folder, url, token);
        await aggregator.ConfigureAsync(settings =>
        {
            var section = settings["Aggregator"]!.AsObject();
            // Tests drive polls themselves; the poller's first round runs at start.
            section["PollInterval"] = "01:00:00";
            section["Discovery"]!["PerHostConcurrency"] = 16;
            configure?.Invoke(section);
        });
        if (start)
        {
            await aggregator.StartAsync();
        }

        return aggregator;
    }

    /// <summary>A port free now on 127.0.0.1 (a node's public URL must be known before it starts).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task ConfigureAsync(Action<JsonObject> change)
    {
        var path = Path.Combine(Folder, "appsettings.json");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        change(json["ChatonsFed"]!.AsObject());
        await File.WriteAllTextAsync(path, json.ToJsonString());
    }

    public async Task StartAsync()
    {
        Running = await HostRoles.StartAsync(Folder, PublicUrl, CancellationToken.None);
        Http.Dispose();
        Http = new HttpClient { BaseAddress = Running.Address };
    }

    public async Task StopAsync()
    {
        if (Running is not null)
        {
            await Running.DisposeAsync();
            Running = null;
        }
    }

    /// <summary>Runs an admin directory operation (rebuild, refresh, bootstrap) and returns its last line.</summary>
    public async Task<JsonObject> RunAsync(string operation, byte[]? body = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/directory/" + operation);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", OwnerToken);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text.TrimEnd('\n').Split('\n')[^1])!.AsObject();
    }

    public async Task<JsonObject> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public async Task<byte[]> GetBytesAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, path);
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>The directory's entry for <paramref name="actorId"/>, or null when it is not listed.</summary>
    public async Task<JsonObject?> EntryAsync(string actorId)
    {
        using var response = await Http.GetAsync("/api/directory/entry?id=" + Uri.EscapeDataString(actorId));
        return response.StatusCode == HttpStatusCode.NotFound ? null : JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>Waits until <paramref name="condition"/> holds, for at most <paramref name="seconds"/>.</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, double seconds, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed.TotalSeconds > seconds)
            {
                Assert.Fail($"not within {seconds} s: {what}");
            }

            await Task.Delay(100);
        }
    }

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Http.Dispose();
        try
        {
            System.IO.Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open: the temporary folder is cleaned by the system.
        }
    }
}
