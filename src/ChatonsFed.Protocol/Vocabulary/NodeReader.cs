using System.Text.Json;

namespace ChatonsFed.Protocol.Vocabulary;

/// <summary>Reads an embedded node into the .NET type its <c>type</c> names, looking ahead without a second parse.</summary>
internal static class NodeReader
{
    public static T Read<T>(ref Utf8JsonReader reader, JsonSerializerOptions options)
        where T : JsonLdNode
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Expected an object or an id string for a {typeof(T).Name}, found {reader.TokenType}.");
        }

        var (typeNames, hasHref, hasId) = Peek(reader);
        var target = VocabularyTypes.ResolveFor(typeof(T), typeNames, looksLikeLink: hasHref && !hasId);
        var node = JsonSerializer.Deserialize(ref reader, options.GetTypeInfo(target));
        return (T)(node ?? throw new JsonException($"Expected a {typeof(T).Name}, found null."));
    }

    // The reader is a struct: this copy scans the object while the caller's reader stays at its start.
    private static (List<string>? TypeNames, bool HasHref, bool HasId) Peek(Utf8JsonReader reader)
    {
        List<string>? typeNames = null;
        bool hasHref = false, hasId = false;
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.ValueTextEquals("type"u8) || reader.ValueTextEquals("@type"u8))
            {
                reader.Read();
                typeNames = ReadTypeNames(ref reader);
            }
            else
            {
                hasHref |= reader.ValueTextEquals("href"u8);
                hasId |= reader.ValueTextEquals("id"u8) || reader.ValueTextEquals("@id"u8);
                reader.Read();
                reader.Skip();
            }
        }

        return (typeNames, hasHref, hasId);
    }

    private static List<string> ReadTypeNames(ref Utf8JsonReader reader)
    {
        var names = new List<string>();
        if (reader.TokenType == JsonTokenType.String)
        {
            names.Add(reader.GetString()!);
        }
        else if (reader.TokenType == JsonTokenType.StartArray)
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.String)
                {
                    names.Add(reader.GetString()!);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        else
        {
            reader.Skip();
        }

        return names;
    }
}
