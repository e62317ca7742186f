using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatonsFed.Protocol.Vocabulary;

/// <summary>
/// A property value that is either an id (a URL string) or an embedded node, as ActivityStreams allows
/// wherever an object or link may stand. <see cref="Id"/> is known in both cases (a link's <c>href</c>
/// when the embedded node is a <see cref="Link"/> without an id).
/// </summary>
public sealed class Reference<T> : IEquatable<Reference<T>>
    where T : JsonLdNode
{
    private readonly string? id;

    /// <summary>A reference by id only.</summary>
    public Reference(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        this.id = id;
    }

    /// <summary>An embedded node.</summary>
    public Reference(T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Value = value;
    }

    /// <summary>The id of the referenced node, or <c>null</c> for an embedded node without id or href.</summary>
    public string? Id => id ?? Value?.Id ?? (Value as Link)?.Href;

    /// <summary>The embedded node, or <c>null</c> when only the id was given.</summary>
    public T? Value { get; }

    /// <summary>Whether the node is embedded rather than given by id.</summary>
    public bool IsEmbedded => Value is not null;

    public bool Equals(Reference<T>? other) =>
        other is not null && id == other.id && Equals(Value, other.Value);

    public override bool Equals(object? obj) => Equals(obj as Reference<T>);

    public override int GetHashCode() => HashCode.Combine(id, Value);

    public override string ToString() => Id ?? Value?.ToString() ?? string.Empty;
}

/// <summary>Reads an id string or an embedded node (chosen by its <c>type</c>); writes back the same form.</summary>
public sealed class ReferenceConverter<T> : JsonConverter<Reference<T>>
    where T : JsonLdNode
{
    public override Reference<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            var id = reader.GetString();
            return string.IsNullOrEmpty(id)
                ? throw new JsonException($"An empty string is not an id of a {typeof(T).Name}.")
                : new Reference<T>(id);
        }

        return new Reference<T>(NodeReader.Read<T>(ref reader, options));
    }

    public override void Write(Utf8JsonWriter writer, Reference<T> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        if (value.Value is { } node)
        {
            JsonSerializer.Serialize(writer, node, options.GetTypeInfo(node.GetType()));
        }
        else
        {
            writer.WriteStringValue(value.Id);
        }
    }
}
