using System.Net;
using ChatonsFed.Federation.Delivery;
using ChatonsFed.Federation.Http;
using ChatonsFed.Node.Hosting;
using ChatonsFed.Protocol.HttpSignatures;
using Microsoft.Extensions.DependencyInjection;

namespace ChatonsFed.Node.Tests;

/// <summary>
/// A node that refuses private addresses, as a public node does. 127.0.0.2 plays a public server (the one network the
/// node is told to allow); 127.0.0.1 plays the private address an attacker aims at, with a peer there that counts every
/// request, so each test shows that nothing reached it.
/// </summary>
public sealed class InboxAddressPolicyTests
{
    private const string PublicStandIn = "127.0.0.2";

    [Theory]
    [InlineData("loopback literal")]
    [InlineData("localhost")]
    [InlineData("metadata service")]
    [InlineData("redirect to loopback literal")]
    [InlineData("redirect to localhost")]
    public async Task A_key_id_at_a_private_address_gets_401_and_nothing_reaches_it(string target)
    {
        await using var hidden = await PeerServer.StartAsync("127.0.0.1");
        await using var outer = await PeerServer.StartAsync(PublicStandIn);
        await using var node = await TestNode.InitPublicAsync(PublicStandIn + "/32");
        AssertRefusesPrivateAddresses(node);
        var localhost = hidden.ActorId.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        var (keyId, refusal) = target switch
        {
            "loopback literal" => (hidden.ActorId + "#main-key", "127.0.0.1 is a loopback address"),
            "localhost" => (localhost + "#main-key", "loopback address"),
            "metadata service" => ("http://169.254.169.254/latest/meta-data/iam#main-key", "169.254.169.254 is a link-local address"),
            "redirect to loopback literal" => (outer.BaseUrl + "/moved#main-key", "127.0.0.1 is a loopback address"),
            _ => (outer.BaseUrl + "/moved#main-key", "loopback address"),
        };
        outer.RedirectTarget = target == "redirect to localhost" ? localhost : hidden.ActorId;

        var follow = hidden.Follow("ssrf");
        var signed = PeerServer.Sign(follow, new Uri(node.Running!.Address, "/actor/inbox"), HttpSignatureFlavour.Rfc9421, hidden.KeyAs(keyId));
        using var response = await PeerServer.SendAsync(node.Http, signed);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var reason = await response.Content.ReadAsStringAsync();
        Assert.Contains(refusal, reason, StringComparison.Ordinal);
        Assert.Contains("which this node does not connect to", reason, StringComparison.Ordinal);
        Assert.Equal(0, hidden.RequestCount);
        Assert.Equal(target.StartsWith("redirect", StringComparison.Ordinal) ? 1 : 0, outer.RequestCount);
    }

    [Fact]
    public async Task A_follower_whose_inboxes_are_private_gets_no_delivery()
    {
        await using var hidden = await PeerServer.StartAsync("127.0.0.1");
        await using var follower = await PeerServer.StartAsync(PublicStandIn);
        await using var node = await TestNode.InitPublicAsync(PublicStandIn + "/32");
        AssertRefusesPrivateAddresses(node);
        follower.InboxOverride = hidden.ActorId.Replace("127.0.0.1", "localhost", StringComparison.Ordinal) + "/inbox";
        follower.SharedInbox = hidden.ActorId + "/inbox";

        using (var response = await follower.PostAsync(node.Http, new Uri(node.Running!.Address, "/actor/inbox"), follower.Follow("follow"), HttpSignatureFlavour.Rfc9421))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var accept = await WaitForFinishedAsync(node, follower.InboxOverride);
        Assert.Equal(DeliveryState.Failed, accept.State);
        Assert.Contains("loopback address", accept.LastError, StringComparison.Ordinal);

        var add = await CliRunner.RunAsync("service", "add", "--data", node.Folder, "--category", "collaborative-writing", "--name", "Pad", "--url", "https://pad.example");
        Assert.True(add.ExitCode == 0, add.ToString());
        var create = await WaitForFinishedAsync(node, follower.SharedInbox);
        Assert.Equal(DeliveryState.Failed, create.State);
        Assert.Contains("127.0.0.1 is a loopback address", create.LastError, StringComparison.Ordinal);

        Assert.Equal(0, hidden.RequestCount);
    }

    /// <summary>Checked before any request is sent: a test must never make the node reach for a real private address.</summary>
    private static void AssertRefusesPrivateAddresses(TestNode node)
    {
        var outbound = node.Running!.Services.GetRequiredService<OutboundHttpOptions>();
        Assert.False(outbound.AllowPrivateNetwork);
        Assert.Equal([IPNetwork.Parse(PublicStandIn + "/32")], outbound.AllowedNetworks);
    }

    private static async Task<DeliveryJob> WaitForFinishedAsync(TestNode node, string inbox)
    {
        for (var i = 0; i < 100; i++)
        {
            var job = node.Running!.NodeStore.DeliveryJobs.FindAll().FirstOrDefault(j => j.Inbox == inbox && j.State != DeliveryState.Pending);
            if (job is not null)
            {
                return job;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"no delivery to {inbox} finished");
    }
}
