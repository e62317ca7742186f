using System.Net;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.HttpSignatures;

namespace ChatonsFed.Node.Tests;

/// <summary>The node as its own process, killed without warning: what it had queued is still delivered after a restart.</summary>
public sealed class RestartDurabilityTests
{
    [Fact]
    public async Task Deliveries_queued_before_a_kill_are_sent_after_the_restart()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var node = await TestNode.InitAsync(start: false);
        var port = TestHost.FreePort();
        var listen = $"http://127.0.0.1:{port}";

        using (var first = ServeProcess.Start(node.Folder, listen))
        {
            await ServeProcess.WaitUntilServingAsync(listen, first);
            using var http = new HttpClient();
            using var response = await peer.PostAsync(http, new Uri(listen + "/actor/inbox"), peer.Follow("follow-restart"), HttpSignatureFlavour.Rfc9421);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            await peer.WaitForAsync(a => a["type"]?.GetValue<string>() == "Accept");
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }

        // The node is down (killed, its run file left behind): the change is made on the data folder and queued.
        var add = await CliRunner.RunAsync("service", "add", "--data", node.Folder, "--category", "collaborative-writing", "--name", "Pad", "--url", "https://pad.example");
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Contains("offline", add.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(peer.Received, a => a["type"]?.GetValue<string>() == "Create");

        using var second = ServeProcess.Start(node.Folder, listen);
        try
        {
            await ServeProcess.WaitUntilServingAsync(listen, second);
            var create = await peer.WaitForAsync(a => a["type"]?.GetValue<string>() == "Create" && a["object"]?["type"] is JsonArray);
            Assert.Equal("https://chaton.test/services/pad", create["object"]!["id"]!.GetValue<string>());
        }
        finally
        {
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }
    }
}
