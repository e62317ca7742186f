using System.Net;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.HttpSignatures;
using ChatonsFed.Protocol.Proofs;

namespace ChatonsFed.Node.Tests;

/// <summary>Key rotation while the node runs, and leaving the network.</summary>
public sealed class NodeLifecycleTests
{
    [Fact]
    public async Task After_a_key_rotation_fetches_are_signed_with_the_new_key()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var node = await TestNode.InitAsync();
        var rotate = await CliRunner.RunAsync("keys", "rotate", "--data", node.Folder);
        Assert.True(rotate.ExitCode == 0, rotate.ToString());
        var actor = JsonNode.Parse(await node.Http.GetStringAsync("/actor"))!.AsObject();
        var pem = actor["publicKey"]!["publicKeyPem"]!.GetValue<string>();

        using (var response = await peer.PostAsync(node.Http, new Uri(node.Running!.Address, "/actor/inbox"), peer.Follow("after-rotation"), HttpSignatureFlavour.Cavage))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var fetch = Assert.Single(peer.ActorFetches);
        Assert.True(HttpSignatureDetector.TryParse(fetch, out var signature, out var error), error);
        Assert.Equal("https://chaton.test/actor#main-key", signature.KeyId);
        var verified = signature.Verify(fetch, HttpSignatureKey.ImportPem(pem), TimeProvider.System.GetUtcNow());
        Assert.True(verified.IsValid, verified.ToString());
    }

    [Fact]
    public async Task Leave_needs_confirmation_then_deletes_the_actor_for_followers_and_answers_410()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var node = await TestNode.InitAsync();
        var inbox = new Uri(node.Running!.Address, "/actor/inbox");
        await peer.FollowAndWaitForAcceptAsync(node, "before-leaving", HttpSignatureFlavour.Rfc9421);
        var actor = JsonNode.Parse(await node.Http.GetStringAsync("/actor"))!.AsObject();

        var unconfirmed = await CliRunner.RunAsync("leave", "--data", node.Folder);
        Assert.Equal(2, unconfirmed.ExitCode);
        Assert.Contains("--yes", unconfirmed.Error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await node.Http.GetAsync("/actor")).StatusCode);

        var leave = await CliRunner.RunAsync("leave", "--data", node.Folder, "--yes");
        Assert.True(leave.ExitCode == 0, leave.ToString());
        Assert.Contains("through the running node", leave.Output, StringComparison.Ordinal);

        var delete = await peer.WaitForAsync(a => a["type"]?.GetValue<string>() == "Delete");
        Assert.Equal("https://chaton.test/actor", delete["object"]!.GetValue<string>());
        Assert.True(ProofVerifier.Verify(delete, actor).IsValid, "the Delete verifies with the key the follower already holds");

        foreach (var path in new[] { "/actor", "/attestation", "/services", "/actor/outbox", "/.well-known/webfinger?resource=acct:lynx@chaton.test" })
        {
            using var gone = await node.Http.SendAsync(node.Get(path));
            Assert.True(gone.StatusCode == HttpStatusCode.Gone, $"{path}: {gone.StatusCode}");
        }

        using (var follow = await peer.PostAsync(node.Http, inbox, peer.Follow("after-leaving"), HttpSignatureFlavour.Rfc9421))
        {
            Assert.Equal(HttpStatusCode.Gone, follow.StatusCode);
        }

        var change = await CliRunner.RunAsync("profile", "set", "--data", node.Folder, "--name", "Back again");
        Assert.Equal(2, change.ExitCode);
        Assert.Contains("left the network", change.Error, StringComparison.Ordinal);
        var again = await CliRunner.RunAsync("leave", "--data", node.Folder, "--yes");
        Assert.Equal(2, again.ExitCode);
    }

    [Fact]
    public async Task Leave_works_offline_and_the_Delete_goes_out_when_the_node_starts()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var node = await TestNode.InitAsync();
        await peer.FollowAndWaitForAcceptAsync(node, "offline-leave", HttpSignatureFlavour.Cavage);
        await node.StopAsync();
        var leave = await CliRunner.RunAsync("leave", "--data", node.Folder, "--yes");
        Assert.True(leave.ExitCode == 0, leave.ToString());
        Assert.Contains("offline", leave.Output, StringComparison.Ordinal);
        Assert.Contains("1 delivery queued", leave.Output, StringComparison.Ordinal);

        await node.StartAsync();
        var delete = await peer.WaitForAsync(a => a["type"]?.GetValue<string>() == "Delete");
        Assert.Equal("https://chaton.test/actor", delete["object"]!.GetValue<string>());
    }
}
