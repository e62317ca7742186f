using System.Text.Json.Nodes;
using ChatonsFed.Directory.Node;
using ChatonsFed.Protocol.Keys;
using ChatonsFed.Protocol.Proofs;
using ChatonsFed.Protocol.Vocabulary;
using Microsoft.Extensions.Time.Testing;

namespace ChatonsFed.Directory.Tests;

public sealed class ProofTests
{
    private readonly NodeDocuments _node = ExampleChaton.Node();

    public static TheoryData<string> DocumentNames() => [.. SignedDocuments.All(ExampleChaton.Node()).Select(d => d.Name)];

    [Theory]
    [MemberData(nameof(DocumentNames))]
    public void Every_signed_document_verifies_against_the_built_actor(string name)
    {
        var document = Document(name);
        var result = ProofVerifier.Verify(document, SignedDocuments.Actor(_node));
        Assert.True(result.IsValid, $"{name}: {result}");
    }

    [Theory]
    [MemberData(nameof(DocumentNames))]
    public void A_changed_value_breaks_the_proof(string name)
    {
        var document = Document(name);
        var id = document["id"]!.GetValue<string>();
        document["id"] = id + "-x";
        Assert.False(ProofVerifier.Verify(document, SignedDocuments.Actor(_node)).IsValid, name);

        document = Document(name);
        document["published"] = "1999-01-01T00:00:00Z";
        var result = ProofVerifier.Verify(document, SignedDocuments.Actor(_node));
        Assert.False(result.IsValid, name);
    }

    [Theory]
    [MemberData(nameof(DocumentNames))]
    public void A_document_does_not_verify_against_an_actor_with_another_key(string name)
    {
        using var otherKey = Ed25519KeyPair.Generate();
        var impostor = new NodeDocuments(ExampleChaton.Address, otherKey, TestKeys.TestRsaPublicKeyPem, new FakeTimeProvider(ExampleChaton.Now));
        var result = ProofVerifier.Verify(Document(name), impostor.SignActor(ExampleChaton.Profile));
        Assert.False(result.IsValid);
        Assert.Contains(ProofFailure.BadSignature, result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Proofs_name_the_ed25519_key_and_are_created_in_whole_seconds()
    {
        var time = new FakeTimeProvider(ExampleChaton.Now.AddMilliseconds(123.4567));
        var node = ExampleChaton.Node(time);
        var proof = node.SignActor(ExampleChaton.Profile)["proof"]!.AsObject();
        Assert.Equal("https://chaton.example/c/0001/actor#ed25519-key", proof["verificationMethod"]!.GetValue<string>());
        Assert.Equal("eddsa-jcs-2022", proof["cryptosuite"]!.GetValue<string>());
        Assert.Equal("assertionMethod", proof["proofPurpose"]!.GetValue<string>());
        Assert.Equal("2025-09-01T08:30:00Z", proof["created"]!.GetValue<string>());
    }

    [Fact]
    public void The_actor_publishes_the_keys_it_was_given()
    {
        using var key = TestKeys.TestEd25519Key();
        var actor = _node.BuildActor(ExampleChaton.Profile);
        Assert.Equal(key.PublicKey.ToMultibase(), actor.FindAssertionKey(ExampleChaton.Address.Ed25519KeyId)!.PublicKeyMultibase);
        Assert.Equal(TestKeys.TestRsaPublicKeyPem, actor.MainPublicKey!.PublicKeyPem);
        Assert.Equal(ExampleChaton.Address.MainKeyId, actor.MainPublicKey.Id);
        Assert.Equal(ExampleChaton.Address.ActorId.AbsoluteUri, actor.MainPublicKey.Owner);
    }

    [Fact]
    public void Signing_refuses_a_document_without_the_chatons_context()
    {
        Assert.Throws<ArgumentException>(() => _node.Sign(new JsonObject { ["id"] = "https://chaton.example/c/0001/x" }));
    }

    [Fact]
    public void An_activity_embeds_the_object_with_its_own_proof_which_verifies_alone()
    {
        var activity = _node.SignActivities(new ServiceAdded(ExampleChaton.Services[0]), ExampleChaton.State)[0];
        Assert.Equal("Create", activity.Type);
        var embedded = activity.EmbeddedObject!;
        Assert.True(embedded.ContainsKey("proof"));
        Assert.True(ProofVerifier.Verify(JsonAssert.Without(embedded), SignedDocuments.Actor(_node)).IsValid);
        Assert.IsType<HostedService>(ActivityStreamsJson.Parse<Create>(activity.Json.ToJsonString()).EmbeddedObject);
    }

    private JsonObject Document(string name) => SignedDocuments.All(_node).Single(d => d.Name == name).Document;
}
