namespace ChatonsFed.Interop.Tests;

/// <summary>
/// Documents signed by our <see cref="Protocol.Proofs.ProofSigner"/>, served with the actor's key by a Kestrel server on
/// 127.0.0.1, are accepted by Fedify's verifyProof and verifyObject fetching them by URL (ids on the URL's origin, as
/// Fedify requires), with the proof's @context embedded (our default) and without it.
/// </summary>
[Collection(FedifyPeerGroup.Name)]
public class OurProofTests(PeerFixture fixture)
{
    [Theory]
    [InlineData(true, "actor.json")]
    [InlineData(true, "service-1.json")]
    [InlineData(true, "attestation.json")]
    [InlineData(false, "actor.json")]
    [InlineData(false, "service-1.json")]
    [InlineData(false, "attestation.json")]
    public async Task Fedify_accepts_our_proof(bool embedContextInProof, string example)
    {
        await using var chaton = await LoopbackChaton.StartAsync(embedContextInProof);
        var document = example == "actor.json" ? chaton.Actor : chaton.SignAndPublish(chaton.LoadExample(example));
        Assert.Equal(embedContextInProof, document["proof"]!.AsObject().ContainsKey("@context"));

        var check = await fixture.Peer.VerifyProofAsync(document["id"]!.GetValue<string>());

        Assert.True(check.Valid, FedifyPeer.Describe(check));
        var proof = Assert.Single(check.Proofs);
        Assert.Equal(chaton.Ed25519KeyId, proof.VerificationMethod);
        Assert.Equal(chaton.ActorUrl, proof.KeyController);
        Assert.True(check.VerifyObject);
    }

    [Fact]
    public async Task Fedify_rejects_our_proof_once_the_document_changed()
    {
        await using var chaton = await LoopbackChaton.StartAsync();
        var signed = chaton.SignAndPublish(chaton.LoadExample("service-2.json"));
        var tampered = signed.DeepClone().AsObject();
        tampered["capacity"] = "full";
        chaton.Publish(tampered);

        var check = await fixture.Peer.VerifyProofAsync(signed["id"]!.GetValue<string>());

        Assert.False(check.Valid, FedifyPeer.Describe(check));
        Assert.False(Assert.Single(check.Proofs).Valid);
    }

    [Fact]
    public async Task Fedify_reads_our_chaton_by_url_and_by_webfinger()
    {
        await using var chaton = await LoopbackChaton.StartAsync();

        var lookup = await fixture.Peer.LookupAsync(chaton.ActorUrl);
        Assert.True(lookup.Ok, FedifyPeer.Describe(lookup));
        Assert.Equal("Organization", lookup.ClassName);
        Assert.True(lookup.IsActor);
        Assert.Equal(chaton.ActorUrl, lookup.Id);

        var webfinger = await fixture.Peer.WebFingerLookupAsync(chaton.Handle, chaton.Server.BaseUri);
        Assert.True(webfinger.Ok, FedifyPeer.Describe(webfinger));
        Assert.Equal(chaton.ActorUrl, webfinger.Self);
        Assert.Equal(chaton.ActorUrl, webfinger.Id);
    }
}
