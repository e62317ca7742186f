using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Protocol.Tests.Vocabulary;

/// <summary>The lenient reading PROTOCOL.md section 3 requires of consumers.</summary>
public class ParsingTests
{
    [Fact]
    public void Chatons_type_is_recognised_wherever_it_stands()
    {
        Assert.IsType<HostedService>(ActivityStreamsJson.Parse("""{"type":["HostedService","Object"]}"""));
        Assert.IsType<HostedService>(ActivityStreamsJson.Parse("""{"type":"HostedService"}"""));
        Assert.IsType<CharterAttestation>(ActivityStreamsJson.Parse("""{"type":["Document","https://chatons.org/ns#CharterAttestation"]}"""));
        Assert.IsType<CharterAttestation>(ActivityStreamsJson.Parse("""{"type":["Document","chatons:CharterAttestation"]}"""));
    }

    [Fact]
    public void Unknown_types_fall_back_to_the_first_known_one_or_to_object()
    {
        Assert.IsType<Note>(ActivityStreamsJson.Parse("""{"type":["ChatMessage","Note"]}"""));
        var question = ActivityStreamsJson.Parse("""{"type":"Question","oneOf":[]}""");
        Assert.Equal(typeof(AsObject), question.GetType());
        Assert.True(question.IsOfType("Question"));
        Assert.Equal(typeof(AsObject), ActivityStreamsJson.Parse("{}").GetType());
    }

    [Fact]
    public void Single_values_and_arrays_are_both_accepted()
    {
        var single = ActivityStreamsJson.Parse<Create>("""{"type":"Create","actor":"https://a.example/u","to":"https://b.example/u"}""");
        var many = ActivityStreamsJson.Parse<Create>("""{"type":"Create","actor":["https://a.example/u"],"to":["https://b.example/u","https://c.example/u"]}""");

        Assert.Equal("https://a.example/u", single.ActorId);
        Assert.Equal("https://a.example/u", many.ActorId);
        Assert.Single(single.To!);
        Assert.Equal(2, many.To!.Count);
    }

    [Fact]
    public void Id_strings_are_accepted_where_objects_are_allowed()
    {
        var actor = ActivityStreamsJson.Parse<Organization>(
            """{"type":"Organization","endpoints":"https://a.example/endpoints","assertionMethod":"https://a.example/actor#key","icon":"https://a.example/icon.png"}""");

        Assert.Equal("https://a.example/endpoints", actor.Endpoints?.Id);
        Assert.Null(actor.SharedInbox);
        Assert.Equal("https://a.example/actor#key", Assert.Single(actor.AssertionMethod!).Id);
        Assert.Empty(actor.AssertionKeys);
        Assert.Equal("https://a.example/icon.png", actor.Icon!.First!.Id);
    }

    [Fact]
    public void Links_without_type_are_read_as_links()
    {
        var note = ActivityStreamsJson.Parse<Note>("""{"type":"Note","url":[{"href":"https://a.example/n/1","mediaType":"text/html"}]}""");

        var link = Assert.IsType<Link>(note.Url!.First!.Value);
        Assert.Equal("https://a.example/n/1", note.Url.First.Id);
        Assert.Equal("text/html", link.MediaType);
    }

    [Fact]
    public void Undo_of_follow_embeds_the_follow()
    {
        var undo = ActivityStreamsJson.Parse<Undo>(
            """{"type":"Undo","actor":"https://a.example/u","object":{"type":"Follow","id":"https://a.example/f/1","actor":"https://a.example/u","object":"https://b.example/u"}}""");

        var follow = Assert.IsType<Follow>(undo.EmbeddedObject);
        Assert.Equal("https://b.example/u", follow.ObjectId);
        Assert.Equal("https://a.example/f/1", undo.ObjectId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("\"https://a.example/u\"")]
    [InlineData("{\"type\":\"Note\"")]
    [InlineData("{\"type\":\"Note\",\"published\":3}")]
    [InlineData("{\"type\":\"Note\"} {}")]
    public void Malformed_documents_are_refused_with_a_reason(string json)
    {
        var error = Assert.Throws<ProtocolFormatException>(() => ActivityStreamsJson.Parse(json));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Parse_of_another_type_says_so()
    {
        var error = Assert.Throws<ProtocolFormatException>(() => ActivityStreamsJson.Parse<Organization>("""{"type":"Person"}"""));
        Assert.Contains("Organization", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-11-23T06:39:50.753990548Z", 7539905)]
    [InlineData("2025-03-27T00:00:00Z", 0)]
    [InlineData("2025-03-27T01:00:00+01:00", 0)]
    public void Timestamps_keep_their_text_and_parse_long_fractions(string text, long fractionTicks)
    {
        var stamp = new Timestamp(text);

        Assert.Equal(text, stamp.Text);
        Assert.Equal(fractionTicks, stamp.Instant!.Value.Ticks % TimeSpan.TicksPerSecond);
    }

    [Theory]
    [InlineData("2025-03-27")]
    [InlineData("2025-03-27T00:00:00")]
    [InlineData("yesterday")]
    public void Timestamps_without_offset_have_no_instant(string text)
    {
        Assert.Null(new Timestamp(text).Instant);
    }
}
