using System.Net;
using System.Net.Sockets;

namespace ChatonsFed.Node.Tests;

/// <summary>A node that cannot start says why in one line on stderr, with a non-zero exit: a real 'chatonsfed serve' process.</summary>
public sealed class ServeFailureTests
{
    [Fact]
    public async Task A_bad_setting_a_damaged_key_and_a_port_in_use_each_give_one_line_without_a_stack_trace()
    {
        await using var node = await TestNode.InitAsync(start: false);
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var busyPort = ((IPEndPoint)taken.LocalEndpoint).Port;

        var portInUse = await ServeProcess.RefusedAsync(node.Folder, $"http://127.0.0.1:{busyPort}");
        ServeProcess.AssertOneLine(portInUse, "address already in use");

        var keyFile = Path.Combine(node.Folder, "keys", "rsa-private.pem");
        var key = await File.ReadAllTextAsync(keyFile);
        await File.WriteAllTextAsync(keyFile, "garbage");
        ServeProcess.AssertOneLine(await ServeProcess.RefusedAsync(node.Folder, "http://127.0.0.1:0"), "rsa-private.pem");
        await File.WriteAllTextAsync(keyFile, key);

        await node.ConfigureAsync(settings => settings["MaxBodyBytes"] = 12);
        ServeProcess.AssertOneLine(await ServeProcess.RefusedAsync(node.Folder, "http://127.0.0.1:0"), "ChatonsFed:MaxBodyBytes");
    }

    [Fact]
    public async Task Each_wrong_setting_gets_its_own_line_naming_the_setting()
    {
        await using var node = await TestNode.InitAsync(start: false);
        await node.ConfigureAsync(settings =>
        {
            settings["MaxJsonDepth"] = 2;
            settings["Aggregator"] = new System.Text.Json.Nodes.JsonObject { ["Enabled"] = true, ["PollInterval"] = "-00:01:00" };
        });

        var (exitCode, error) = await ServeProcess.RefusedAsync(node.Folder, "http://127.0.0.1:0");

        Assert.NotEqual(0, exitCode);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        var lines = error.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("chatonsfed: ChatonsFed:MaxJsonDepth 2 is out of range", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("chatonsfed: ChatonsFed:Aggregator:PollInterval -00:01:00 must be a positive duration", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain("--", error, StringComparison.Ordinal);
    }
}
