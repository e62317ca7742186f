using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatonsFed.Directory.Tests;

internal static class JsonAssert
{
    public static readonly JsonSerializerOptions Pretty = new()
    {
        WriteIndented = true,
        IndentSize = 4,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Equal(JsonNode? expected, JsonNode? actual, string what)
    {
        if (!JsonNode.DeepEquals(expected, actual))
        {
            Assert.Fail($"{what} differs.\nExpected:\n{expected?.ToJsonString(Pretty)}\nActual:\n{actual?.ToJsonString(Pretty)}");
        }
    }

    /// <summary>A copy of <paramref name="node"/> where every string value found in <paramref name="map"/> is replaced.</summary>
    public static JsonNode? MapStrings(JsonNode? node, Func<string, string> map) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, MapStrings(p.Value, map)))),
        JsonArray array => new JsonArray([.. array.Select(item => MapStrings(item, map))]),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => JsonValue.Create(map(value.GetValue<string>())),
        _ => node?.DeepClone(),
    };

    public static JsonObject Without(JsonObject document, params string[] members)
    {
        var copy = document.DeepClone().AsObject();
        foreach (var member in members)
        {
            copy.Remove(member);
        }

        return copy;
    }
}
