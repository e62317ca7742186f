using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace ChatonsFed.Protocol.HttpSignatures;

/// <summary>The <c>@query-param</c> component: form-decoded query parameters, re-encoded as RFC 9421 section 2.2.8 says.</summary>
internal static class QueryParameters
{
    public static bool TryGetSignatureValue(string? query, StructuredParameters parameters, [NotNullWhen(true)] out string? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        if (!parameters.TryGetValue("name", out var nameItem) || !nameItem.TryGetString(out var wanted))
        {
            error = "@query-param needs a string 'name' parameter";
            return false;
        }

        // The name parameter holds the encoded name; normalise it the same way as the names in the query.
        var wantedEncoded = Encode(Decode(wanted.AsSpan()));
        string? found = null;
        if (query is not null)
        {
            foreach (var range in query.AsSpan().Split('&'))
            {
                var pair = query.AsSpan()[range];
                if (pair.IsEmpty)
                {
                    continue;
                }

                var equals = pair.IndexOf('=');
                var rawName = equals >= 0 ? pair[..equals] : pair;
                var rawValue = equals >= 0 ? pair[(equals + 1)..] : [];
                if (Encode(Decode(rawName)) != wantedEncoded)
                {
                    continue;
                }

                if (found is not null)
                {
                    error = $"query parameter '{wanted}' occurs more than once, so @query-param cannot cover it";
                    return false;
                }

                found = Encode(Decode(rawValue));
            }
        }

        if (found is null)
        {
            error = $"query parameter '{wanted}' is not present";
            return false;
        }

        value = found;
        error = null;
        return true;
    }

    /// <summary>application/x-www-form-urlencoded decoding: '+' is a space, %XX is a byte, bytes are UTF-8.</summary>
    private static string Decode(ReadOnlySpan<char> text)
    {
        var bytes = new List<byte>(text.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '+')
            {
                bytes.Add((byte)' ');
            }
            else if (c == '%' && i + 2 < text.Length && IsHex(text[i + 1]) && IsHex(text[i + 2]))
            {
                bytes.Add((byte)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2])));
                i += 2;
            }
            else if (c < 0x80)
            {
                bytes.Add((byte)c);
            }
            else
            {
                var n = Encoding.UTF8.GetBytes(text.Slice(i, char.IsHighSurrogate(c) && i + 1 < text.Length ? 2 : 1), utf8);
                for (var k = 0; k < n; k++)
                {
                    bytes.Add(utf8[k]);
                }

                if (n == 4)
                {
                    i++;
                }
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>Percent-encodes every byte outside ASCII letters, digits and <c>*-._</c> (a space becomes %20).</summary>
    private static string Encode(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '*' or '-' or '.' or '_')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append("0123456789ABCDEF"[b >> 4]).Append("0123456789ABCDEF"[b & 0xF]);
            }
        }

        return builder.ToString();
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
