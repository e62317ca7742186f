using System.Runtime.InteropServices;
using System.Text;
using ChatonsFed.Federation.Inbox;
using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Federation.Tests;

public sealed class InboxDocumentTests
{
    private static InboxDocument Parse(string json, int maxDepth = 32)
    {
        Assert.True(InboxDocument.TryParse(Encoding.UTF8.GetBytes(json), maxDepth, out var document, out var error, out _), error.ToString());
        return document;
    }

    [Theory]
    [InlineData("", InboxBodyError.Empty)]
    [InlineData("{\"type\":", InboxBodyError.NotJson)]
    [InlineData("[{\"type\":\"Follow\"}]", InboxBodyError.NotObject)]
    [InlineData("\"Follow\"", InboxBodyError.NotObject)]
    [InlineData("{\"a\":{\"b\":{\"c\":{}}}}", InboxBodyError.TooDeep)]
    [InlineData("{\"a\":{\"b\":", InboxBodyError.NotJson)]
    public void A_body_that_is_no_object_within_the_limits_says_why(string body, InboxBodyError expected)
    {
        Assert.False(InboxDocument.TryParse(Encoding.UTF8.GetBytes(body), 3, out var document, out var error, out var detail));
        Assert.Null(document);
        Assert.Equal(expected, error);
        Assert.Equal(expected is InboxBodyError.NotJson or InboxBodyError.TooDeep, detail is not null);
    }

    [Fact]
    public void The_bytes_the_tree_and_the_activity_come_from_one_body()
    {
        var body = Encoding.UTF8.GetBytes("""{"id":"https://a.example/f/1", "type":"Follow","actor":"https://a.example/u","object":{"id":"https://b.example/u","name":"caf\u00e9"}}""");
        Assert.True(InboxDocument.TryParse(body, 32, out var parsed, out _, out _));
        using var document = parsed;

        Assert.True(MemoryMarshal.TryGetArray(document.Body, out var segment));
        Assert.Same(body, segment.Array);
        Assert.Equal("""{"id":"https://b.example/u","name":"caf\u00e9"}""", Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8Value(document.Root.GetProperty("object"))));
        Assert.Same(document.Json, document.Json);
        Assert.Equal("Follow", (string?)document.Json["type"]);
        var follow = Assert.IsType<Follow>(document.Activity);
        Assert.Same(follow, document.Activity);
        Assert.Null(document.ActivityProblem);
        Assert.Equal("https://b.example/u", InboxDocument.IdOf(follow.Object));
    }

    [Fact]
    public void An_activity_of_an_unknown_type_reads_as_a_plain_activity()
    {
        using var document = Parse("""{"id":"https://a.example/r/1","type":"EmojiReact","actor":"https://a.example/u","object":"https://b.example/n"}""");

        Assert.Equal(typeof(Activity), document.Activity!.GetType());
        Assert.Equal("EmojiReact", document.Activity.Type!.First);
    }

    [Fact]
    public void A_member_of_the_wrong_shape_leaves_no_activity_and_a_reason()
    {
        using var document = Parse("""{"id":"https://a.example/f/1","type":"Follow","actor":"https://a.example/u","object":42}""");

        Assert.Null(document.Activity);
        Assert.Contains("found Number", document.ActivityProblem, StringComparison.Ordinal);
        Assert.Equal(42, (int)document.Json["object"]!);
    }

    [Fact]
    public void The_activity_is_read_within_the_same_depth_limit()
    {
        using var document = Parse("""{"type":"Create","object":{"type":"Note","tag":[{"type":"Mention"}]}}""", maxDepth: 4);
        Assert.IsType<Create>(document.Activity);
    }

    [Theory]
    [InlineData("\"https://b.example/u\"", "https://b.example/u")]
    [InlineData("{\"id\":\"https://b.example/u\"}", "https://b.example/u")]
    [InlineData("[\"https://b.example/u\"]", null)]
    [InlineData("{\"type\":\"Link\",\"href\":\"https://b.example/u\"}", null)]
    [InlineData("{\"type\":\"Note\"}", null)]
    [InlineData("null", null)]
    public void Ids_are_read_from_one_value_only(string member, string? expected)
    {
        using var document = Parse($$"""{"type":"Follow","object":{{member}}}""");

        Assert.Equal(expected, InboxDocument.IdOf(document.Activity!.Object));
    }

    [Fact]
    public void An_embedded_node_is_found_only_when_it_is_the_one_value()
    {
        using var embedded = Parse("""{"type":"Undo","object":{"type":"Follow","id":"https://a.example/f/1"}}""");
        using var inArray = Parse("""{"type":"Undo","object":[{"type":"Follow","id":"https://a.example/f/1"}]}""");
        using var byId = Parse("""{"type":"Undo","object":"https://a.example/f/1"}""");

        Assert.IsType<Follow>(InboxDocument.EmbeddedIn(embedded.Activity!.Object));
        Assert.Null(InboxDocument.EmbeddedIn(inArray.Activity!.Object));
        Assert.Null(InboxDocument.EmbeddedIn(byId.Activity!.Object));
    }
}
