using System.Diagnostics.CodeAnalysis;

namespace ChatonsFed.Protocol.Keys;

/// <summary>Multibase strings; only base58btc (prefix 'z') is accepted, as the Multikey and Data Integrity specs require.</summary>
public static class Multibase
{
    public const char Base58BtcPrefix = 'z';

    public static string EncodeBase58Btc(ReadOnlySpan<byte> data)
    {
        var max = Base58Btc.GetMaxEncodedLength(data.Length) + 1;
        var buffer = max <= 1024 ? stackalloc char[max] : new char[max];
        buffer[0] = Base58BtcPrefix;
        var written = Base58Btc.Encode(data, buffer[1..]);
        return new string(buffer[..(written + 1)]);
    }

    public static byte[] Decode(string value)
    {
        if (!TryDecode(value, out var bytes, out var error))
        {
            throw new ProtocolFormatException(error);
        }

        return bytes;
    }

    public static bool TryDecode([NotNullWhen(true)] string? value, [NotNullWhen(true)] out byte[]? bytes, [NotNullWhen(false)] out string? error)
    {
        bytes = null;
        if (!TryCheckPrefix(value, out error))
        {
            return false;
        }

        if (!Base58Btc.TryDecode(value.AsSpan(1), out bytes, out var reason, 1))
        {
            error = $"bad multibase value: {reason}";
            return false;
        }

        return true;
    }

    /// <summary>Decodes into <paramref name="destination"/> without allocating.</summary>
    public static bool TryDecode(ReadOnlySpan<char> value, Span<byte> destination, out int written, [NotNullWhen(false)] out string? error)
    {
        written = 0;
        if (!TryCheckPrefix(value, out error))
        {
            return false;
        }

        if (!Base58Btc.TryDecode(value[1..], destination, out written, out var reason, 1))
        {
            error = $"bad multibase value: {reason}";
            return false;
        }

        return true;
    }

    private static bool TryCheckPrefix(ReadOnlySpan<char> value, [NotNullWhen(false)] out string? error)
    {
        if (value.IsEmpty)
        {
            error = "the multibase value is empty";
            return false;
        }

        if (value[0] != Base58BtcPrefix)
        {
            error = $"the multibase prefix is '{value[0]}' ({NameOf(value[0])}); only 'z' (base58btc) is accepted";
            return false;
        }

        if (value.Length == 1)
        {
            error = "the multibase value has a prefix but no data";
            return false;
        }

        error = null;
        return true;
    }

    private static string NameOf(char prefix) => prefix switch
    {
        'f' or 'F' => "base16",
        'b' or 'B' => "base32",
        'c' or 'C' => "base32pad",
        'k' or 'K' => "base36",
        'Z' => "base58flickr",
        'm' => "base64",
        'M' => "base64pad",
        'u' => "base64url",
        'U' => "base64urlpad",
        '0' => "base2",
        '7' => "base8",
        '9' => "base10",
        _ => "not a known multibase prefix",
    };
}
