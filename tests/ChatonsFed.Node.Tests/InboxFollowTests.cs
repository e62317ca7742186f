using System.Net;
using System.Text.Json.Nodes;
using ChatonsFed.Node.Hosting;
using ChatonsFed.Protocol.HttpSignatures;

namespace ChatonsFed.Node.Tests;

public sealed class InboxFollowTests
{
    [Theory]
    [InlineData(HttpSignatureFlavour.Rfc9421)]
    [InlineData(HttpSignatureFlavour.Cavage)]
    public async Task A_signed_Follow_is_accepted_and_the_Accept_is_delivered(HttpSignatureFlavour flavour)
    {
        await using var peer = await PeerServer.StartAsync();
        await using var node = await TestNode.InitAsync();
        var inbox = new Uri(node.Running!.Address, "/actor/inbox");
        var follow = peer.Follow("follow-1");
        using var response = await peer.PostAsync(node.Http, inbox, follow, flavour);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());

        var accept = await peer.WaitForAsync(a => a["type"]?.GetValue<string>() == "Accept");
        Assert.Equal("https://chaton.test/actor", accept["actor"]!.GetValue<string>());
        Assert.Equal(follow["id"]!.GetValue<string>(), accept["object"]!["id"]!.GetValue<string>());
        var follower = node.Running.NodeStore.Followers.FindById(peer.ActorId);
        Assert.NotNull(follower);
        Assert.Equal(peer.ActorId + "/inbox", follower.Inbox);

        // The same activity again changes nothing.
        using var again = await peer.PostAsync(node.Http, inbox, follow, flavour);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Contains("already processed", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var undo = new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = peer.ActorId + "/activities/undo-1",
            ["type"] = "Undo",
            ["actor"] = peer.ActorId,
            ["object"] = follow.DeepClone(),
        };
        using var undone = await peer.PostAsync(node.Http, new Uri(node.Running.Address, "/inbox"), undo, flavour);
        Assert.Equal(HttpStatusCode.Accepted, undone.StatusCode);
        Assert.Null(node.Running.NodeStore.Followers.FindById(peer.ActorId));
    }

    [Fact]
    public async Task A_Follow_from_a_blocked_domain_gets_a_Reject()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var node = await TestNode.InitAsync();
        await node.Running!.BlockList.BlockAsync("127.0.0.1");
        using var response = await peer.PostAsync(node.Http, new Uri(node.Running!.Address, "/actor/inbox"), peer.Follow("follow-2"), HttpSignatureFlavour.Rfc9421);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var reject = await peer.WaitForAsync(a => a["type"]?.GetValue<string>() == "Reject");
        Assert.Equal("https://chaton.test/actor", reject["actor"]!.GetValue<string>());
        Assert.Null(node.Running.NodeStore.Followers.FindById(peer.ActorId));
    }

    [Fact]
    public async Task Updates_reach_followers_through_the_delivery_worker()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var node = await TestNode.InitAsync();
        using (var response = await peer.PostAsync(node.Http, new Uri(node.Running!.Address, "/actor/inbox"), peer.Follow("follow-3"), HttpSignatureFlavour.Rfc9421))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await peer.WaitForAsync(a => a["type"]?.GetValue<string>() == "Accept");
        var add = await CliRunner.RunAsync("service", "add", "--data", node.Folder, "--category", "collaborative-writing", "--name", "Pad", "--url", "https://pad.example");
        Assert.True(add.ExitCode == 0, add.ToString());
        var create = await peer.WaitForAsync(a => a["type"]?.GetValue<string>() == "Create" && a["object"]?["type"] is JsonArray);
        Assert.Equal("https://chaton.test/services/pad", create["object"]!["id"]!.GetValue<string>());
        await peer.WaitForAsync(a => a["type"]?.GetValue<string>() == "Create" && a["object"]?["type"]?.GetValueKind() == System.Text.Json.JsonValueKind.String);
    }
}
