using System.Net;
using System.Text.Json.Nodes;
using ChatonsFed.Aggregator.Aggregation;
using ChatonsFed.Hosting.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChatonsFed.Testing;

/// <summary>
/// An aggregator made with 'chatonsfed init --aggregator' for a public URL http://127.0.0.1:PORT (or another loopback
/// address) at a free port;
/// <see cref="TestHost.StartAsync()"/> serves it there.
/// </summary>
public sealed class TestAggregator : TestHost
{
    private TestAggregator(string folder, string publicUrl, string ownerToken)
        : base(folder, publicUrl, ownerToken)
    {
    }

    public DirectoryService Directory => Running!.Services.GetRequiredService<DirectoryService>();

    public string Inbox => PublicUrl + AggregatorUrls.InboxPath;

    protected override string DefaultListenUrl => PublicUrl;

    /// <summary>
    /// Creates the data folder, with <paramref name="seeds"/> and settings changed by <paramref name="configure"/>; the
    /// host runs on <paramref name="time"/> (the system's clock when null), at a free port of <paramref name="host"/>
    /// (a loopback address).
    /// </summary>
    public static async Task<TestAggregator> InitAsync(IEnumerable<string> seeds, Action<JsonObject>? configure = null, bool start = true, TimeProvider? time = null, string host = "127.0.0.1")
    {
        ArgumentNullException.ThrowIfNull(seeds);
        var url = $"http://{host}:{FreePort(host)}";
        var (folder, token) = await InitFolderAsync("chatonsfed-aggregation-tests-", ["--url", url, "--aggregator", "--allow-private-network", .. seeds.SelectMany(seed => new[] { "--seed", seed })]);
        var aggregator = new TestAggregator(folder, url, token) { Time = time };
        await aggregator.ConfigureAsync(settings =>
        {
            var section = settings["Aggregator"]!.AsObject();
            // Tests drive polls themselves; the poller's first round runs at start.
            section["PollInterval"] = "01:00:00";
            section["Discovery"]!["PerHostConcurrency"] = 16;
            // The service observatory checks the chatons' URLs in the background: off unless a test turns it on, so
            // that no test asks for the made-up hosts its chatons list.
            section["Observatory"] = new JsonObject { ["Enabled"] = false };
            configure?.Invoke(section);
        });
        if (start)
        {
            await aggregator.StartAsync();
        }

        return aggregator;
    }

    /// <summary>Runs an admin directory operation (rebuild, refresh, bootstrap) and returns its last line.</summary>
    public async Task<JsonObject> RunAsync(string operation, byte[]? body = null)
    {
        using var request = Admin(HttpMethod.Post, "directory/" + operation, OwnerToken);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        EnsureSuccess(response, text);
        return JsonNode.Parse(text.TrimEnd('\n').Split('\n')[^1])!.AsObject();
    }

    /// <summary>The directory's entry for <paramref name="actorId"/>, or null when it is not listed.</summary>
    public async Task<JsonObject?> EntryAsync(string actorId)
    {
        using var response = await Http.GetAsync("/api/directory/entry?id=" + Uri.EscapeDataString(actorId));
        return response.StatusCode == HttpStatusCode.NotFound ? null : JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }
}
