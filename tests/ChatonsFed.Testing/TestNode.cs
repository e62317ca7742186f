using System.Text.Json.Nodes;

namespace ChatonsFed.Testing;

/// <summary>A node made with 'chatonsfed init'; <see cref="TestHost.StartAsync()"/> serves it on 127.0.0.1 at a free port.</summary>
public sealed class TestNode : TestHost
{
    public const string DefaultPublicUrl = "https://chaton.test";

    private TestNode(string folder, string publicUrl, string ownerToken)
        : base(folder, publicUrl, ownerToken)
    {
    }

    protected override string DefaultListenUrl => AnyLoopbackPort;

    public static async Task<TestNode> InitAsync(string publicUrl = DefaultPublicUrl, bool start = true, string handle = "lynx", string name = "Lynx Net")
    {
        var (folder, token) = await InitFolderAsync("chatonsfed-server-tests-", ["--url", publicUrl, "--handle", handle, "--name", name, "--allow-private-network"]);
        var node = new TestNode(folder, publicUrl, token);
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
}
