using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Proofs;

namespace ChatonsFed.Protocol.Membership;

/// <summary>Small readers over the received JSON, shared by the credential and status list checks.</summary>
internal static class MembershipJson
{
    public static readonly JsonDocumentOptions ReadOptions = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    /// <summary>Parses one JSON value from hostile bytes (depth 64, no duplicate member names).</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out JsonNode? node, [NotNullWhen(false)] out string? error)
    {
        try
        {
            node = JsonNode.Parse(utf8, documentOptions: ReadOptions);
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            node = null;
            error = $"not valid JSON: {e.Message}";
            return false;
        }
    }

    public static string? GetString(JsonObject obj, string name) =>
        obj.TryGetPropertyValue(name, out var node) ? GetString(node) : null;

    public static string? GetString(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>An id given as a string or as an object with a string <c>id</c>.</summary>
    public static string? GetId(JsonNode? node) => node is JsonObject obj ? GetString(obj, "id") : GetString(node);

    public static bool IsHttpUrl([NotNullWhen(true)] string? text, [NotNullWhen(true)] out Uri? uri) =>
        ProofVerifier.TryParseHttpUrl(text, out uri);

    public static bool IsHttpUrl([NotNullWhen(true)] string? text) => ProofVerifier.TryParseHttpUrl(text, out _);

    /// <summary>Whether <c>type</c> (a string or an array of them) names <paramref name="type"/>.</summary>
    public static bool HasType(JsonObject obj, string type)
    {
        if (!obj.TryGetPropertyValue("type", out var node))
        {
            return false;
        }

        if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                if (GetString(item) == type)
                {
                    return true;
                }
            }

            return false;
        }

        return GetString(node) == type;
    }

    /// <summary>Whether <c>@context</c> is an array whose first item is the VC 2.0 context URL.</summary>
    public static bool HasCredentialsContext(JsonObject obj) =>
        obj.TryGetPropertyValue("@context", out var node)
        && node is JsonArray { Count: > 0 } array
        && GetString(array[0]) == MembershipContext.CredentialsV2;

    /// <summary>The single object of a member that must hold one (an object, or an array of exactly one object).</summary>
    public static JsonObject? One(JsonNode? node) => node switch
    {
        JsonObject obj => obj,
        JsonArray { Count: 1 } array => array[0] as JsonObject,
        _ => null,
    };

    /// <summary>The URL without its fragment.</summary>
    public static string WithoutFragment(string url)
    {
        var hash = url.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? url : url[..hash];
    }

    /// <summary>The number of UTF-8 bytes of <paramref name="node"/> written compactly.</summary>
    public static long Utf8Length(JsonNode node)
    {
        var counter = new CountingBufferWriter();
        using (var writer = new Utf8JsonWriter(counter, new JsonWriterOptions { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            node.WriteTo(writer);
        }

        return counter.Written;
    }

    /// <summary>A buffer writer that counts bytes and keeps none (one reused scratch buffer).</summary>
    private sealed class CountingBufferWriter : System.Buffers.IBufferWriter<byte>
    {
        private byte[] _scratch = new byte[4096];

        public long Written { get; private set; }

        public void Advance(int count) => Written += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => Ensure(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => Ensure(sizeHint);

        private byte[] Ensure(int sizeHint)
        {
            if (sizeHint > _scratch.Length)
            {
                _scratch = new byte[sizeHint];
            }

            return _scratch;
        }
    }
}
