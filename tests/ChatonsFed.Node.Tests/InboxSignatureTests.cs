using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Node.Hosting;
using ChatonsFed.Protocol.HttpSignatures;
using ChatonsFed.Protocol.Keys;

namespace ChatonsFed.Node.Tests;

/// <summary>Replayed, stale, altered and forged signed requests against a real node and a real peer.</summary>
public sealed class InboxSignatureTests
{
    [Theory]
    [InlineData(HttpSignatureFlavour.Rfc9421)]
    [InlineData(HttpSignatureFlavour.Cavage)]
    public async Task The_same_signed_request_sent_twice_is_applied_once(HttpSignatureFlavour flavour)
    {
        await using var peer = await PeerServer.StartAsync();
        await using var node = await TestNode.InitAsync();
        var captured = PeerServer.Sign(peer.Follow("replayed"), new Uri(node.Running!.Address, "/actor/inbox"), flavour, peer.SigningKey);
        using (var first = await PeerServer.SendAsync(node.Http, captured))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
            Assert.Equal("follow accepted", await first.Content.ReadAsStringAsync());
        }

        await peer.WaitForAsync(a => a["type"]?.GetValue<string>() == "Accept");
        using var replay = await PeerServer.SendAsync(node.Http, captured);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.Equal("already processed", await replay.Content.ReadAsStringAsync());
        var store = node.Running.NodeStore;
        Assert.Equal(1, store.Followers.Count());
        Assert.Single(store.DeliveryJobs.FindAll(), j => j.Inbox == peer.ActorId + "/inbox");
    }

    [Theory]
    [InlineData(HttpSignatureFlavour.Rfc9421)]
    [InlineData(HttpSignatureFlavour.Cavage)]
    public async Task A_request_signed_two_hours_ago_gets_401_naming_the_window(HttpSignatureFlavour flavour)
    {
        await using var peer = await PeerServer.StartAsync();
        await using var node = await TestNode.InitAsync();
        var stale = PeerServer.Sign(peer.Follow("stale"), new Uri(node.Running!.Address, "/actor/inbox"), flavour, peer.SigningKey, TimeProvider.System.GetUtcNow().AddHours(-2));
        using var response = await PeerServer.SendAsync(node.Http, stale);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("120 minutes ago, outside the 60 minute window", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(node.Running.NodeStore.Followers.FindById(peer.ActorId));
        Assert.Equal(0, peer.RequestCount);
    }

    [Theory]
    [InlineData(HttpSignatureFlavour.Rfc9421)]
    [InlineData(HttpSignatureFlavour.Cavage)]
    public async Task A_captured_request_with_another_body_gets_401(HttpSignatureFlavour flavour)
    {
        await using var peer = await PeerServer.StartAsync();
        await using var node = await TestNode.InitAsync();
        var captured = PeerServer.Sign(peer.Follow("captured"), new Uri(node.Running!.Address, "/actor/inbox"), flavour, peer.SigningKey);
        var altered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(captured.Body).Replace("/activities/captured", "/activities/altered", StringComparison.Ordinal));
        using var response = await PeerServer.SendAsync(node.Http, captured, altered);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("digest does not match body", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(node.Running.NodeStore.Followers.FindById(peer.ActorId));
    }

    [Theory]
    [InlineData(HttpSignatureFlavour.Rfc9421)]
    [InlineData(HttpSignatureFlavour.Cavage)]
    public async Task A_signature_by_a_key_that_is_not_the_actors_gets_401(HttpSignatureFlavour flavour)
    {
        await using var peer = await PeerServer.StartAsync();
        await using var node = await TestNode.InitAsync();
        using var forger = RsaKeyPair.Generate();
        var forged = new Federation.Signing.ActorSigningKey(peer.ActorId + "#main-key", HttpSignatureKey.FromRsa(forger.Rsa, hasPrivateKey: true));
        using var response = await peer.PostAsync(node.Http, new Uri(node.Running!.Address, "/actor/inbox"), peer.Follow("forged"), flavour, forged);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains($"signature by {peer.ActorId}#main-key is not valid", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(node.Running.NodeStore.Followers.FindById(peer.ActorId));
    }

    [Fact]
    public async Task An_activity_whose_actor_is_not_the_signer_gets_401()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var node = await TestNode.InitAsync();
        var follow = peer.Follow("mallory");
        follow["actor"] = "http://127.0.0.1:1/users/mallory";
        using var response = await peer.PostAsync(node.Http, new Uri(node.Running!.Address, "/actor/inbox"), follow, HttpSignatureFlavour.Rfc9421);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains($"the activity's actor http://127.0.0.1:1/users/mallory is not {peer.ActorId}", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, node.Running.NodeStore.Followers.Count());
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Accepted)]
    [InlineData("192.0.2.1", HttpStatusCode.Unauthorized)]
    public async Task Forwarded_headers_count_only_from_a_known_proxy(string? proxy, HttpStatusCode expected)
    {
        await using var peer = await PeerServer.StartAsync();
        await using var node = await TestNode.InitAsync(start: false);
        if (proxy is not null)
        {
            await node.ConfigureAsync(settings => settings["KnownProxies"] = new JsonArray(proxy));
        }

        await node.StartAsync();

        // Signed for the URL the public sees; it reaches the node from a proxy on 127.0.0.1 that says so in X-Forwarded-*.
        var signed = PeerServer.Sign(peer.Follow("forwarded"), new Uri("https://proxy.test/actor/inbox"), HttpSignatureFlavour.Cavage, peer.SigningKey);
        var headers = signed.Headers.Where(h => !h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)).ToList();
        headers.Add(new("Host", node.Running!.Address.Authority));
        headers.Add(new("X-Forwarded-Host", "proxy.test"));
        headers.Add(new("X-Forwarded-Proto", "https"));
        using var response = await PeerServer.SendAsync(node.Http, signed with { Target = new Uri(node.Running.Address, "/actor/inbox"), Headers = headers });
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
