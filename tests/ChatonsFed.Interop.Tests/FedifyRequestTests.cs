using ChatonsFed.Protocol.HttpSignatures;
using ChatonsFed.Protocol.Proofs;

namespace ChatonsFed.Interop.Tests;

/// <summary>
/// Fedify's signed deliveries reach a Kestrel inbox on 127.0.0.1 whose checks are our HTTP signature code
/// (HttpSignatureDetector, ParsedHttpSignature.Verify with the key from the peer's publicKeyPem), in both flavours.
/// </summary>
[Collection(FedifyPeerGroup.Name)]
public class FedifyRequestTests(PeerFixture fixture)
{
    [Theory]
    [InlineData("rfc9421", HttpSignatureFlavour.Rfc9421)]
    [InlineData("draft-cavage", HttpSignatureFlavour.Cavage)]
    public async Task Our_code_verifies_Fedify_signed_post(string knock, HttpSignatureFlavour expected)
    {
        await using var chaton = await LoopbackChaton.StartAsync();

        var follow = await fixture.Peer.FollowAsync(chaton.ActorUrl, knock, waitSeconds: 0);

        Assert.True(follow.Ok, FedifyPeer.Describe(follow));
        var delivery = Assert.Single(chaton.Deliveries);
        Assert.Equal(expected, delivery.Flavour);
        Assert.Equal(fixture.Peer.ActorUrl + "#main-key", delivery.KeyId);
        Assert.True(delivery.Verification.IsValid, delivery.ToString());
        Assert.Equal(202, delivery.Status);
        Assert.Equal("Follow", delivery.Activity?["type"]?.GetValue<string>());
        Assert.Equal(follow.FollowId, delivery.Activity?["id"]?.GetValue<string>());
        Assert.Equal(knock == "rfc9421" ? "rfc9421" : "draft-cavage-http-signatures-12", follow.KnockRemembered);
    }

    [Fact]
    public async Task Our_code_verifies_both_knocks_when_Fedify_falls_back_to_cavage()
    {
        await using var chaton = await LoopbackChaton.StartAsync();
        chaton.RejectRfc9421 = true;

        var follow = await fixture.Peer.FollowAsync(chaton.ActorUrl, "rfc9421", waitSeconds: 0);

        Assert.True(follow.Ok, FedifyPeer.Describe(follow));
        Assert.Equal("draft-cavage-http-signatures-12", follow.KnockRemembered);
        var deliveries = chaton.Deliveries;
        Assert.Equal(2, deliveries.Count);
        Assert.Equal(HttpSignatureFlavour.Rfc9421, deliveries[0].Flavour);
        Assert.True(deliveries[0].Verification.IsValid, deliveries[0].ToString());
        Assert.Equal(401, deliveries[0].Status);
        Assert.Equal(HttpSignatureFlavour.Cavage, deliveries[1].Flavour);
        Assert.True(deliveries[1].Verification.IsValid, deliveries[1].ToString());
        Assert.Equal(202, deliveries[1].Status);
        Assert.Equal(deliveries[0].Request.Body.ToArray(), deliveries[1].Request.Body.ToArray());
    }

    [Fact]
    public async Task Our_ProofVerifier_accepts_the_proof_on_a_Fedify_activity()
    {
        await using var chaton = await LoopbackChaton.StartAsync();

        var follow = await fixture.Peer.FollowAsync(chaton.ActorUrl, waitSeconds: 0);

        Assert.True(follow.Ok, FedifyPeer.Describe(follow));
        var activity = Assert.Single(chaton.Deliveries).Activity!;
        Assert.True(activity.ContainsKey("proof"), activity.ToJsonString());
        Assert.True(activity.ContainsKey("signature"), activity.ToJsonString()); // RsaSignature2017, left out of the hash
        Assert.Equal("valid", ProofVerifier.Verify(activity, await fixture.GetActorAsync()).ToString());
    }
}
