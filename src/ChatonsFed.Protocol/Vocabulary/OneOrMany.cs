using System.Collections;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace ChatonsFed.Protocol.Vocabulary;

/// <summary>
/// A JSON-LD property that may hold one value or an array of them. Reading accepts both forms;
/// writing keeps the form that was read, and writes a single value plainly unless asked otherwise.
/// Equality compares the values only, not the form.
/// </summary>
[CollectionBuilder(typeof(OneOrMany), nameof(OneOrMany.Create))]
public sealed class OneOrMany<T> : IReadOnlyList<T>, IEquatable<OneOrMany<T>>
{
    private readonly T[] items;

    public OneOrMany(T item)
    {
        items = [item];
    }

    public OneOrMany(IEnumerable<T> items, bool writeAsArray = true)
    {
        ArgumentNullException.ThrowIfNull(items);
        this.items = [.. items];
        WriteAsArray = writeAsArray || this.items.Length != 1;
    }

    /// <summary>Whether this value is written as a JSON array even when it holds one item.</summary>
    public bool WriteAsArray { get; }

    public int Count => items.Length;

    public T this[int index] => items[index];

    /// <summary>The first value, or the default when there is none.</summary>
    public T? First => items.Length > 0 ? items[0] : default;

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => items.GetEnumerator();

    public bool Equals(OneOrMany<T>? other) =>
        other is not null && items.AsSpan().SequenceEqual(other.items, EqualityComparer<T>.Default);

    public override bool Equals(object? obj) => Equals(obj as OneOrMany<T>);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => WriteAsArray ? $"[{string.Join(", ", items)}]" : $"{First}";
}

/// <summary>Builds <see cref="OneOrMany{T}"/> values, including from collection expressions.</summary>
public static class OneOrMany
{
    /// <summary>One item written plainly, several written as an array.</summary>
    public static OneOrMany<T> Create<T>(ReadOnlySpan<T> items) =>
        items.Length == 1 ? new OneOrMany<T>(items[0]) : new OneOrMany<T>(items.ToArray());

    /// <summary>Always written as an array, as Mastodon writes <c>to</c>, <c>cc</c>, <c>tag</c> and <c>attachment</c>.</summary>
    public static OneOrMany<T> Array<T>(params IEnumerable<T> items) => new(items, writeAsArray: true);
}

/// <summary>Reads one value or an array of values; writes back in the form that was read.</summary>
public sealed class OneOrManyConverter<T> : JsonConverter<OneOrMany<T>>
{
    public override OneOrMany<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var itemInfo = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return new OneOrMany<T>(ReadItem(ref reader, itemInfo));
        }

        var list = new List<T>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(ReadItem(ref reader, itemInfo));
        }

        return new OneOrMany<T>(list, writeAsArray: true);
    }

    public override void Write(Utf8JsonWriter writer, OneOrMany<T> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        var itemInfo = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        if (!value.WriteAsArray && value.Count == 1)
        {
            JsonSerializer.Serialize(writer, value[0], itemInfo);
            return;
        }

        writer.WriteStartArray();
        foreach (var item in value)
        {
            JsonSerializer.Serialize(writer, item, itemInfo);
        }

        writer.WriteEndArray();
    }

    private static T ReadItem(ref Utf8JsonReader reader, JsonTypeInfo<T> itemInfo) =>
        JsonSerializer.Deserialize(ref reader, itemInfo)
        ?? throw new JsonException($"A null item is not allowed in a list of {typeof(T).Name}.");
}
