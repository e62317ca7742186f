using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Proofs;

namespace ChatonsFed.Protocol.Tests.Proofs;

/// <summary>Proofs made by Fedify's own signer, checked against the Fedify actor that published the key.</summary>
public class FedifyProofTests
{
    private static JsonObject Load(string name) => JsonNode.Parse(File.ReadAllText(RepositoryFiles.Fixture(name)))!.AsObject();

    [Fact]
    public void A_note_signed_by_Fedify_verifies_against_its_actor()
    {
        var result = ProofVerifier.Verify(Load("fedify-signed-note.json"), Load("fedify-signing-actor.json"));

        Assert.True(result.IsValid, result.Failure);
    }

    [Fact]
    public void Fedify_nanosecond_created_is_hashed_as_received()
    {
        var note = Load("fedify-signed-note.json");
        var created = note["proof"]!["created"]!.GetValue<string>();
        Assert.Matches(@"\.\d{9}Z$", created);

        note["proof"]!["created"] = created[..^11] + "Z";

        Assert.Equal(ProofFailure.BadSignature, ProofVerifier.Verify(note, Load("fedify-signing-actor.json")).Failure);
    }

    [Theory]
    [InlineData("content", "Bonjour, le chaton du coin héberge deux pads !")]
    [InlineData("published", "2026-11-23T07:00:01Z")]
    [InlineData("to", "https://chaton.example/followers")]
    public void Any_change_to_a_Fedify_signed_note_is_caught(string member, string value)
    {
        var note = Load("fedify-signed-note.json");
        note[member] = value;

        Assert.Equal(ProofFailure.BadSignature, ProofVerifier.Verify(note, Load("fedify-signing-actor.json")).Failure);
    }

    [Fact]
    public void The_RSA_key_of_a_Fedify_actor_is_not_accepted_for_an_eddsa_proof()
    {
        var note = Load("fedify-signed-note.json");
        note["proof"]!["verificationMethod"] = note["proof"]!["verificationMethod"]!.GetValue<string>().Replace("#multikey-2", "#multikey-1", StringComparison.Ordinal);

        var result = ProofVerifier.Verify(note, Load("fedify-signing-actor.json"));

        Assert.False(result.IsValid);
        Assert.StartsWith(ProofFailure.BadPublicKey, result.Failure, StringComparison.Ordinal);
    }
}
