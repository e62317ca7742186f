using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Json;
using CsCheck;

namespace ChatonsFed.Protocol.Tests.Json;

public class JsonCanonicalizerTests
{
    [Fact]
    public void Duplicate_member_names_are_rejected_with_the_name()
    {
        var e = Assert.Throws<ProtocolFormatException>(() => JsonCanonicalizer.Canonicalize("""{"a":1,"b":2,"a":3}"""u8));
        Assert.Contains("\"a\" more than once", e.Message);
    }

    [Fact]
    public void Duplicate_member_names_spelled_with_an_escape_are_rejected()
    {
        Assert.Throws<ProtocolFormatException>(() => JsonCanonicalizer.Canonicalize("""{"a":1,"\u0061":2}"""u8));
    }

    [Theory]
    [InlineData("{\"a\":1")]
    [InlineData("[1,]")]
    [InlineData("{\"a\":1} {}")]
    [InlineData("NaN")]
    [InlineData("1e400")]
    [InlineData("\"\\ud800\"")]
    [InlineData("")]
    public void Invalid_input_is_rejected_as_a_format_error(string json)
    {
        Assert.Throws<ProtocolFormatException>(() => JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void A_lone_surrogate_in_a_dotnet_string_is_rejected()
    {
        var node = new JsonObject { ["x"] = "a\ud800b" };
        var e = Assert.Throws<ProtocolFormatException>(() => JsonCanonicalizer.Canonicalize(node));
        Assert.Contains("surrogate", e.Message);
    }

    [Fact]
    public void NaN_in_a_node_is_rejected()
    {
        Assert.Throws<ProtocolFormatException>(() => JsonCanonicalizer.Canonicalize(new JsonArray(JsonValue.Create(double.NaN))));
    }

    [Fact]
    public void Nesting_beyond_the_limit_is_rejected()
    {
        JsonNode node = new JsonArray();
        for (var i = 0; i < JsonCanonicalizer.MaxDepth + 1; i++)
        {
            node = new JsonArray(node);
        }

        Assert.Throws<ProtocolFormatException>(() => JsonCanonicalizer.Canonicalize(node));
    }

    [Fact]
    public void Astral_names_sort_before_high_BMP_names_as_UTF16_does()
    {
        // U+1F602 is D83D DE02 in UTF-16, which sorts before U+FB33 although its code point is larger.
        const string Expected = "{\"a\":1,\"\U0001F602\":3,\"\uFB33\":2}";
        var raw = "{\"\uFB33\":2,\"\U0001F602\":3,\"a\":1}";
        Assert.Equal(Expected, Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(raw))));
        Assert.Equal(Expected, JsonCanonicalizer.CanonicalizeToString(JsonNode.Parse(raw)));
    }

    [Fact]
    public void Values_of_other_dotnet_types_are_canonicalized_from_their_JSON()
    {
        var node = new JsonObject
        {
            ["decimal"] = JsonValue.Create(4.50m),
            ["long"] = JsonValue.Create(9007199254740993L),
            ["float"] = JsonValue.Create(0.1f),
            ["char"] = JsonValue.Create('\n'),
            ["none"] = null,
        };
        Assert.Equal(
            "{\"char\":\"\\n\",\"decimal\":4.5,\"float\":0.10000000149011612,\"long\":9007199254740992,\"none\":null}",
            JsonCanonicalizer.CanonicalizeToString(node));
    }

    [Fact]
    public void Large_integers_are_rounded_to_the_nearest_double()
    {
        Assert.Equal("[9007199254740992,1e+21,-0.5,0]", Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize("[9007199254740993, 1000000000000000000000, -5e-1, -0]"u8)));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(48)]
    [InlineData(49)]
    [InlineData(300)]
    public void Objects_of_any_size_are_sorted_by_UTF16_code_units(int size)
    {
        var random = new Random(size);
        var names = Enumerable.Range(0, size).Select(i => $"{(char)random.Next(0x20, 0xFFFF) switch { var c when char.IsSurrogate(c) => 'x', var c => c }}{i}").ToList();
        var obj = new JsonObject(names.OrderBy(_ => random.Next()).Select(n => KeyValuePair.Create(n, (JsonNode?)JsonValue.Create(n.Length))));
        var expected = "{" + string.Join(",", names.Order(StringComparer.Ordinal).Select(n => $"{Quote(n)}:{n.Length}")) + "}";

        Assert.Equal(expected, JsonCanonicalizer.CanonicalizeToString(obj));
        Assert.Equal(expected, Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(obj.ToJsonString()))));
    }

    [Fact]
    public void A_duplicate_in_a_large_object_is_found()
    {
        var members = Enumerable.Range(0, 100).Select(i => $"\"m{i}\":{i}").Append("\"m42\":0");
        Assert.Throws<ProtocolFormatException>(() => JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes("{" + string.Join(",", members) + "}")));
    }

    [Fact]
    public void Canonicalization_is_idempotent()
    {
        JsonGenerators.Node.Sample(node =>
        {
            var once = JsonCanonicalizer.Canonicalize(node);
            var twice = JsonCanonicalizer.Canonicalize(once);
            Assert.Equal(once, twice);
        });
    }

    [Fact]
    public void Parsing_the_canonical_form_gives_the_same_value()
    {
        JsonGenerators.Node.Sample(node =>
        {
            var canonical = JsonCanonicalizer.Canonicalize(node);
            Assert.True(JsonSemantics.AreEqual(node, JsonNode.Parse(canonical)), Encoding.UTF8.GetString(canonical));
        });
    }

    [Fact]
    public void Member_order_does_not_change_the_canonical_form()
    {
        Gen.Select(JsonGenerators.Node, Gen.Int).Sample((node, seed) =>
        {
            var shuffled = Shuffle(node, new Random(seed));
            Assert.Equal(JsonCanonicalizer.Canonicalize(node), JsonCanonicalizer.Canonicalize(shuffled));
        });
    }

    [Fact]
    public void Node_element_and_text_inputs_agree()
    {
        JsonGenerators.Node.Sample(node =>
        {
            var text = node?.ToJsonString() ?? "null";
            var fromNode = JsonCanonicalizer.Canonicalize(node);
            var fromText = JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(text));
            using var document = JsonDocument.Parse(text);
            var fromElement = JsonCanonicalizer.Canonicalize(document.RootElement);
            var fromParsedNode = JsonCanonicalizer.Canonicalize(JsonNode.Parse(text));
            Assert.Equal(fromNode, fromText);
            Assert.Equal(fromNode, fromElement);
            Assert.Equal(fromNode, fromParsedNode);
        });
    }

    private static string Quote(string name) => JsonCanonicalizer.CanonicalizeToString(JsonValue.Create(name));

    private static JsonNode? Shuffle(JsonNode? node, Random random) => node switch
    {
        JsonObject o => new JsonObject(o.ToArray().OrderBy(_ => random.Next()).Select(m => KeyValuePair.Create(m.Key, Shuffle(m.Value, random)))),
        JsonArray a => new JsonArray(a.Select(i => Shuffle(i, random)).ToArray()),
        _ => node?.DeepClone(),
    };
}
