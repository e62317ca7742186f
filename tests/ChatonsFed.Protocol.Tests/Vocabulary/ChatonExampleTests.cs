using System.Text.Json;
using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Protocol.Tests.Vocabulary;

/// <summary>The example chaton of the shared design folder parses with its chatons fields and round-trips.</summary>
public class ChatonExampleTests
{
    private static string Example(string name) => File.ReadAllText(RepositoryFiles.ExampleChaton(name));

    public static TheoryData<string> ActivityStreamsExamples() =>
        new(Directory.GetFiles(RepositoryFiles.ExampleChatonFolder, "*.json")
            .Select(Path.GetFileName)
            .Where(name => name != "webfinger.json")!);

    [Theory]
    [MemberData(nameof(ActivityStreamsExamples))]
    public void Example_round_trips_without_losing_anything(string name)
    {
        RoundTrip.AssertLossless(Example(name));
    }

    [Fact]
    public void Actor_is_an_organization_with_its_directory_fields()
    {
        var actor = ActivityStreamsJson.Parse<Organization>(Example("actor.json"));

        Assert.Equal("https://chaton.example/c/0001/actor", actor.Id);
        Assert.Equal("chaton-0001", actor.PreferredUsername);
        Assert.Equal("Lynx Net", actor.Name);
        Assert.Equal("ASSOCIATION", actor.StructureType);
        Assert.Equal("IDLE", actor.Membership?.Status);
        Assert.Equal(new DateOnly(2023, 1, 9), actor.Membership?.Since);
        Assert.Null(actor.Membership?.Until);
        Assert.Equal("FR", actor.Country);
        Assert.Equal("https://chaton.example/c/0001/services", actor.Services?.Id);
        Assert.Equal("https://chaton.example/c/0001/attestation", actor.CharterAttestation?.Id);
        Assert.Equal("mailto:contact@chaton-0001.example", actor.Contact);
        Assert.Equal("https://chaton-0001.example/mentions-legales", actor.LegalNotice);
        Assert.Equal("https://chaton.example/inbox", actor.SharedInbox);
        Assert.True(actor.Discoverable);
        Assert.True(actor.Indexable);

        var place = Assert.IsType<Place>(Assert.Single(actor.Location!).Value);
        Assert.Equal("La Rochelle", place.Name);
        Assert.Equal(46.19155, place.Latitude);
        Assert.Equal(-1.15641, place.Longitude);
        Assert.Equal(["Site web", "Contact", "Services"], actor.AttachmentsOf<PropertyValue>().Select(p => p.Name));

        Assert.Equal(actor.Id + "#main-key", actor.MainPublicKey?.Id);
        var key = Assert.Single(actor.AssertionKeys);
        Assert.Equal(actor.Id + "#ed25519-key", key.Id);
        Assert.StartsWith("z6Mk", key.PublicKeyMultibase, StringComparison.Ordinal);

        var proof = Assert.Single(actor.Proof!);
        Assert.Equal("eddsa-jcs-2022", proof.Cryptosuite);
        Assert.Equal(key.Id, proof.VerificationMethod);
        Assert.Equal("2026-11-23T06:39:50.753990548Z", proof.Created?.Text);
    }

