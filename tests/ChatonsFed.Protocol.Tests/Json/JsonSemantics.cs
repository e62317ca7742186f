using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatonsFed.Protocol.Tests.Json;

/// <summary>Equality of JSON values as JCS sees them: numbers as IEEE doubles, objects as unordered maps.</summary>
internal static class JsonSemantics
{
    public static bool AreEqual(JsonNode? a, JsonNode? b)
    {
        switch (a, b)
        {
            case (null, null):
                return true;
            case (JsonObject x, JsonObject y):
                return x.Count == y.Count && x.All(m => y.TryGetPropertyValue(m.Key, out var other) && AreEqual(m.Value, other));
            case (JsonArray x, JsonArray y):
                return x.Count == y.Count && x.Zip(y).All(p => AreEqual(p.First, p.Second));
            case (JsonValue x, JsonValue y):
                var kind = x.GetValueKind();
                if (kind != y.GetValueKind())
                {
                    return false;
                }

                return kind switch
                {
                    JsonValueKind.Number => ToDouble(x) == ToDouble(y),
                    JsonValueKind.String => x.GetValue<string>() == y.GetValue<string>(),
                    _ => true,
                };
            default:
                return false;
        }
    }

    private static double ToDouble(JsonValue v) =>
        v.TryGetValue<double>(out var d) ? d : v.TryGetValue<int>(out var i) ? i : double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
}
