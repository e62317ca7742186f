using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using ChatonsFed.Cli;
using ChatonsFed.Hosting;
using ChatonsFed.Node.Hosting;
using ChatonsFed.Protocol.HttpSignatures;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Node.Tests;

/// <summary>
/// One process writes a data folder: the serving node holds the folder's lock for its whole life, a second serve
/// refuses, and a command goes through the node's admin API or stops, saying why; it writes the files only when it
/// holds the lock itself. Real 'chatonsfed serve' processes where the behaviour is about processes.
/// </summary>
public sealed class OneWriterTests
{
    [Fact]
    public async Task A_second_serve_refuses_in_one_line_naming_the_process_and_its_url_and_the_first_serves_on()
    {
        await using var node = await TestNode.InitAsync(start: false);
        var listen = $"http://127.0.0.1:{TestHost.FreePort()}";
        using (var first = ServeProcess.Start(node.Folder, listen))
        {
            try
            {
                await ServeProcess.WaitUntilServingAsync(listen, first);
                var clock = Stopwatch.StartNew();
                var second = await ServeProcess.RefusedAsync(node.Folder, TestHost.AnyLoopbackPort);
                clock.Stop();

                ServeProcess.AssertOneLine(second, $"{node.Folder} is in use by process {first.Id} (chatonsfed serve, {listen})");
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"refused in {clock.Elapsed}");
                using var http = new HttpClient();
                using var actor = await http.GetAsync(listen + "/actor");
                Assert.Equal(HttpStatusCode.OK, actor.StatusCode);
            }
            finally
            {
                // As kill -9: the system releases the lock with the process, so it never goes stale.
                await ServeProcess.KillAsync(first);
            }
        }

