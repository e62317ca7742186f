using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Aggregator.Verification;
using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Aggregator.Tests;

public sealed class VerificationTests : IDisposable
{
    private readonly TestChaton _chaton = new(1);
    private readonly ChatonVerifier _verifier = new();

    public void Dispose() => _chaton.Dispose();

    [Fact]
    public void A_full_set_signed_by_the_node_is_listable_with_every_document()
    {
        var result = _verifier.Verify(_chaton.FullSet());

        Assert.True(result.IsListable);
        Assert.Empty(result.Rejections);
        Assert.Equal(_chaton.ActorId, result.ActorId);
        Assert.Equal([_chaton.ServiceId("pad"), _chaton.ServiceId("mail")], result.Services.Select(s => s.Id));
        Assert.NotNull(result.Attestation);
        Assert.NotNull(result.ServicesCollection);
        Assert.Equal(TestChaton.Day(2025, 2, 1), result.Services[0].Version);
    }

    [Fact]
    public void The_published_examples_verify()
    {
        var examples = Path.Combine(RepositoryFiles.Root, "spec", "examples");
        var set = new ChatonDocumentSet(Read("actor.json"))
        {
            Services = [Read("service.json")],
            Attestation = Read("attestation.json"),
            ServicesCollection = Read("services.json"),
        };

        var result = _verifier.Verify(set);

        Assert.True(result.IsListable, string.Join("; ", result.Rejections));
        Assert.Empty(result.Rejections);

        ReceivedDocument Read(string name) => new(File.ReadAllBytes(Path.Combine(examples, name)));
    }

