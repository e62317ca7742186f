using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatonsFed.Protocol.Vocabulary;

/// <summary>Text by language tag, as in <c>nameMap</c>, <c>summaryMap</c> and <c>contentMap</c>.</summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "Language map is the JSON-LD term.")]
public sealed class LanguageMap : IReadOnlyDictionary<string, string>, IEquatable<LanguageMap>
{
    private readonly Dictionary<string, string> texts;

    public LanguageMap(IEnumerable<KeyValuePair<string, string>> texts)
    {
        this.texts = new Dictionary<string, string>(texts, StringComparer.Ordinal);
    }

    public string this[string key] => texts[key];

    public IEnumerable<string> Keys => texts.Keys;

    public IEnumerable<string> Values => texts.Values;

    public int Count => texts.Count;

    public bool ContainsKey(string key) => texts.ContainsKey(key);

    public bool TryGetValue(string key, out string value) => texts.TryGetValue(key, out value!);

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => texts.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(LanguageMap? other) =>
        other is not null
        && other.Count == Count
        && texts.All(pair => other.texts.TryGetValue(pair.Key, out var text) && text == pair.Value);

    public override bool Equals(object? obj) => Equals(obj as LanguageMap);

    public override int GetHashCode() => Count;
}

/// <summary>Reads and writes a language map as a JSON object of strings, in its original order.</summary>
public sealed class LanguageMapConverter : JsonConverter<LanguageMap>
{
    public override LanguageMap Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A language map must be a JSON object.");
        }

        var texts = new List<KeyValuePair<string, string>>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var language = reader.GetString()!;
            reader.Read();
            var text = reader.TokenType == JsonTokenType.String
                ? reader.GetString()!
                : throw new JsonException($"The text for language '{language}' must be a string.");
            texts.Add(new(language, text));
        }

        return new LanguageMap(texts);
    }

    public override void Write(Utf8JsonWriter writer, LanguageMap value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        foreach (var (language, text) in value)
        {
            writer.WriteString(language, text);
        }

        writer.WriteEndObject();
    }
}