        await node.StartAsync();
        Assert.Equal("lynx", (await node.GetJsonAsync("/actor"))["preferredUsername"]!.GetValue<string>());
    }

    [Fact]
    public async Task Two_hosts_in_one_process_on_one_folder_the_second_refuses()
    {
        await using var node = await TestNode.InitAsync();
        var refused = await Assert.ThrowsAsync<DataFolderInUseException>(() => HostRoles.StartAsync(node.Folder, TestHost.AnyLoopbackPort, CancellationToken.None));

        Assert.Contains($"is in use by process {Environment.ProcessId} (chatonsfed serve, {node.Running!.Address.AbsoluteUri.TrimEnd('/')})", refused.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(new DataFolder(node.Folder).AdminRunFile), "the first host's run file is left alone");
        Assert.Equal("lynx", (await node.GetJsonAsync("/actor"))["preferredUsername"]!.GetValue<string>());
        await node.StopAsync();
        await node.StartAsync();
    }

    [Fact]
    public async Task A_command_cannot_write_beside_a_node_whose_run_file_is_gone_and_a_follow_it_accepted_survives_a_restart()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var node = await TestNode.InitAsync(start: false);
        var listen = $"http://127.0.0.1:{TestHost.FreePort()}";
        using (var first = ServeProcess.Start(node.Folder, listen))
        {
            try
            {
                await ServeProcess.WaitUntilServingAsync(listen, first);
                using var http = new HttpClient { BaseAddress = new Uri(listen) };
                using (var follow = await peer.PostAsync(http, new Uri(listen + "/actor/inbox"), peer.Follow("follow-two-writers"), HttpSignatureFlavour.Rfc9421))
                {
                    Assert.Equal(HttpStatusCode.Accepted, follow.StatusCode);
                }

                await peer.WaitForAsync(a => a["type"]?.GetValue<string>() == "Accept");

                // As after a crash and a careless clean-up: the node runs, its run file is gone.
                File.Delete(new DataFolder(node.Folder).AdminRunFile);
                var add = await CliRunner.RunAsync("service", "add", "--data", node.Folder, "--category", "collaborative-writing", "--name", "Pad", "--url", "https://pad.example");

                AssertRefused(add, $"{node.Folder} is in use by process {first.Id} (chatonsfed serve, {listen}), but its run file");
                Assert.Contains("is missing", add.Error, StringComparison.Ordinal);
                Assert.Equal(1, JsonNode.Parse(await http.GetStringAsync("/actor/followers"))!["totalItems"]!.GetValue<int>());
                Assert.Equal(0, JsonNode.Parse(await http.GetStringAsync("/services"))!["totalItems"]!.GetValue<int>());
            }
            finally
            {
                await ServeProcess.KillAsync(first);
            }
        }

        await node.StartAsync();
        Assert.Equal(1, (await node.GetJsonAsync("/actor/followers"))["totalItems"]!.GetValue<int>());
        Assert.Equal(0, (await node.GetJsonAsync("/services"))["totalItems"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_offline_command_holds_the_folder_a_serve_started_meanwhile_refuses_and_another_command_waits()
    {
        await using var node = await TestNode.InitAsync(start: false);
        var holder = $"is in use by process {Environment.ProcessId} ({NodeDataFolder.OfflineHolder})";
        using (var offline = new DataFolder(node.Folder).OpenOffline(TimeProvider.System))
        {
            ServeProcess.AssertOneLine(await ServeProcess.RefusedAsync(node.Folder, TestHost.AnyLoopbackPort), holder);
            var inProcess = await Assert.ThrowsAsync<DataFolderInUseException>(() => node.StartAsync());
            Assert.Contains(holder, inProcess.Message, StringComparison.Ordinal);
            var list = await CliRunner.RunAsync("service", "list", "--data", node.Folder);
            AssertRefused(list, holder + "; try again when it has finished");
            Assert.Equal("Lynx Net", offline.Profile.Get().Name);
        }

        // Released with the command: the folder serves again.
        await node.StartAsync();
        Assert.Equal("lynx", (await node.GetJsonAsync("/actor"))["preferredUsername"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_command_that_cannot_use_the_running_node_says_why_and_never_writes_the_files()
    {
        await using var node = await TestNode.InitAsync();
        var folder = new DataFolder(node.Folder);
        var holder = $"{node.Folder} is in use by process {Environment.ProcessId} (chatonsfed serve, {node.Running!.Address.AbsoluteUri.TrimEnd('/')})";
        await using var lockedOut = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = "42";
            return Task.CompletedTask;
        });
        await using var silent = await LoopbackServer.StartAsync(context => Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted));
        var closedPort = $"http://127.0.0.1:{TestHost.FreePort()}";

        (string Url, string Token, string Expected)[] cases =
        [
            (node.Running.Address.AbsoluteUri, "cf_not_this_run", "refused the token of " + folder.AdminRunFile + " (401 Unauthorized)"),
            (lockedOut.Url, node.Running.RunToken, "has locked this address out after failed sign-ins, for 42 s; try again then"),
            (silent.Url, node.Running.RunToken, "did not answer within 3 s"),
            (closedPort, node.Running.RunToken, "does not answer (Connection refused"),
        ];
        foreach (var (url, token, expected) in cases)
        {
            await File.WriteAllTextAsync(folder.AdminRunFile, new JsonObject { ["url"] = url, ["token"] = token, ["pid"] = Environment.ProcessId }.ToJsonString());
            var add = await CliRunner.RunAsync("service", "add", "--data", node.Folder, "--category", "wiki", "--name", "Wiki", "--url", "https://wiki.example");
            AssertRefused(add, $"{holder}, whose admin API at {url.TrimEnd('/')}");
            Assert.Contains(expected, add.Error, StringComparison.Ordinal);
            Assert.Contains("the command did nothing", add.Error, StringComparison.Ordinal);
        }

        Assert.Equal(0, (await node.GetJsonAsync("/services"))["totalItems"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_aggregator_command_beside_a_running_aggregator_without_its_run_file_stops_and_offline_it_works()
    {
        await using var aggregator = await TestAggregator.InitAsync([]);
        File.Delete(new DataFolder(aggregator.Folder).AdminRunFile);

        var status = await CliRunner.RunAsync("directory", "status", "--data", aggregator.Folder);
        AssertRefused(status, $"{aggregator.Folder} is in use by process {Environment.ProcessId} (chatonsfed serve, {aggregator.PublicUrl}), but its run file");

        await aggregator.StopAsync();
        var offline = await CliRunner.RunAsync("directory", "status", "--data", aggregator.Folder);
        Assert.True(offline.ExitCode == 0, offline.ToString());
        Assert.StartsWith("Directory: 0 listed", offline.Output, StringComparison.Ordinal);
    }

    private static void AssertRefused(CliResult result, string expected)
    {
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("offline", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));
    }
}