    [Theory]
    [InlineData("service-1.json", "instant-messaging", "Synapse", "member", "open")]
    [InlineData("service-2.json", "spreadsheet", "Ethercalc", "free", "open")]
    [InlineData("service-3.json", "office-suite", "Collabora Online", "member", "full")]
    [InlineData("service-4.json", "photo-gallery", "Lychee", "member", "open")]
    [InlineData("service-5.json", "image-hosting", "Pictshare", "free", "open")]
    public void Services_are_hosted_services(string name, string category, string software, string registration, string capacity)
    {
        var service = Assert.IsType<HostedService>(ActivityStreamsJson.Parse(Example(name)));

        Assert.Equal(["Object", "HostedService"], service.Type!);
        Assert.True(service.IsOfType(ChatonsTypes.HostedService));
        Assert.Equal("https://chaton.example/c/0001/actor", service.AttributedToId);
        Assert.Equal(category, service.Category);
        Assert.Equal(software, service.Software?.Name);
        Assert.Matches("^[0-9]+\\.[0-9]+\\.[0-9]+$", service.Software?.Version);
        Assert.StartsWith("AGPL-3.0", service.Software?.License, StringComparison.Ordinal);
        Assert.StartsWith("https://source.example/", service.Software?.SourceCode, StringComparison.Ordinal);
        Assert.Equal(registration, service.Registration);
        Assert.Equal(capacity, service.Capacity);
        Assert.Equal("ok", service.Status);
        Assert.Equal(("PHYSICAL", "OUTSOURCED", "FR"), (service.Hosting?.ServerType, service.Hosting?.ProviderType, service.Hosting?.Country));
        Assert.NotNull(service.Published?.Instant);
        Assert.Single(service.Proof!);
    }

    [Fact]
    public void Service_categories_are_in_the_shared_list()
    {
        using var categories = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.Catalog("service-categories.json")));
        var known = categories.RootElement.GetProperty("categories").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToHashSet();

        for (var i = 1; i <= 5; i++)
        {
            var service = ActivityStreamsJson.Parse<HostedService>(Example($"service-{i}.json"));
            Assert.Contains(service.Category, known);
        }
    }

    [Fact]
    public void Attestation_declares_every_criterion_of_the_shared_list()
    {
        var attestation = Assert.IsType<CharterAttestation>(ActivityStreamsJson.Parse(Example("attestation.json")));
        using var criteria = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.Catalog("charter-criteria.json")));
        var charter = criteria.RootElement.GetProperty("charter");

        Assert.Equal(["Document", "CharterAttestation"], attestation.Type!);
        Assert.Equal("https://chaton.example/c/0001/actor", attestation.AttributedToId);
        Assert.Equal(charter.GetProperty("url").GetString(), attestation.Charter?.Url);
        Assert.Equal(charter.GetProperty("version").GetString(), attestation.Charter?.Version);
        Assert.StartsWith("sha256-", attestation.Charter?.Digest, StringComparison.Ordinal);
        Assert.Equal(
            criteria.RootElement.GetProperty("criteria").EnumerateArray().Select(c => c.GetProperty("id").GetString()),
            attestation.Criteria!.Select(c => c.Id));
        var unmet = Assert.Single(attestation.Criteria!, c => c.Met == false);
        Assert.Equal("solidarity.spread", unmet.Id);
        Assert.Equal("Pas encore.", unmet.Note);
        Assert.All(attestation.Criteria!.Where(c => c.Met == true), c => Assert.Null(c.Note));
    }

    [Fact]
    public void Services_collection_lists_service_ids()
    {
        var services = ActivityStreamsJson.Parse<OrderedCollection>(Example("services.json"));

        Assert.Equal(5, services.TotalItems);
        Assert.Equal(
            Enumerable.Range(1, 5).Select(i => $"https://chaton.example/c/0001/service/{i}"),
            services.AllItems.Select(r => r.Id));
        Assert.All(services.AllItems, r => Assert.False(r.IsEmbedded));
    }

    [Fact]
    public void Examples_use_exactly_the_chatons_context_but_the_membership_terms()
    {
        // The examples predate membership, which added the terms of its two collections (spec/membership.md §1).
        var context = ChatonsContext.ToJsonNode().AsArray();
        var terms = context[5]!.AsObject();
        Assert.True(terms.Remove("endorsements") && terms.Remove("issuedEndorsements"));
        var expected = JsonElement.Parse(context.ToJsonString());
        foreach (var name in new[] { "actor.json", "attestation.json", "service-1.json" })
        {
            var node = ActivityStreamsJson.Parse(Example(name));
            Assert.True(JsonElement.DeepEquals(expected, node.Context!.Value), $"{name} has another @context");
        }
    }
}