    [Fact]
    public void A_tampered_byte_in_the_actor_keeps_the_chaton_out()
    {
        var bytes = _chaton.Actor().Utf8Json.ToArray();
        var at = Encoding.UTF8.GetString(bytes).IndexOf("Chaton 1", StringComparison.Ordinal);
        bytes[at] = (byte)'K';

        var result = _verifier.Verify(_chaton.FullSet() with { Actor = new ReceivedDocument(bytes) });

        Assert.False(result.IsListable);
        var rejection = Assert.Single(result.Rejections);
        Assert.Equal((DocumentKind.Actor, RejectionReason.InvalidProof), (rejection.Kind, rejection.Reason));
        Assert.Contains("signature does not match", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tampered_service_is_refused_and_the_rest_is_listed()
    {
        var service = _chaton.ServiceJson("pad");
        service["registration"] = "free";
        var set = _chaton.FullSet() with { Services = [TestChaton.Received(service), _chaton.ServiceDocument("mail")] };

        var result = _verifier.Verify(set);

        Assert.True(result.IsListable);
        Assert.Equal([_chaton.ServiceId("mail")], result.Services.Select(s => s.Id));
        var rejection = Assert.Single(result.Rejections);
        Assert.Equal((DocumentKind.Service, _chaton.ServiceId("pad"), RejectionReason.InvalidProof), (rejection.Kind, rejection.DocumentId, rejection.Reason));
    }

    [Fact]
    public void A_service_signed_with_another_key_under_the_actors_key_id_is_refused()
    {
        using var impostor = new TestChaton(1);
        var result = _verifier.Verify(_chaton.FullSet() with { Services = [impostor.ServiceDocument("pad")] });

        Assert.Equal(RejectionReason.InvalidProof, Assert.Single(result.Rejections).Reason);
    }

    [Fact]
    public void A_key_the_actor_does_not_list_is_not_owned()
    {
        var service = _chaton.Resign(_chaton.ServiceJson("pad"), _chaton.ActorId + "#other-key");

        var result = _verifier.Verify(_chaton.FullSet() with { Services = [TestChaton.Received(service)] });

        var rejection = Assert.Single(result.Rejections);
        Assert.Equal(RejectionReason.KeyNotOwned, rejection.Reason);
        Assert.Contains("assertionMethod", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_actor_must_be_signed_by_its_own_key_not_by_another_actors()
    {
        using var other = new TestChaton(2);
        var actor = _chaton.Resign(_chaton.ActorJson(), other.Address.Ed25519KeyId);

        var result = _verifier.Verify(new ChatonDocumentSet(TestChaton.Received(actor)));

        Assert.False(result.IsListable);
        Assert.Equal(RejectionReason.CrossOrigin, Assert.Single(result.Rejections).Reason);
    }

    [Fact]
    public void Another_chatons_service_is_cross_origin()
    {
        using var other = new TestChaton(2);

        var result = _verifier.Verify(_chaton.FullSet() with { Services = [other.ServiceDocument("pad")] });

        var rejection = Assert.Single(result.Rejections);
        Assert.Equal(RejectionReason.CrossOrigin, rejection.Reason);
        Assert.Equal(other.ServiceId("pad"), rejection.DocumentId);
    }

    [Fact]
    public void A_service_on_another_origin_attributed_to_the_actor_and_signed_by_its_key_is_cross_origin()
    {
        var service = _chaton.ServiceJson("pad");
        service["id"] = "https://elsewhere.example/services/pad";
        var signed = _chaton.Resign(service);

        var result = _verifier.Verify(_chaton.FullSet() with { Services = [TestChaton.Received(signed)] });

        Assert.Equal(RejectionReason.CrossOrigin, Assert.Single(result.Rejections).Reason);
    }

    [Fact]
    public void A_service_attributed_to_someone_else_on_the_same_origin_has_the_wrong_owner()
    {
        var service = _chaton.ServiceJson("pad");
        service["attributedTo"] = _chaton.Address.BaseUrl.AbsoluteUri + "someone";
        var signed = _chaton.Resign(service);

        var result = _verifier.Verify(_chaton.FullSet() with { Services = [TestChaton.Received(signed)] });

        Assert.Equal(RejectionReason.WrongOwner, Assert.Single(result.Rejections).Reason);
    }

    [Fact]
    public void An_actor_without_structure_type_lacks_the_chatons_terms()
    {
        var actor = _chaton.ActorJson();
        actor.Remove("structureType");

        var result = _verifier.Verify(new ChatonDocumentSet(TestChaton.Received(_chaton.Resign(actor))));

        var rejection = Assert.Single(result.Rejections);
        Assert.Equal(RejectionReason.MissingChatonsTerms, rejection.Reason);
        Assert.Contains("structureType", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_actor_whose_context_does_not_define_the_chatons_terms_lacks_them()
    {
        var actor = _chaton.ActorJson();
        actor["@context"] = new JsonArray(ChatonsContext.ActivityStreams, ChatonsContext.DataIntegrityV1, ChatonsContext.MultikeyV1);

        var result = _verifier.Verify(new ChatonDocumentSet(TestChaton.Received(_chaton.Resign(actor))));

        Assert.Equal(RejectionReason.MissingChatonsTerms, Assert.Single(result.Rejections).Reason);
    }

    [Fact]
    public void A_context_that_spells_the_full_iri_carries_the_terms()
    {
        var actor = _chaton.ActorJson();
        actor["@context"] = new JsonArray(ChatonsContext.ActivityStreams, ChatonsContext.DataIntegrityV1, ChatonsContext.MultikeyV1, new JsonObject
        {
            ["structureType"] = new JsonObject { ["@id"] = ChatonsContext.Namespace + "structureType" },
        });

        Assert.True(_verifier.Verify(new ChatonDocumentSet(TestChaton.Received(_chaton.Resign(actor)))).IsListable);
    }

    [Fact]
    public void Documents_without_proof_or_of_the_wrong_type_or_not_json_are_refused()
    {
        var unsigned = _chaton.ServiceJson("pad");
        unsigned.Remove("proof");
        var note = _chaton.Node.SignNote("Bonjour", null, "k");
        var set = _chaton.FullSet() with
        {
            Services = [TestChaton.Received(unsigned), TestChaton.Received(note), new ReceivedDocument("{not json"u8.ToArray())],
            Attestation = _chaton.ServiceDocument("mail"),
        };

        var result = _verifier.Verify(set);

        Assert.True(result.IsListable);
        Assert.Equal(
            [RejectionReason.MissingProof, RejectionReason.WrongType, RejectionReason.Malformed, RejectionReason.WrongType],
            result.Rejections.Select(r => r.Reason));
    }

    [Fact]
    public void An_actor_that_is_not_an_organization_or_not_the_one_asked_for_is_refused()
    {
        var person = _chaton.ActorJson();
        person["type"] = "Person";
        Assert.Equal(RejectionReason.WrongType, Assert.Single(_verifier.Verify(new ChatonDocumentSet(TestChaton.Received(_chaton.Resign(person)))).Rejections).Reason);

        var asked = new ChatonDocumentSet(_chaton.Actor()) { ExpectedActorId = "https://chaton-001.example/other" };
        Assert.Equal(RejectionReason.UnexpectedId, Assert.Single(_verifier.Verify(asked).Rejections).Reason);
    }

    [Fact]
    public void Duplicates_and_services_beyond_the_limit_are_refused()
    {
        var verifier = new ChatonVerifier(new ChatonVerifierOptions { MaxServices = 1 });
        var set = _chaton.FullSet() with { Services = [_chaton.ServiceDocument("pad"), _chaton.ServiceDocument("mail")] };
        Assert.Equal(RejectionReason.TooManyServices, Assert.Single(verifier.Verify(set).Rejections).Reason);

        set = _chaton.FullSet() with { Services = [_chaton.ServiceDocument("pad"), _chaton.ServiceDocument("pad")] };
        Assert.Equal(RejectionReason.Duplicate, Assert.Single(_verifier.Verify(set).Rejections).Reason);

        var small = new ChatonVerifier(new ChatonVerifierOptions { MaxDocumentBytes = 100 });
        Assert.Equal(RejectionReason.TooLarge, Assert.Single(small.Verify(set).Rejections).Reason);
    }

    [Fact]
    public void With_a_key_actor_the_set_is_checked_against_the_key_fetched_from_the_origin()
    {
        var set = _chaton.FullSet();
        Assert.True(_verifier.Verify(set, keyActor: _chaton.Actor()).IsListable);

        // The chaton rotated its key: copies signed with the old one no longer pass.
        using var rotated = new TestChaton(1);
        var result = _verifier.Verify(set, keyActor: rotated.Actor());
        Assert.False(result.IsListable);
        Assert.Equal(RejectionReason.InvalidProof, Assert.Single(result.Rejections).Reason);

        using var other = new TestChaton(2);
        Assert.Equal(RejectionReason.UnexpectedId, Assert.Single(_verifier.Verify(set, keyActor: other.Actor()).Rejections).Reason);
    }

    [Fact]
    public void A_delete_of_a_service_names_the_service_and_its_time()
    {
        _chaton.Time.Advance(TimeSpan.FromHours(1));
        var delete = _chaton.Node.SignDeleteService("pad");

        var result = _verifier.VerifyDelete(TestChaton.Received(delete.Json), _chaton.Actor());

        Assert.True(result.IsValid);
        Assert.Equal((DocumentKind.Service, _chaton.ServiceId("pad")), (result.Kind!.Value, result.ObjectId));
        Assert.Equal(TestChaton.Start.AddHours(1), result.Deleted);
    }

    [Fact]
    public void A_delete_of_the_actor_or_by_someone_else_or_tampered()
    {
        var leave = _verifier.VerifyDelete(TestChaton.Received(_chaton.Node.SignDeleteActor().Json), _chaton.Actor());
        Assert.Equal((DocumentKind.Actor, _chaton.ActorId), (leave.Kind!.Value, leave.ObjectId));

        using var other = new TestChaton(2);
        var foreign = _verifier.VerifyDelete(TestChaton.Received(other.Node.SignDeleteService("pad").Json), _chaton.Actor());
        Assert.Equal(RejectionReason.WrongOwner, foreign.Rejection!.Reason);

        var tampered = _chaton.Node.SignDeleteService("pad").Json;
        tampered["object"]!["id"] = _chaton.ServiceId("mail");
        Assert.Equal(RejectionReason.InvalidProof, _verifier.VerifyDelete(TestChaton.Received(tampered), _chaton.Actor()).Rejection!.Reason);
    }

    [Fact]
    public void A_delete_already_read_is_verified_from_its_tree_and_not_read_again()
    {
        var delete = _chaton.Node.SignDeleteService("pad").Json;
        var parsed = ActivityStreamsJson.Parse(delete.ToJsonString());
        // Bytes that are no JSON at all: only their length may be looked at.
        var unreadable = new ReceivedDocument(new byte[delete.ToJsonString().Length]);

        var result = _verifier.VerifyDelete(unreadable, delete, parsed, _chaton.Actor());

        Assert.True(result.IsValid, result.Rejection?.ToString());
        Assert.Equal((DocumentKind.Service, _chaton.ServiceId("pad")), (result.Kind!.Value, result.ObjectId));
        var tooLarge = _verifier.VerifyDelete(new ReceivedDocument(new byte[new ChatonVerifierOptions().MaxDocumentBytes + 1]), delete, parsed, _chaton.Actor());
        Assert.Equal(RejectionReason.TooLarge, tooLarge.Rejection!.Reason);
    }
}
