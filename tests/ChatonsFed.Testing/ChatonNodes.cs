using System.Globalization;
using System.Text.Json.Nodes;

namespace ChatonsFed.Testing;

/// <summary>
/// Real chaton nodes, each on a loopback address of its own (127.0.0.N, a free port), so that each is a host of its
/// own: made with 'chatonsfed init', given a profile, a service and a charter attestation with the command line, and
/// served at their public URL. They endorse and revoke with 'chatonsfed membership', through their running admin API.
/// </summary>
public sealed class ChatonNodes : IAsyncDisposable
{
    private readonly List<ChatonNode> _nodes = [];

    public IReadOnlyList<ChatonNode> Nodes => _nodes;

    public ChatonNode this[int index] => _nodes[index];

    /// <summary>
    /// Starts one node per (handle, name) of <paramref name="chatons"/>, the first at 127.0.0.<paramref name="firstHost"/>,
    /// the next at the following address, and so on.
    /// </summary>
    public static async Task<ChatonNodes> StartAsync(IReadOnlyList<(string Handle, string Name)> chatons, int firstHost = 2)
    {
        ArgumentNullException.ThrowIfNull(chatons);
        var started = new ChatonNodes();
        try
        {
            // One after the other: each init and start is quick, and the machine may have two cores only.
            for (var i = 0; i < chatons.Count; i++)
            {
                started._nodes.Add(await StartNodeAsync(chatons[i].Handle, chatons[i].Name, firstHost + i, i));
            }
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }

        return started;
    }

    private static async Task<ChatonNode> StartNodeAsync(string handle, string name, int hostNumber, int index)
    {
        var host = $"127.0.0.{hostNumber}";
        var node = await TestNode.InitAsync($"http://{host}:{TestHost.FreePort(host)}", start: false, handle, name);
        try
        {
            string F(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
            string[][] changes =
            [
                ["profile", "set", "--summary", $"{name}, hébergeur associatif.", "--structure-type", "ASSOCIATION", "--country", "FR",
                    "--latitude", F(45.0 + (index * 0.5)), "--longitude", F(4.0 + (index * 0.5)), "--place-name", $"Ville {index + 1}", "--website", $"https://{handle}.example"],
                ["service", "add", "--slug", "pad", "--category", "collaborative-writing", "--name", "Pad", "--url", $"https://pad.{handle}.example", "--software", "Etherpad", "--registration", "free"],
                ["attestation", "set", "--all-required-met"],
            ];
            foreach (var change in changes)
            {
                await TestHost.CliAsync([.. change, "--data", node.Folder]);
            }

            await node.StartOnPublicUrlAsync();
            return new ChatonNode(node, handle, name);
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts an aggregator at a free port of 127.0.0.<paramref name="hostNumber"/> seeded with every node's actor, with
    /// <paramref name="roots"/> as its trust roots and <paramref name="quorum"/>, and other settings changed by
    /// <paramref name="configure"/> (the <c>Aggregator</c> section).
    /// </summary>
    public Task<TestAggregator> StartAggregatorAsync(int hostNumber, IReadOnlyList<string> roots, int quorum, Action<JsonObject>? configure = null) =>
        TestAggregator.InitAsync(_nodes.Select(n => n.ActorId), settings =>
        {
            settings["Membership"] = new JsonObject { ["TrustRoots"] = new JsonArray([.. roots.Select(r => (JsonNode)r)]), ["Quorum"] = quorum };
            configure?.Invoke(settings);
        }, host: $"127.0.0.{hostNumber}");

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.Node.DisposeAsync();
        }
    }
}

/// <summary>One node of <see cref="ChatonNodes"/>: its host, handle and name, and its membership commands.</summary>
public sealed record ChatonNode(TestNode Node, string Handle, string Name)
{
    public string ActorId => Node.PublicUrl + "/actor";

    /// <summary>127.0.0.N:PORT.</summary>
    public string Authority => new Uri(Node.PublicUrl).Authority;

    /// <summary><c>acct:HANDLE@127.0.0.N:PORT</c>.</summary>
    public string Acct => $"acct:{Handle}@{Authority}";

    /// <summary><c>@HANDLE@127.0.0.N:PORT</c>, as one writes it in a fediverse client.</summary>
    public string Mention => $"@{Handle}@{Authority}";

    /// <summary>
    /// 'chatonsfed membership endorse <paramref name="subject"/> --data …' with <paramref name="options"/>, through the
    /// running node: the credential's id and <c>validUntil</c> as the command printed them.
    /// </summary>
    public async Task<IssuedCredential> EndorseAsync(string subject, params string[] options)
    {
        var output = await TestHost.CliAsync(["membership", "endorse", subject, "--data", Node.Folder, .. options]);
        var lines = output.Split('\n');
        var id = lines[0][(lines[0].LastIndexOf(": ", StringComparison.Ordinal) + 2)..].Trim();
        var until = lines[1].Trim().Split(';')[0]["valid until ".Length..];
        return new IssuedCredential(id, DateTimeOffset.Parse(until, CultureInfo.InvariantCulture), output);
    }

    /// <summary>'chatonsfed membership revoke <paramref name="credentialId"/> --data …', through the running node: what it printed.</summary>
    public Task<string> RevokeAsync(string credentialId) => TestHost.CliAsync("membership", "revoke", credentialId, "--data", Node.Folder);
}

/// <summary>A credential a node issued: its id, its <c>validUntil</c>, and what the command printed.</summary>
public sealed record IssuedCredential(string Id, DateTimeOffset ValidUntil, string Output);
