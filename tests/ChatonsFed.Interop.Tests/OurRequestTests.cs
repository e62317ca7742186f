using System.Text.Json.Nodes;
using ChatonsFed.Protocol.HttpSignatures;
using ChatonsFed.Protocol.Keys;

namespace ChatonsFed.Interop.Tests;

/// <summary>
/// Requests signed by our CavageSignature.Sign and MessageSignature.SignForFederation, with the RSA key that a
/// Kestrel-hosted actor publishes, are accepted by Fedify's inbox; Fedify then follows through with a signed Accept.
/// </summary>
[Collection(FedifyPeerGroup.Name)]
public class OurRequestTests(PeerFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static JsonObject Follow(LoopbackChaton chaton, string objectId) => new()
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = $"{chaton.Base}/follows/{Guid.NewGuid():N}",
        ["type"] = "Follow",
        ["actor"] = chaton.ActorUrl,
        ["object"] = objectId,
    };

    [Theory]
    [InlineData(OutgoingSignature.Cavage)]
    [InlineData(OutgoingSignature.Rfc9421)]
    public async Task Fedify_accepts_our_signed_follow_and_answers_with_an_accept(OutgoingSignature signature)
    {
        await using var chaton = await LoopbackChaton.StartAsync();
        var follow = Follow(chaton, fixture.Peer.ActorUrl);
        var followId = follow["id"]!.GetValue<string>();

        var (status, body) = await chaton.PostAsync(fixture.Peer.InboxUrl, follow, signature);

        Assert.True(status == 202, $"Fedify answered {status}: {body}\nPeer stderr:\n{fixture.Peer.Stderr}");
        var state = await fixture.Peer.GetStateAsync();
        Assert.Contains(chaton.ActorUrl, state.Followers);
        Assert.Contains(state.Received, a => a["id"]?.GetValue<string>() == followId);

        var accept = await chaton.WaitForDeliveryAsync(d => d.Activity?["type"]?.GetValue<string>() == "Accept", Wait);
        Assert.True(accept.Verification.IsValid, accept.ToString());
        Assert.Equal(fixture.Peer.ActorUrl + "#main-key", accept.KeyId);
        var acceptedObject = accept.Activity!["object"];
        Assert.Equal(followId, acceptedObject is JsonObject o ? o["id"]?.GetValue<string>() : acceptedObject?.GetValue<string>());
    }

    [Fact]
    public async Task Fedify_accepts_our_proof_on_an_activity_without_http_signature()
    {
        await using var chaton = await LoopbackChaton.StartAsync();
        var follow = Follow(chaton, fixture.Peer.ActorUrl);
        follow["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/data-integrity/v1");
        var signed = chaton.Signer.Sign(follow);

        var (status, body) = await chaton.PostAsync(fixture.Peer.InboxUrl, signed, OutgoingSignature.None);

        Assert.True(status == 202, $"Fedify answered {status}: {body}\nPeer stderr:\n{fixture.Peer.Stderr}");
        Assert.Contains(chaton.ActorUrl, (await fixture.Peer.GetStateAsync()).Followers);
        var unsigned = await chaton.PostAsync(fixture.Peer.InboxUrl, Follow(chaton, fixture.Peer.ActorUrl), OutgoingSignature.None);
        Assert.Equal(401, unsigned.Status);
    }

    [Theory]
    [InlineData(OutgoingSignature.Cavage)]
    [InlineData(OutgoingSignature.Rfc9421)]
    public async Task Fedify_refuses_our_request_signed_with_another_key(OutgoingSignature signature)
    {
        await using var chaton = await LoopbackChaton.StartAsync();
        using var other = RsaKeyPair.Generate();
        using var wrongKey = HttpSignatureKey.ImportPem(other.ExportPkcs8Pem());

        var (status, body) = await chaton.PostAsync(fixture.Peer.InboxUrl, Follow(chaton, fixture.Peer.ActorUrl), signature, wrongKey);

        Assert.True(status == 401, $"Fedify answered {status}: {body}");
        Assert.DoesNotContain(chaton.ActorUrl, (await fixture.Peer.GetStateAsync()).Followers);
    }
}
