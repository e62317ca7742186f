using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatonsFed.Federation.Inbox;

/// <summary>Limits on a received JSON body, applied before anything else reads it.</summary>
public static class JsonGuard
{
    public const int DefaultMaxBytes = 1024 * 1024;

    public const int DefaultMaxDepth = 64;

    /// <summary>Whether the body is within <paramref name="maxBytes"/>; the reason when not.</summary>
    public static bool CheckSize(long length, long maxBytes, [NotNullWhen(false)] out string? reason)
    {
        reason = length > maxBytes ? $"the body is {length} bytes, more than the {maxBytes} accepted" : null;
        return reason is null;
    }

    /// <summary>Parses a JSON object nested at most <paramref name="maxDepth"/> levels; the reason when it is not one.</summary>
    public static bool TryParseObject(ReadOnlyMemory<byte> body, int maxDepth, [NotNullWhen(true)] out JsonObject? document, [NotNullWhen(false)] out string? reason)
    {
        document = null;
        if (body.IsEmpty)
        {
            reason = "the body is empty";
            return false;
        }

        try
        {
            document = JsonNode.Parse(body.Span, documentOptions: new JsonDocumentOptions { MaxDepth = maxDepth }) as JsonObject;
        }
        catch (JsonException e)
        {
            reason = e.Message.Contains("depth", StringComparison.OrdinalIgnoreCase)
                ? $"the JSON nests deeper than {maxDepth} levels"
                : $"the body is not valid JSON: {e.Message}";
            return false;
        }

        reason = document is null ? "the body is not a JSON object" : null;
        return document is not null;
    }
}
