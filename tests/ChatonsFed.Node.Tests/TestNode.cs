using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ChatonsFed.Cli;
using ChatonsFed.Hosting;

namespace ChatonsFed.Node.Tests;

/// <summary>A node made with 'chatonsfed init' in a temporary folder, started on 127.0.0.1 with a free port.</summary>
internal sealed class TestNode : IAsyncDisposable
{
    public const string DefaultPublicUrl = "https://chaton.test";

    private TestNode(string folder, string ownerToken, string publicUrl)
    {
        Folder = folder;
        OwnerToken = ownerToken;
        PublicUrl = publicUrl;
    }

    /// <summary>The node's public base URL, as given to init.</summary>
    public string PublicUrl { get; }

    public string Folder { get; }

    public string OwnerToken { get; }

    public RunningNode? Running { get; private set; }

    public HttpClient Http { get; private set; } = new();

    public static async Task<TestNode> InitAsync(string publicUrl = DefaultPublicUrl, bool start = true, string handle = "lynx", string name = "Lynx Net")
    {
        var folder = Path.Combine(Path.GetTempPath(), "chatonsfed-server-tests-" + Guid.NewGuid().ToString("N"));
        var init = await CliRunner.RunAsync("init", "--data", folder, "--url", publicUrl, "--handle", handle, "--name", name, "--allow-private-network");
        Assert.True(init.ExitCode == 0, init.ToString());
        var token = init.Output.Split('\n').Single(l => l.Contains("Admin credential", StringComparison.Ordinal)).Split(": ")[1].Trim();
        var node = new TestNode(folder, token, publicUrl);
        if (start)
        {
            await node.StartAsync();
        }

        return node;
    }

    /// <summary>
    /// A node that refuses private addresses, as a public node does, except <paramref name="allowedNetworks"/> (a test
    /// peer's stand-in for the public internet); plain http stays allowed, since test peers have no TLS.
    /// </summary>
    public static async Task<TestNode> InitPublicAsync(params string[] allowedNetworks)
    {
        var node = await InitAsync(start: false);
        await node.ConfigureAsync(settings =>
        {
            settings["AllowPrivateNetwork"] = false;
            settings["AllowHttp"] = true;
            settings["AllowedNetworks"] = new JsonArray([.. allowedNetworks.Select(n => (JsonNode)n)]);
        });
        await node.StartAsync();
        return node;
    }

    /// <summary>Changes the node's settings (the ChatonsFed section of its appsettings.json); they apply at the next start.</summary>
    public async Task ConfigureAsync(Action<JsonObject> change)
    {
        var path = Path.Combine(Folder, "appsettings.json");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        change(json["ChatonsFed"]!.AsObject());
        await File.WriteAllTextAsync(path, json.ToJsonString());
    }

    public async Task StartAsync()
    {
        Running = await HostRoles.StartAsync(Folder, "http://127.0.0.1:0", CancellationToken.None);
        Http.Dispose();
        Http = new HttpClient { BaseAddress = Running.Address };
    }

    /// <summary>Starts the node listening at its public URL (an http://127.0.0.1:PORT URL), so that others reach it there.</summary>
    public async Task StartOnPublicUrlAsync()
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

    public HttpRequestMessage Get(string path, string accept = "application/activity+json")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);
        return request;
    }

    public HttpRequestMessage Admin(HttpMethod method, string path, string? token)
    {
        var request = new HttpRequestMessage(method, "/api/admin/" + path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
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
            // A file still held open by a finished test: the temp folder is cleaned by the system.
        }
    }
}
