using System.Text.Json;

namespace ChatonsFed.Directory.Node;

/// <summary>Reading helpers for the collective's JSON lists, with errors that say where the file is wrong.</summary>
internal static class CatalogJson
{
    public static JsonDocument Parse(Stream stream, string what)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            return JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new FormatException($"The {what} is not valid JSON: {e.Message}", e);
        }
    }

    public static Stream OpenResource(string logicalName) =>
        typeof(CatalogJson).Assembly.GetManifestResourceStream(logicalName)
        ?? throw new InvalidOperationException($"The embedded resource {logicalName} is missing from {typeof(CatalogJson).Assembly.GetName().Name}.");

    public static JsonElement.ArrayEnumerator Array(JsonElement parent, string property, string what)
    {
        if (parent.ValueKind != JsonValueKind.Object
            || !parent.TryGetProperty(property, out var value)
            || value.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"The {what} has no \"{property}\" array.");
        }

        return value.EnumerateArray();
    }

    public static string String(JsonElement parent, string property, string where)
    {
        if (parent.ValueKind == JsonValueKind.Object
            && parent.TryGetProperty(property, out var value)
            && value.ValueKind == JsonValueKind.String
            && value.GetString() is { Length: > 0 } text)
        {
            return text;
        }

        throw new FormatException($"{where}: \"{property}\" must be a non-empty string.");
    }

    public static string? OptionalString(JsonElement parent, string property) =>
        parent.ValueKind == JsonValueKind.Object
        && parent.TryGetProperty(property, out var value)
        && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
