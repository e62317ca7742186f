using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Discovery;
using ChatonsFed.Protocol.Keys;
using ChatonsFed.Protocol.Proofs;
using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Interop.Tests;

/// <summary>What a Fedify server publishes (actor, keys, WebFinger, signObject proofs) is read by our Protocol library.</summary>
[Collection(FedifyPeerGroup.Name)]
public class PeerActorTests(PeerFixture fixture)
{
    private FedifyPeer Peer => fixture.Peer;

    [Fact]
    public async Task Fedify_actor_parses_with_our_vocabulary()
    {
        var actor = Assert.IsType<Person>(ActivityStreamsJson.Parse(await fixture.GetActorJsonAsync()));

        Assert.Equal(Peer.ActorUrl, actor.Id);
        Assert.Equal("fedi", actor.PreferredUsername);
        Assert.Equal(Peer.InboxUrl, actor.Inbox);
        Assert.Equal(Peer.BaseUrl + "inbox", actor.SharedInbox);
        Assert.Equal(Peer.ActorUrl + "/followers", actor.Followers);
    }

    [Fact]
    public async Task Fedify_actor_keys_decode_with_our_key_classes()
    {
        var actor = Assert.IsType<Person>(ActivityStreamsJson.Parse(await fixture.GetActorJsonAsync()));

        var publicKey = Assert.IsType<PublicKey>(actor.MainPublicKey);
        Assert.Equal(Peer.ActorUrl + "#main-key", publicKey.Id);
        Assert.Equal(Peer.ActorUrl, publicKey.Owner);
        using var rsa = RsaPublicKey.FromPem(publicKey.PublicKeyPem!);
        Assert.Equal(2048, rsa.KeySizeInBits);

        var keys = actor.AssertionKeys.ToList();
        Assert.Equal(2, keys.Count);
        Assert.All(keys, k => Assert.Equal(Peer.ActorUrl, k.Controller));
        var ed25519 = Assert.Single(keys, k => k.PublicKeyMultibase!.StartsWith("z6Mk", StringComparison.Ordinal));
        Assert.Equal(Ed25519PublicKey.Length, Ed25519PublicKey.FromMultibase(ed25519.PublicKeyMultibase!).RawBytes.Length);

        // The RSA Multikey (z4MX…) is the same key as publicKeyPem.
        var rsaMultikey = Assert.Single(keys, k => k.PublicKeyMultibase!.StartsWith("z4MX", StringComparison.Ordinal));
        using var rsaFromMultikey = RsaPublicKey.FromMultibase(rsaMultikey.PublicKeyMultibase!);
        Assert.Equal(rsa.ExportPkcs1Der(), rsaFromMultikey.ExportPkcs1Der());
    }

    [Fact]
    public async Task Fedify_webfinger_answer_reads_with_our_discovery_code()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var resource = $"acct:fedi@{Peer.BaseUrl.Authority}";
        var text = await http.GetStringAsync(new Uri(Peer.BaseUrl, ".well-known/webfinger?resource=" + Uri.EscapeDataString(resource)));

        var jrd = JsonResourceDescriptor.Parse(text);

        Assert.Equal(resource, jrd.Subject);
        Assert.Equal(Peer.ActorUrl, jrd.FindActivityPubActor());
    }

    [Fact]
    public async Task Fedify_signObject_proof_is_accepted_by_our_ProofVerifier()
    {
        var note = new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/data-integrity/v1"),
            ["id"] = Peer.BaseUrl + "notes/1",
            ["type"] = "Note",
            ["attributedTo"] = Peer.ActorUrl,
            ["content"] = "Bonjour depuis Fedify",
        };

        var result = await Peer.SignAsync(note);

        // "signed" is what Fedify's proof covers (its own serialisation, with the proof's @context embedded).
        Assert.Equal(Peer.ActorUrl + "#multikey-2", result.KeyId);
        var actor = await fixture.GetActorAsync();
        Assert.Equal("valid", ProofVerifier.Verify(result.Signed, actor).ToString());

        // Changing one value breaks it.
        var tampered = result.Signed.DeepClone().AsObject();
        tampered["content"] = "Bonsoir";
        Assert.False(ProofVerifier.Verify(tampered, actor).IsValid);
    }
}
