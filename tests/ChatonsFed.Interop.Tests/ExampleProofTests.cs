using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Tests;

namespace ChatonsFed.Interop.Tests;

/// <summary>Fedify's own verifier on the signed example chaton of the shared design folder.</summary>
[Collection(FedifyPeerGroup.Name)]
public class ExampleProofTests(PeerFixture fixture)
{
    private const string ActorId = "https://chaton.example/c/0001/actor";

    private static JsonObject Example(string name) =>
        JsonNode.Parse(File.ReadAllText(RepositoryFiles.ExampleChaton(name)))!.AsObject();

    [Theory]
    [InlineData("actor.json")]
    [InlineData("attestation.json")]
    [InlineData("service-1.json")]
    [InlineData("service-2.json")]
    [InlineData("service-3.json")]
    [InlineData("service-4.json")]
    [InlineData("service-5.json")]
    public async Task Fedify_accepts_every_signed_example(string name)
    {
        // The key lives at https://chaton.example, which is not reachable: the actor document stands in for it.
        var check = await fixture.Peer.VerifyProofAsync(Example(name), [Example("actor.json")]);

        Assert.True(check.Valid, FedifyPeer.Describe(check));
        var proof = Assert.Single(check.Proofs);
        Assert.Equal(ActorId + "#ed25519-key", proof.VerificationMethod);
        Assert.Equal(ActorId, proof.KeyController);
    }

    [Theory]
    [InlineData("service-1.json", "name", "Messagerie")]
    [InlineData("attestation.json", "updated", "2020-01-01T00:00:00Z")]
    [InlineData("actor.json", "summary", "<p>Autre chaton</p>")]
    public async Task Fedify_rejects_a_tampered_example(string name, string property, string value)
    {
        var document = Example(name);
        Assert.NotEqual(value, document[property]!.GetValue<string>());
        document[property] = value;

        var check = await fixture.Peer.VerifyProofAsync(document, [Example("actor.json")]);

        Assert.False(check.Valid, FedifyPeer.Describe(check));
        Assert.False(Assert.Single(check.Proofs).Valid);
    }
}
