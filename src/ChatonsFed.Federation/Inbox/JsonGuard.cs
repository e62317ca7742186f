using System.Diagnostics.CodeAnalysis;

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
    public static bool TryParseObject(ReadOnlyMemory<byte> body, int maxDepth, [NotNullWhen(true)] out InboxDocument? document, [NotNullWhen(false)] out string? reason)
    {
        if (InboxDocument.TryParse(body, maxDepth, out document, out var error, out var detail))
        {
            reason = null;
            return true;
        }

        reason = error switch
        {
            InboxBodyError.Empty => "the body is empty",
            InboxBodyError.NotUtf8 => "the body is not valid UTF-8",
            InboxBodyError.TooDeep => $"the JSON nests deeper than {maxDepth} levels",
            InboxBodyError.NotObject => "the body is not a JSON object",
            _ => $"the body is not valid JSON: {detail}",
        };
        return false;
    }
}
