using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ChatonsFed.Cli;
using ChatonsFed.Hosting;

namespace ChatonsFed.Testing;

/// <summary>
/// A node or an aggregator made with 'chatonsfed init' in a temporary folder and served in this process, as
/// 'chatonsfed serve' serves it (<see cref="HostRoles"/>), by a real Kestrel on 127.0.0.1. <see cref="TestNode"/> and
/// <see cref="TestAggregator"/> make one of each role; the folder is removed when the host is disposed.
/// </summary>
public abstract class TestHost : IAsyncDisposable
{
    /// <summary>Listens on 127.0.0.1 at a port the system chooses.</summary>
    public const string AnyLoopbackPort = "http://127.0.0.1:0";

    protected TestHost(string folder, string publicUrl, string ownerToken)
    {
        Folder = folder;
        PublicUrl = publicUrl;
        OwnerToken = ownerToken;
    }

    /// <summary>The data folder.</summary>
    public string Folder { get; }

    /// <summary>The public base URL, as given to init.</summary>
    public string PublicUrl { get; }

    /// <summary>The owner's admin credential that init printed.</summary>
    public string OwnerToken { get; }

    /// <summary>The running host, null before the first start and after a stop.</summary>
    public RunningNode? Running { get; private set; }

    /// <summary>A client whose base address is where the host listens now.</summary>
    public HttpClient Http { get; private set; } = new();

    /// <summary>The clock the host runs on from its next start (the system's when null), for tests that move time.</summary>
    public TimeProvider? Time { get; set; }

    /// <summary>Where <see cref="StartAsync()"/> listens.</summary>
    protected abstract string DefaultListenUrl { get; }

    /// <summary>A port free now on <paramref name="host"/>, 127.0.0.1 by default (a host's public URL must be known before it starts).</summary>
    public static int FreePort(string host = "127.0.0.1")
    {
        using var listener = new TcpListener(IPAddress.Parse(host), 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Runs 'chatonsfed init' with <paramref name="arguments"/> and <c>--data</c> set to a new temporary folder named
    /// after <paramref name="prefix"/>; returns the folder and the admin credential that init printed.
    /// </summary>
    protected static async Task<(string Folder, string OwnerToken)> InitFolderAsync(string prefix, IEnumerable<string> arguments)
    {
        var folder = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
        var text = await CliAsync(["init", "--data", folder, .. arguments]);
        var token = text.Split('\n').Single(l => l.Contains("Admin credential", StringComparison.Ordinal)).Split(": ")[1].Trim();
        return (folder, token);
    }

    /// <summary>Runs 'chatonsfed' with <paramref name="args"/> in this process and returns what it printed; fails unless it exits 0.</summary>
    public static async Task<string> CliAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApplication.RunAsync(args, output, error);
        var text = output.ToString();
        return code == 0
            ? text
            : throw new InvalidOperationException($"'chatonsfed {string.Join(' ', args)}' failed: exit {code}\nstdout: {text}\nstderr: {error}");
    }

    /// <summary>Changes the settings (the ChatonsFed section of appsettings.json); they apply at the next start.</summary>
    public async Task ConfigureAsync(Action<JsonObject> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var path = Path.Combine(Folder, "appsettings.json");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        change(json["ChatonsFed"]!.AsObject());
        await File.WriteAllTextAsync(path, json.ToJsonString());
    }

    /// <summary>Starts the host where its role listens by default (see <see cref="TestNode"/> and <see cref="TestAggregator"/>).</summary>
    public Task StartAsync() => StartAsync(DefaultListenUrl);

    /// <summary>Starts the host listening at its public URL (an http://127.0.0.1:PORT URL), so that others reach it there.</summary>
    public Task StartOnPublicUrlAsync() => StartAsync(PublicUrl);

    /// <summary>Starts the host listening at <paramref name="urls"/>, such as <c>http://127.0.0.1:8080</c>.</summary>
    public async Task StartAsync(string urls)
    {
        Running = await HostRoles.StartAsync(Folder, urls, CancellationToken.None, Time);
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

    /// <summary>A GET of <paramref name="path"/> that accepts <paramref name="accept"/>.</summary>
    public HttpRequestMessage Get(string path, string accept = LoopbackServer.ActivityJson)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);
        return request;
    }

    /// <summary>A request to the admin API (<c>/api/admin/</c> + <paramref name="path"/>) with <paramref name="token"/> as bearer, if any.</summary>
    public HttpRequestMessage Admin(HttpMethod method, string path, string? token)
    {
        var request = new HttpRequestMessage(method, "/api/admin/" + path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    /// <summary>The JSON object at <paramref name="path"/>; fails on any answer but a success.</summary>
    public async Task<JsonObject> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        EnsureSuccess(response, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>The bytes at <paramref name="path"/>; fails on any answer but a success.</summary>
    public async Task<byte[]> GetBytesAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        EnsureSuccess(response, path);
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>Waits until <paramref name="condition"/> holds, for at most <paramref name="seconds"/>.</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, double seconds, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed.TotalSeconds > seconds)
            {
                throw new TimeoutException($"not within {seconds} s: {what}");
            }

            await Task.Delay(100);
        }
    }

    protected static void EnsureSuccess(HttpResponseMessage response, string message)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(message, null, response.StatusCode);
        }
    }

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
            // A file still held open by a finished test: the temporary folder is cleaned by the system.
        }

        GC.SuppressFinalize(this);
    }
}
