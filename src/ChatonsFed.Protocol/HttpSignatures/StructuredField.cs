using System.Diagnostics.CodeAnalysis;

namespace ChatonsFed.Protocol.HttpSignatures;

// The names of RFC 8941's item types (Integer, Decimal, String...) are the protocol's own words.
#pragma warning disable CA1720

/// <summary>The type of an RFC 8941 bare item.</summary>
public enum BareItemKind
{
    Integer,
    Decimal,
    String,
    Token,
    ByteSequence,
    Boolean,
}

/// <summary>An RFC 8941 bare item: integer, decimal, string, token, byte sequence or boolean.</summary>
public readonly struct BareItem : IEquatable<BareItem>
{
    private readonly long _integer;
    private readonly decimal _decimal;
    private readonly string? _text;
    private readonly byte[]? _bytes;

    private BareItem(BareItemKind kind, long integer = 0, decimal number = 0, string? text = null, byte[]? bytes = null)
    {
        Kind = kind;
        _integer = integer;
        _decimal = number;
        _text = text;
        _bytes = bytes;
    }

    public BareItemKind Kind { get; }

    public static BareItem Integer(long value) => new(BareItemKind.Integer, integer: value);

    public static BareItem Decimal(decimal value) => new(BareItemKind.Decimal, number: value);

    public static BareItem String(string value) => new(BareItemKind.String, text: value ?? throw new ArgumentNullException(nameof(value)));

    public static BareItem Token(string value) => new(BareItemKind.Token, text: value ?? throw new ArgumentNullException(nameof(value)));

    public static BareItem ByteSequence(byte[] value) => new(BareItemKind.ByteSequence, bytes: value ?? throw new ArgumentNullException(nameof(value)));

    public static BareItem Boolean(bool value) => new(BareItemKind.Boolean, integer: value ? 1 : 0);
#pragma warning restore CA1720

    public long AsInteger => Kind == BareItemKind.Integer ? _integer : throw WrongKind(BareItemKind.Integer);

    public decimal AsDecimal => Kind == BareItemKind.Decimal ? _decimal : throw WrongKind(BareItemKind.Decimal);

    /// <summary>The text of a string or token.</summary>
    public string AsText => Kind is BareItemKind.String or BareItemKind.Token ? _text! : throw WrongKind(BareItemKind.String);

    public ReadOnlyMemory<byte> AsBytes => Kind == BareItemKind.ByteSequence ? _bytes : throw WrongKind(BareItemKind.ByteSequence);

    public bool AsBoolean => Kind == BareItemKind.Boolean ? _integer != 0 : throw WrongKind(BareItemKind.Boolean);

    public bool TryGetString([NotNullWhen(true)] out string? value)
    {
        value = Kind == BareItemKind.String ? _text : null;
        return value is not null;
    }

    public bool TryGetInteger(out long value)
    {
        value = _integer;
        return Kind == BareItemKind.Integer;
    }

    public bool Equals(BareItem other) =>
        Kind == other.Kind && Kind switch
        {
            BareItemKind.Integer or BareItemKind.Boolean => _integer == other._integer,
            BareItemKind.Decimal => _decimal == other._decimal,
            BareItemKind.String or BareItemKind.Token => string.Equals(_text, other._text, StringComparison.Ordinal),
            BareItemKind.ByteSequence => _bytes.AsSpan().SequenceEqual(other._bytes),
            _ => false,
        };

    public override bool Equals(object? obj) => obj is BareItem other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Kind, _integer, _decimal, _text, _bytes?.Length);

    public override string ToString() => StructuredFieldSerializer.Serialize(this);

    public static bool operator ==(BareItem left, BareItem right) => left.Equals(right);

    public static bool operator !=(BareItem left, BareItem right) => !left.Equals(right);

    private InvalidOperationException WrongKind(BareItemKind wanted) => new($"the item is a {Kind}, not a {wanted}");
}

/// <summary>The ordered parameters (<c>;key=value</c>) of an item or inner list.</summary>
public sealed class StructuredParameters : IReadOnlyList<KeyValuePair<string, BareItem>>
{
    private readonly List<KeyValuePair<string, BareItem>> _entries = [];

    public int Count => _entries.Count;

    public KeyValuePair<string, BareItem> this[int index] => _entries[index];

    /// <summary>Sets a parameter; an existing key keeps its position and takes the new value (RFC 8941 4.2.3.2).</summary>
    public StructuredParameters Set(string key, BareItem value)
    {
        for (var i = 0; i < _entries.Count; i++)
        {
            if (_entries[i].Key == key)
            {
                _entries[i] = new(key, value);
                return this;
            }
        }

        _entries.Add(new(key, value));
        return this;
    }

    public bool TryGetValue(string key, out BareItem value)
    {
        foreach (var entry in _entries)
        {
            if (entry.Key == key)
            {
                value = entry.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public IEnumerator<KeyValuePair<string, BareItem>> GetEnumerator() => _entries.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>A member of an RFC 8941 list or dictionary: an <see cref="StructuredItem"/> or an <see cref="InnerList"/>.</summary>
public abstract class StructuredMember
{
    private protected StructuredMember(StructuredParameters parameters) => Parameters = parameters;

    public StructuredParameters Parameters { get; }

    public override string ToString() => StructuredFieldSerializer.Serialize(this);
}

/// <summary>An RFC 8941 item: a bare item with parameters.</summary>
public sealed class StructuredItem : StructuredMember
{
    public StructuredItem(BareItem value, StructuredParameters? parameters = null)
        : base(parameters ?? new StructuredParameters()) => Value = value;

    public BareItem Value { get; }
}

/// <summary>An RFC 8941 inner list: parenthesised items with parameters of its own.</summary>
public sealed class InnerList : StructuredMember
{
    public InnerList(IReadOnlyList<StructuredItem> items, StructuredParameters? parameters = null)
        : base(parameters ?? new StructuredParameters()) => Items = items;

    public IReadOnlyList<StructuredItem> Items { get; }
}

/// <summary>An RFC 8941 dictionary: ordered members keyed by name.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "RFC 8941 calls this structure a Dictionary.")]
public sealed class StructuredDictionary : IReadOnlyList<KeyValuePair<string, StructuredMember>>
{
    private readonly List<KeyValuePair<string, StructuredMember>> _entries = [];

    public int Count => _entries.Count;

    public KeyValuePair<string, StructuredMember> this[int index] => _entries[index];

    /// <summary>Sets a member; an existing key keeps its position and takes the new value (RFC 8941 4.2.2).</summary>
    public StructuredDictionary Set(string key, StructuredMember value)
    {
        for (var i = 0; i < _entries.Count; i++)
        {
            if (_entries[i].Key == key)
            {
                _entries[i] = new(key, value);
                return this;
            }
        }

        _entries.Add(new(key, value));
        return this;
    }

    public bool TryGetValue(string key, [NotNullWhen(true)] out StructuredMember? value)
    {
        foreach (var entry in _entries)
        {
            if (entry.Key == key)
            {
                value = entry.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, StructuredMember>> GetEnumerator() => _entries.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => StructuredFieldSerializer.Serialize(this);
}
