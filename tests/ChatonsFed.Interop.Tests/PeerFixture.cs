using System.Text.Json.Nodes;

namespace ChatonsFed.Interop.Tests;

/// <summary>One Fedify peer shared by the tests of the <see cref="FedifyPeerGroup"/>; its start failing fails them all.</summary>
public sealed class PeerFixture : IAsyncLifetime
{
    private FedifyPeer? _peer;

    internal FedifyPeer Peer => _peer ?? throw new InvalidOperationException("the Fedify peer is not started");

    public async Task InitializeAsync() => _peer = await FedifyPeer.StartAsync(new FedifyPeerOptions { Name = "fedi" });

    public async Task DisposeAsync()
    {
        if (_peer is not null)
        {
            await _peer.DisposeAsync();
        }
    }

    /// <summary>The peer's actor document as it serves it to an ActivityPub client.</summary>
    internal async Task<string> GetActorJsonAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, Peer.ActorUrl);
        request.Headers.Accept.ParseAdd(LoopbackServer.ActivityJson);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    internal async Task<JsonObject> GetActorAsync() => JsonNode.Parse(await GetActorJsonAsync())!.AsObject();
}

[CollectionDefinition(Name)]
public sealed class FedifyPeerGroup : ICollectionFixture<PeerFixture>
{
    public const string Name = "Fedify peer";
}
