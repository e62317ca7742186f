using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Json;

namespace ChatonsFed.Aggregator.Export;

/// <summary>How exports write values, the same on every machine: numbers as ECMAScript prints them, instants in UTC.</summary>
internal static class ExportFormat
{
    /// <summary>A number as JSON canonicalization (RFC 8785) writes it: the shortest form that reads back the same.</summary>
    public static string Number(double value) => Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(JsonValue.Create(value)));

    /// <summary><c>yyyy-MM-ddTHH:mm:ssZ</c>, with the fraction of a second only when there is one.</summary>
    public static string Instant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Writes <paramref name="node"/> in canonical form (members sorted, no white space).</summary>
    public static void WriteCanonical(Stream output, JsonNode node, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        JsonCanonicalizer.Canonicalize(node, buffer);
        output.Write(buffer.WrittenSpan);
    }

    public static void WriteAscii(Stream output, string text) => output.Write(Encoding.ASCII.GetBytes(text));
}
