using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Protocol.Tests.Vocabulary;

/// <summary>Checks that a document read and written back is the same JSON, and says what differs when it is not.</summary>
internal static class RoundTrip
{
    public static JsonLdNode AssertLossless(string json)
    {
        var node = ActivityStreamsJson.Parse(json);
        var written = ActivityStreamsJson.Serialize(node);
        var expected = JsonNode.Parse(json);
        var actual = JsonNode.Parse(written);
        if (!JsonNode.DeepEquals(expected, actual))
        {
            Assert.Fail($"Round trip changed the document.\nfirst difference: {FirstDifference(expected, actual, "$")}\nwritten: {written}");
        }

        Assert.Equal(node, ActivityStreamsJson.Parse(written));
        return node;
    }

    private static string FirstDifference(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected, actual)
        {
            case (JsonObject e, JsonObject a):
                foreach (var (name, value) in e)
                {
                    if (!a.ContainsKey(name))
                    {
                        return $"{path}.{name} was dropped";
                    }

                    if (!JsonNode.DeepEquals(value, a[name]))
                    {
                        return FirstDifference(value, a[name], $"{path}.{name}");
                    }
                }

                return $"{path} gained {string.Join(", ", a.Select(p => p.Key).Except(e.Select(p => p.Key)))}";
            case (JsonArray e, JsonArray a) when e.Count == a.Count:
                for (var i = 0; i < e.Count; i++)
                {
                    if (!JsonNode.DeepEquals(e[i], a[i]))
                    {
                        return FirstDifference(e[i], a[i], $"{path}[{i}]");
                    }
                }

                return path;
            default:
                return $"{path}: expected {expected?.ToJsonString() ?? "null"}, written {actual?.ToJsonString() ?? "null"}";
        }
    }
}
