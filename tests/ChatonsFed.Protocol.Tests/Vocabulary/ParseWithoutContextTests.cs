using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Protocol.Tests.Vocabulary;

/// <summary>Reading the vocabulary without the @context gives everything else exactly as a full reading does.</summary>
public class ParseWithoutContextTests
{
    [Theory]
    [InlineData("fedify-actor.json")]
    [InlineData("mastodon-actor.json")]
    [InlineData("mastodon-create-note.json")]
    [InlineData("fedify-signed-note.json")]
    public void Everything_but_the_context_is_read_as_by_a_full_reading(string fixture)
    {
        var bytes = File.ReadAllBytes(RepositoryFiles.Fixture(fixture));
        var full = ActivityStreamsJson.Parse(bytes);
        var lean = ActivityStreamsJson.ParseWithoutContext(bytes);

        Assert.Equal(JsonNode.Parse(bytes)!["@context"] is not null, full.Context is not null);
        Assert.Null(lean.Context);
        Assert.Null(lean.Extension("@context"));
        Assert.False(lean.HadExplicitNull("@context"));
        Assert.Equal(full.GetType(), lean.GetType());

        // Written back, the lean reading is the full one without its @context.
        var expected = JsonNode.Parse(ActivityStreamsJson.Serialize(full))!.AsObject();
        expected.Remove("@context");
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(ActivityStreamsJson.Serialize(lean))), ActivityStreamsJson.Serialize(lean));
    }

    [Fact]
    public void A_malformed_document_is_refused_the_same_way()
    {
        var broken = Encoding.UTF8.GetBytes("{\"@context\": [\"https://www.w3.org/ns/activitystreams\", {\"a\": }], \"type\": \"Note\"}");
        Assert.Throws<ProtocolFormatException>(() => ActivityStreamsJson.Parse(broken));
        Assert.Throws<ProtocolFormatException>(() => ActivityStreamsJson.ParseWithoutContext(broken));
    }
}
