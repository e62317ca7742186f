using System.Text.Json.Nodes;
using CsCheck;

namespace ChatonsFed.Protocol.Tests.Json;

/// <summary>Random JSON documents for property tests: any valid Unicode text, finite doubles, nesting.</summary>
internal static class JsonGenerators
{
    /// <summary>Text biased towards ASCII, with the awkward parts: controls, quotes, BMP above U+E000 and astral characters.</summary>
    public static readonly Gen<string> Text =
        Gen.Frequency(
            (6, Gen.Char['a', 'z'].Select(c => c.ToString())),
            (2, Gen.Char[(char)0, (char)0x7f].Select(c => c.ToString())),
            (1, Gen.OneOf("\"", "\\", "/", "\u2028", "é", "\uffff", "\ue000", "😂", "\U0010ffff", "\U00010000")),
            (1, Gen.Int[0, 0x10FFFF].Where(cp => cp is < 0xD800 or > 0xDFFF).Select(char.ConvertFromUtf32)))
        .Array[0, 8]
        .Select(string.Concat);

    public static readonly Gen<double> FiniteDouble =
        Gen.Frequency(
            (3, Gen.Double.Where(double.IsFinite)),
            (2, Gen.Int.Select(i => (double)i)),
            (1, Gen.Double[-1e6, 1e6]),
            (1, Gen.OneOf(0.0, -0.0, 1e21, 1e-7, 5e-324, double.MaxValue, 0.1, 9007199254740993)));

    public static readonly Gen<JsonNode?> Value =
        Gen.Frequency<JsonNode?>(
            (3, Text.Select(s => (JsonNode?)JsonValue.Create(s))),
            (3, FiniteDouble.Select(d => (JsonNode?)JsonValue.Create(d))),
            (1, Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i))),
            (1, Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b))),
            (1, Gen.Const((JsonNode?)null)));

    public static readonly Gen<JsonNode?> Node = Gen.Recursive<JsonNode?>((depth, node) =>
    {
        if (depth >= 4)
        {
            return Value;
        }

        var obj = Gen.Select(Text, node).Array[0, 6].Select(MakeObject);
        var array = node.Array[0, 5].Select(items => (JsonNode?)new JsonArray(items));
        return Gen.Frequency((2, Value), (2, obj), (1, array));
    });

    /// <summary>Objects only, as signed documents are.</summary>
    public static readonly Gen<JsonObject> Object =
        Gen.Select(Text, Node).Array[1, 8].Select(members => (JsonObject)MakeObject(members)!);

    private static JsonNode? MakeObject((string Name, JsonNode? Value)[] members)
    {
        var obj = new JsonObject();
        foreach (var (name, value) in members)
        {
            obj[name] = value;
        }

        return obj;
    }
}
