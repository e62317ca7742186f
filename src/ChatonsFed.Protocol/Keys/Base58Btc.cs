using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace ChatonsFed.Protocol.Keys;

/// <summary>Base58 with the Bitcoin alphabet, as multibase prefix 'z' uses it. Leading zero bytes become '1'.</summary>
public static class Base58Btc
{
    public const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    // Work in limbs of five base-58 digits (58^5 < 2^30), so each step divides a 64-bit number.
    private const uint LimbBase = 58 * 58 * 58 * 58 * 58;
    private const int DigitsPerLimb = 5;

    private static readonly sbyte[] DigitValues = BuildDigitValues();

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var maxChars = GetMaxEncodedLength(data.Length);
        char[]? rented = null;
        var chars = maxChars <= 512 ? stackalloc char[maxChars] : (rented = ArrayPool<char>.Shared.Rent(maxChars));
        try
        {
            var written = Encode(data, chars);
            return new string(chars[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>An upper bound on the characters needed for <paramref name="byteCount"/> bytes.</summary>
    public static int GetMaxEncodedLength(int byteCount) => checked((byteCount * 138 / 100) + 1 + DigitsPerLimb);

    /// <summary>Encodes into <paramref name="destination"/> (at least <see cref="GetMaxEncodedLength"/> long) and returns the length.</summary>
    public static int Encode(ReadOnlySpan<byte> data, Span<char> destination)
    {
        var zeros = 0;
        while (zeros < data.Length && data[zeros] == 0)
        {
            zeros++;
        }

        var rest = data[zeros..];
        var limbCapacity = (rest.Length * 8 / 29) + 2;
        uint[]? rented = null;
        var limbs = limbCapacity <= 128 ? stackalloc uint[limbCapacity] : (rented = ArrayPool<uint>.Shared.Rent(limbCapacity));
        try
        {
            // limbs[0] is the least significant; feed the input 32 bits at a time, the odd bytes first.
            var used = 0;
            var offset = 0;
            var chunk = rest.Length % 4 == 0 ? 4 : rest.Length % 4;
            while (offset < rest.Length)
            {
                ulong carry = 0;
                for (var i = 0; i < chunk; i++)
                {
                    carry = (carry << 8) | rest[offset + i];
                }

                var shift = chunk * 8;
                for (var j = 0; j < used; j++)
                {
                    var t = ((ulong)limbs[j] << shift) + carry;
                    limbs[j] = (uint)(t % LimbBase);
                    carry = t / LimbBase;
                }

                while (carry > 0)
                {
                    limbs[used++] = (uint)(carry % LimbBase);
                    carry /= LimbBase;
                }

                offset += chunk;
                chunk = 4;
            }

            var o = 0;
            for (var i = 0; i < zeros; i++)
            {
                destination[o++] = '1';
            }

            Span<char> five = stackalloc char[DigitsPerLimb];

            for (var j = used - 1; j >= 0; j--)
            {
                var limb = limbs[j];
                for (var d = DigitsPerLimb - 1; d >= 0; d--)
                {
                    five[d] = Alphabet[(int)(limb % 58)];
                    limb /= 58;
                }

                // The most significant limb carries no leading zero digits.
                var start = 0;
                if (j == used - 1)
                {
                    while (start < DigitsPerLimb - 1 && five[start] == '1')
                    {
                        start++;
                    }
                }

                five[start..].CopyTo(destination[o..]);
                o += DigitsPerLimb - start;
            }

            return o;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<uint>.Shared.Return(rented);
            }
        }
    }

    public static byte[] Decode(ReadOnlySpan<char> text)
    {
        if (!TryDecode(text, out var bytes, out var error))
        {
            throw new ProtocolFormatException(error);
        }

        return bytes;
    }

    public static bool TryDecode(ReadOnlySpan<char> text, [NotNullWhen(true)] out byte[]? bytes, [NotNullWhen(false)] out string? error) =>
        TryDecode(text, out bytes, out error, 0);

    internal static bool TryDecode(ReadOnlySpan<char> text, [NotNullWhen(true)] out byte[]? bytes, [NotNullWhen(false)] out string? error, int positionOffset)
    {
        var max = GetMaxDecodedLength(text.Length);
        byte[]? rented = null;
        var buffer = max <= 512 ? stackalloc byte[max] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            if (!TryDecode(text, buffer, out var written, out error, positionOffset))
            {
                bytes = null;
                return false;
            }

            bytes = buffer[..written].ToArray();
            return true;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>An upper bound on the bytes <paramref name="charCount"/> characters decode to.</summary>
    public static int GetMaxDecodedLength(int charCount) => checked((charCount * 3 / 4) + 4);

    /// <summary>Decodes into <paramref name="destination"/> without allocating; false with a reason on a bad character or a too small destination.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination, out int written, [NotNullWhen(false)] out string? error) =>
        TryDecode(text, destination, out written, out error, 0);

    /// <summary>As the public overload; <paramref name="positionOffset"/> shifts positions in error messages (for a prefix before the text).</summary>
    internal static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination, out int written, [NotNullWhen(false)] out string? error, int positionOffset)
    {
        written = 0;
        var zeros = 0;
        while (zeros < text.Length && text[zeros] == '1')
        {
            zeros++;
        }

        var rest = text[zeros..];
        var wordCapacity = (rest.Length * 6 / 32) + 2;
        uint[]? rented = null;
        var words = wordCapacity <= 128 ? stackalloc uint[wordCapacity] : (rented = ArrayPool<uint>.Shared.Rent(wordCapacity));
        try
        {
            // words[0] is the least significant 32 bits; feed five digits at a time.
            var used = 0;
            var offset = 0;
            while (offset < rest.Length)
            {
                var count = Math.Min(DigitsPerLimb, rest.Length - offset);
                ulong value = 0;
                ulong multiplier = 1;
                for (var i = 0; i < count; i++)
                {
                    var c = rest[offset + i];
                    var digit = c < 128 ? DigitValues[c] : -1;
                    if (digit < 0)
                    {
                        error = $"'{c}' at position {positionOffset + zeros + offset + i} is not a base58btc character (0, O, I and l are excluded)";
                        return false;
                    }

                    value = (value * 58) + (ulong)digit;
                    multiplier *= 58;
                }

                var carry = value;
                for (var j = 0; j < used; j++)
                {
                    var t = (words[j] * multiplier) + carry;
                    words[j] = (uint)t;
                    carry = t >> 32;
                }

                while (carry > 0)
                {
                    words[used++] = (uint)carry;
                    carry >>= 32;
                }

                offset += count;
            }

            var significant = used * 4;
            if (used > 0)
            {
                var top = words[used - 1];
                significant -= top >= 1u << 24 ? 0 : top >= 1u << 16 ? 1 : top >= 1u << 8 ? 2 : 3;
            }

            var total = zeros + significant;
            if (total > destination.Length)
            {
                error = $"the decoded value needs {total} bytes but only {destination.Length} fit";
                return false;
            }

            destination[..zeros].Clear();
            var o = total;
            for (var j = 0; j < used; j++)
            {
                var w = words[j];
                for (var b = 0; b < 4 && o > zeros; b++)
                {
                    destination[--o] = (byte)w;
                    w >>= 8;
                }
            }

            written = total;
            error = null;
            return true;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<uint>.Shared.Return(rented);
            }
        }
    }

    private static sbyte[] BuildDigitValues()
    {
        var values = new sbyte[128];
        Array.Fill(values, (sbyte)-1);
        for (var i = 0; i < Alphabet.Length; i++)
        {
            values[Alphabet[i]] = (sbyte)i;
        }

        return values;
    }
}
