using System.Buffers;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.HttpSignatures;

namespace ChatonsFed.TestFleet;

/// <summary>A document as the fleet serves it: the exact bytes, their strong ETag and Last-Modified, and the status.</summary>
public sealed class FleetDocument
{
    public const string ActivityJson = "application/activity+json";

    private readonly byte[] _body;

    internal FleetDocument(string path, byte[] body, DateTimeOffset lastModified, string contentType = ActivityJson, int statusCode = 200)
    {
        Path = path;
        _body = body;
        LastModified = DateTimeOffset.FromUnixTimeSeconds(lastModified.ToUnixTimeSeconds());
        ContentType = contentType;
        StatusCode = statusCode;
        ETag = "\"" + Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 16)) + "\"";
    }

    /// <summary>The path (and <c>?page=n</c> for a collection page) the document is served at.</summary>
    public string Path { get; }

    public ReadOnlyMemory<byte> Body => _body;

    /// <summary>Quoted, as the header carries it.</summary>
    public string ETag { get; }

    /// <summary>The time of the document's last change, in whole seconds.</summary>
    public DateTimeOffset LastModified { get; }

    public string ContentType { get; }

    /// <summary>200, or 410 for the tombstone of a removed object.</summary>
    public int StatusCode { get; }

    internal byte[] Bytes => _body;

    public JsonObject ToJson() => JsonNode.Parse(_body)!.AsObject();

    public override string ToString() => $"{StatusCode} {Path} {ETag}";
}

/// <summary>How the fleet writes JSON: UTF-8 as it is (accented names stay readable), no indentation.</summary>
internal static class FleetJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] ToBytes(JsonNode node)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            node.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>A POST that reached a chaton's inbox or shared inbox, as received.</summary>
/// <param name="Request">Method, full URL, headers and body, ready for <c>InboxRequestVerifier</c>.</param>
public sealed record FleetInboxPost(FleetChaton Chaton, string Path, HttpRequestSnapshot Request, DateTimeOffset Received)
{
    public JsonObject? Activity => JsonNode.Parse(Request.Body.Span) as JsonObject;
}
