using System.Collections;
using System.Text;

namespace ChatonsFed.Protocol.HttpSignatures;

/// <summary>
/// The header fields of an HTTP message in the order they were received. Names compare case-insensitively;
/// a name may occur several times and each occurrence keeps its own value.
/// </summary>
public sealed class HeaderFields : IEnumerable<KeyValuePair<string, string>>
{
    private readonly List<KeyValuePair<string, string>> _fields = [];

    public HeaderFields()
    {
    }

    public HeaderFields(IEnumerable<KeyValuePair<string, string>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        foreach (var field in fields)
        {
            Add(field.Key, field.Value);
        }
    }

    public int Count => _fields.Count;

    /// <summary>Appends one occurrence of a field (after any earlier occurrences of the same name).</summary>
    public void Add(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        _fields.Add(new(name, value));
    }

    /// <summary>Removes every occurrence of <paramref name="name"/> and adds one with <paramref name="value"/>.</summary>
    public void Set(string name, string value)
    {
        Remove(name);
        Add(name, value);
    }

    /// <summary>Removes every occurrence of <paramref name="name"/>; returns how many were removed.</summary>
    public int Remove(string name) =>
        _fields.RemoveAll(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase));

    public bool Contains(string name)
    {
        foreach (var field in _fields)
        {
            if (string.Equals(field.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The raw values of every occurrence of <paramref name="name"/>, in order.</summary>
    public IReadOnlyList<string> GetValues(string name)
    {
        List<string>? values = null;
        foreach (var field in _fields)
        {
            if (string.Equals(field.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                (values ??= []).Add(field.Value);
            }
        }

        return values ?? (IReadOnlyList<string>)[];
    }

    /// <summary>
    /// The field's value as HTTP signatures see it: each occurrence trimmed of surrounding whitespace, line folds
    /// replaced by one space, occurrences joined with ", ". Null when the field is absent.
    /// </summary>
    public string? GetCombinedValue(string name)
    {
        string? single = null;
        StringBuilder? builder = null;
        foreach (var field in _fields)
        {
            if (!string.Equals(field.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var value = Canonicalize(field.Value);
            if (single is null)
            {
                single = value;
            }
            else
            {
                builder ??= new StringBuilder(single);
                builder.Append(", ").Append(value);
            }
        }

        return builder?.ToString() ?? single;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Trims optional whitespace and replaces obsolete line folding (OWS CRLF RWS) by a single space.</summary>
    internal static string Canonicalize(string value)
    {
        var trimmed = value.AsSpan().Trim(" \t\r\n");
        if (trimmed.IndexOfAny('\r', '\n') < 0)
        {
            return trimmed.Length == value.Length ? value : trimmed.ToString();
        }

        var builder = new StringBuilder(trimmed.Length);
        var i = 0;
        while (i < trimmed.Length)
        {
            var c = trimmed[i];
            if (c is '\r' or '\n')
            {
                while (builder.Length > 0 && builder[^1] is ' ' or '\t')
                {
                    builder.Length--;
                }

                while (i < trimmed.Length && trimmed[i] is ' ' or '\t' or '\r' or '\n')
                {
                    i++;
                }

                builder.Append(' ');
                continue;
            }

            builder.Append(c);
            i++;
        }

        return builder.ToString();
    }
}
