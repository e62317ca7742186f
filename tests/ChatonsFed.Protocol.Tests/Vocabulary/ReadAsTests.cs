using System.Text;
using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Protocol.Tests.Vocabulary;

/// <summary><see cref="ActivityStreamsJson.Read{T}"/>: a document read where a given type is expected.</summary>
public class ReadAsTests
{
    private static Activity ReadActivity(string json, int maxDepth = 64) => ActivityStreamsJson.Read<Activity>(Encoding.UTF8.GetBytes(json), maxDepth);

    [Fact]
    public void A_known_activity_type_gives_its_record()
    {
        var follow = Assert.IsType<Follow>(ReadActivity("""{"id":"https://a.example/f","type":"Follow","actor":"https://a.example/u","object":"https://b.example/u"}"""));
        Assert.Equal("https://a.example/u", follow.ActorId);
        Assert.Equal("https://b.example/u", follow.ObjectId);
        Assert.IsType<Undo>(ReadActivity("""{"type":"as:Undo","object":{"type":"Follow","id":"https://a.example/f"}}"""));
        Assert.IsType<Delete>(ReadActivity("""{"type":["Delete"],"object":"https://a.example/u"}"""));
    }

    [Fact]
    public void An_unknown_type_or_a_type_that_is_no_activity_still_reads_as_an_activity()
    {
        var react = ReadActivity("""{"type":"EmojiReact","actor":"https://a.example/u","object":"https://b.example/n","_misskey_reaction":"🐱"}""");
        Assert.Equal(typeof(Activity), react.GetType());
        Assert.Equal("EmojiReact", react.Type!.First);
        Assert.Equal("https://a.example/u", react.ActorId);
        Assert.Equal("https://b.example/n", react.ObjectId);
        Assert.NotNull(react.Extension("_misskey_reaction"));

        Assert.Equal(typeof(Activity), ReadActivity("""{"type":"Note","actor":"https://a.example/u"}""").GetType());
        Assert.Equal(typeof(Activity), ReadActivity("{}").GetType());
    }

    [Fact]
    public void An_embedded_object_is_read_into_its_own_type()
    {
        var create = Assert.IsType<Create>(ReadActivity("""{"type":"Create","object":{"id":"https://a.example/s","type":["Service","HostedService"]}}"""));
        Assert.IsType<HostedService>(create.EmbeddedObject);
    }

    [Fact]
    public void A_member_of_the_wrong_shape_is_a_format_error_that_says_what_was_found()
    {
        var error = Assert.Throws<ProtocolFormatException>(() => ReadActivity("""{"type":"Follow","actor":"https://a.example/u","object":42}"""));
        Assert.Contains("found Number", error.Message, StringComparison.Ordinal);
        Assert.Throws<ProtocolFormatException>(() => ReadActivity("""{"type":"Follow","id":7}"""));
        Assert.Throws<ProtocolFormatException>(() => ReadActivity("""[{"type":"Follow"}]"""));
    }

    [Fact]
    public void The_depth_limit_is_the_callers()
    {
        const string nested = """{"type":"Create","object":{"type":"Note","tag":[{"type":"Mention"}]}}""";
        Assert.IsType<Create>(ReadActivity(nested, maxDepth: 4));
        var error = Assert.Throws<ProtocolFormatException>(() => ReadActivity(nested, maxDepth: 3));
        Assert.Contains("depth", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
