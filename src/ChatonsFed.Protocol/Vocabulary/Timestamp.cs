using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatonsFed.Protocol.Vocabulary;

/// <summary>
/// An <c>xsd:dateTime</c> value kept as the exact text received (proofs hash it as received, and Fedify
/// writes nine fractional digits), with its instant when the text is valid.
/// </summary>
[JsonConverter(typeof(TimestampConverter))]
public readonly record struct Timestamp
{
    public Timestamp(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Text = text;
    }

    /// <summary>The instant written as <c>yyyy-MM-ddTHH:mm:ssZ</c> in UTC, the form every peer parses (Fedify rejects fractions such as <c>.000Z</c>).</summary>
    public Timestamp(DateTimeOffset instant)
    {
        Text = instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    public string Text { get; }

    /// <summary>The instant, or <c>null</c> when <see cref="Text"/> is not a valid date-time with an offset.</summary>
    public DateTimeOffset? Instant => TryParse(Text, out var instant) ? instant : null;

    public override string ToString() => Text ?? string.Empty;

    /// <summary>Parses an RFC 3339 date-time; fractions beyond the 100 ns that .NET holds are truncated.</summary>
    public static bool TryParse(string? text, out DateTimeOffset instant)
    {
        instant = default;
        if (string.IsNullOrEmpty(text) || text.Length < 20 || text[10] is not ('T' or 't'))
        {
            return false;
        }

        var dot = text.IndexOf('.', 19);
        if (dot == 19)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            if (end - dot - 1 > 7)
            {
                text = string.Concat(text.AsSpan(0, dot + 8), text.AsSpan(end));
            }
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant)
            && (text.EndsWith('Z') || text.EndsWith('z') || text[^6] is '+' or '-');
    }
}

/// <summary>Reads and writes a <see cref="Timestamp"/> as its text.</summary>
public sealed class TimestampConverter : JsonConverter<Timestamp>
{
    public override Timestamp Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? new Timestamp(reader.GetString()!)
            : throw new JsonException("A date-time must be a string.");

    public override void Write(Utf8JsonWriter writer, Timestamp value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.Text);
    }
}
