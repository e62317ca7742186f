using System.Text.Json.Nodes;
using ChatonsFed.Directory.Node;
using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Directory.Tests;

/// <summary>Every built document reads back through the Protocol vocabulary into its type and writes back unchanged.</summary>
public sealed class RoundTripTests
{
    private readonly NodeDocuments _node = ExampleChaton.Node();

    public static TheoryData<string> DocumentNames() => ProofTests.DocumentNames();

    [Theory]
    [MemberData(nameof(DocumentNames))]
    public void Signed_document_reads_and_writes_back_unchanged(string name)
    {
        var document = SignedDocuments.All(_node).Single(d => d.Name == name).Document;
        var parsed = ActivityStreamsJson.Parse(document.ToJsonString());
        Assert.NotNull(parsed.Type);
        Assert.NotEqual(typeof(AsObject), parsed.GetType());
        JsonAssert.Equal(document, JsonNode.Parse(ActivityStreamsJson.Serialize(parsed)), name);
    }

    [Fact]
    public void Actor_reads_as_an_organization_with_the_directory_fields()
    {
        var actor = ActivityStreamsJson.Parse<Organization>(_node.SignActor(ExampleChaton.Profile).ToJsonString());
        Assert.Equal("chaton-0001", actor.PreferredUsername);
        Assert.Equal("ASSOCIATION", actor.StructureType);
        Assert.Equal("IDLE", actor.Membership!.Status);
        Assert.Equal(new DateOnly(2023, 1, 9), actor.Membership.Since);
        Assert.Null(actor.Membership.Until);
        Assert.Equal("FR", actor.Country);
        Assert.Equal("https://chaton.example/c/0001/services", actor.Services!.Id);
        Assert.Equal("https://chaton.example/c/0001/attestation", actor.CharterAttestation!.Id);
        Assert.Equal("https://chaton.example/c/0001/inbox", actor.SharedInbox);
        Assert.Equal("https://chaton.example/c/0001/actor/inbox", actor.Inbox);
        Assert.True(actor.Discoverable);
        Assert.True(actor.Indexable);
        Assert.False(actor.ManuallyApprovesFollowers);
        var place = Assert.IsType<Place>(actor.Location!.First!.Value);
        Assert.Equal(46.19155, place.Latitude);
        Assert.Equal(["Site web", "Contact", "Services"], actor.AttachmentsOf<PropertyValue>().Select(p => p.Name));
        Assert.NotNull(actor.Proof);
    }

    [Fact]
    public void Hosted_service_and_attestation_read_as_their_chatons_types()
    {
        var service = ActivityStreamsJson.Parse<HostedService>(_node.SignService(ExampleChaton.Services[2]).ToJsonString());
        Assert.True(service.IsOfType("HostedService"));
        Assert.Equal(["Object", "HostedService"], service.Type!);
        Assert.Equal("full", service.Capacity);
        Assert.Equal("Collabora Online", service.Software!.Name);

        var attestation = ActivityStreamsJson.Parse<CharterAttestation>(_node.SignAttestation(ExampleChaton.Charter, "Lynx Net").ToJsonString());
        Assert.Equal(["Document", "CharterAttestation"], attestation.Type!);
        Assert.Equal(CharterCriteriaCatalog.LoadDefault().Criteria.Select(c => c.Id), attestation.Criteria!.Select(c => c.Id));
        var spread = attestation.Criteria!.Single(c => c.Id == "solidarity.spread");
        Assert.False(spread.Met);
        Assert.Equal("Pas encore.", spread.Note);
        Assert.All(attestation.Criteria!.Where(c => c.Id != "solidarity.spread"), c => Assert.Null(c.Note));
    }
}
