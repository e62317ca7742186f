using System.Text.Json;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Protocol.Tests.Vocabulary;

public class ChatonsContextTests
{
    [Fact]
    public void Context_lists_the_five_urls_then_one_inline_object()
    {
        var context = ChatonsContext.Element;

        Assert.Equal(JsonValueKind.Array, context.ValueKind);
        Assert.Equal(
            [
                "https://www.w3.org/ns/activitystreams",
                "https://w3id.org/security/v1",
                "https://w3id.org/security/data-integrity/v1",
                "https://www.w3.org/ns/did/v1",
                "https://w3id.org/security/multikey/v1",
            ],
            context.EnumerateArray().Take(5).Select(e => e.GetString()));
        Assert.Equal(6, context.GetArrayLength());
        Assert.Equal(JsonValueKind.Object, context[5].ValueKind);
    }

    [Fact]
    public void Every_chatons_member_written_by_the_vocabulary_is_defined_inline()
    {
        var inline = ChatonsContext.Element[5];
        var chatonsMembers = new[]
        {
            "structureType", "membership", "status", "since", "until", "country", "services", "charterAttestation",
            "contact", "legalNotice", "category", "software", "version", "license", "sourceCode", "registration",
            "capacity", "hosting", "serverType", "providerType", "charter", "digest", "criteria", "met", "note",
            "endorsements", "issuedEndorsements", "HostedService", "CharterAttestation",
        };

        foreach (var member in chatonsMembers)
        {
            Assert.True(inline.TryGetProperty(member, out var definition), $"{member} is not defined");
            var iri = definition.ValueKind == JsonValueKind.Object ? definition.GetProperty("@id").GetString() : definition.GetString();
            Assert.Equal("chatons:" + member, iri);
        }

        Assert.Equal("https://chatons.org/ns#", inline.GetProperty("chatons").GetString());
        Assert.Equal("http://joinmastodon.org/ns#", inline.GetProperty("toot").GetString());
        Assert.Equal("http://schema.org#", inline.GetProperty("schema").GetString());
    }

    [Theory]
    [InlineData("services")]
    [InlineData("charterAttestation")]
    [InlineData("contact")]
    [InlineData("legalNotice")]
    [InlineData("sourceCode")]
    [InlineData("endorsements")]
    [InlineData("issuedEndorsements")]
    public void Url_valued_terms_are_typed_as_ids(string term)
    {
        Assert.Equal("@id", ChatonsContext.Element[5].GetProperty(term).GetProperty("@type").GetString());
    }

    [Fact]
    public void Apply_sets_the_context_and_it_is_written_first()
    {
        var service = ChatonsContext.Apply(new HostedService { Id = "https://chaton.example/s/1", Category = "email" });

        var written = ActivityStreamsJson.Serialize(service);

        Assert.StartsWith("{\"@context\":[\"https://www.w3.org/ns/activitystreams\"", written, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(ChatonsContext.ToJsonNode(), JsonNode.Parse(written)!["@context"]));
    }
}
