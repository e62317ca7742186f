using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.IO.Compression;
using System.Numerics;
using System.Runtime.InteropServices;

namespace ChatonsFed.Protocol.Membership;

/// <summary>
/// A revocation bitstring (spec/membership.md §3): index i is bit <c>0x80 &gt;&gt; (i % 8)</c> of byte <c>i / 8</c>.
/// Encoded as <c>u</c> + base64url (no padding) of its GZIP form; decoding accepts 16 KiB to 2 MiB once
/// gunzipped and stops inflating as soon as the output would pass 2 MiB.
/// </summary>
public sealed class StatusListBits
{
    /// <summary>131,072 bits: 16 KiB.</summary>
    public const int DefaultBits = 131072;

    /// <summary>The smallest bitstring accepted, in bytes (16 KiB).</summary>
    public const int MinBytes = 16 * 1024;

    /// <summary>The largest bitstring accepted, in bytes (2 MiB).</summary>
    public const int MaxBytes = 2 * 1024 * 1024;

    public const char MultibasePrefix = 'u';

    private readonly byte[] _bytes;

    private StatusListBits(byte[] bytes) => _bytes = bytes;

    /// <summary>The number of entries (bits).</summary>
    public int Length => _bytes.Length * 8;

    /// <summary>A list with every bit clear; <paramref name="bits"/> is a positive multiple of 8.</summary>
    public static StatusListBits CreateEmpty(int bits = DefaultBits)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bits);
        if (bits % 8 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "a bitstring holds whole bytes");
        }

        return new StatusListBits(new byte[bits / 8]);
    }

    /// <summary>0 &lt;= <paramref name="index"/> &lt; <see cref="Length"/>.</summary>
    public bool Contains(int index) => index >= 0 && index / 8 < _bytes.Length;

    /// <summary>Whether the bit of <paramref name="index"/> is set; check <see cref="Contains"/> first.</summary>
    public bool IsSet(int index)
    {
        CheckIndex(index);
        return (_bytes[index / 8] & (0x80 >> (index % 8))) != 0;
    }

    public void Set(int index)
    {
        CheckIndex(index);
        _bytes[index / 8] |= (byte)(0x80 >> (index % 8));
    }

    public int CountSet()
    {
        var count = 0;
        var span = _bytes.AsSpan();
        var words = MemoryMarshal.Cast<byte, ulong>(span);
        foreach (var word in words)
        {
            count += BitOperations.PopCount(word);
        }

        for (var i = words.Length * sizeof(ulong); i < span.Length; i++)
        {
            count += BitOperations.PopCount(span[i]);
        }

        return count;
    }

    /// <summary>A new list holding the bits set in either; as long as the longer one.</summary>
    public StatusListBits Union(StatusListBits other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var (longer, shorter) = _bytes.Length >= other._bytes.Length ? (_bytes, other._bytes) : (other._bytes, _bytes);
        var result = (byte[])longer.Clone();
        for (var i = 0; i < shorter.Length; i++)
        {
            result[i] |= shorter[i];
        }

        return new StatusListBits(result);
    }

    /// <summary><c>u</c> + base64url (no padding) of the GZIP-compressed bytes.</summary>
    public string Encode()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(_bytes);
        }

        return MultibasePrefix + Base64Url.EncodeToString(compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
    }

    /// <summary>Decodes an <c>encodedList</c>; false with a reason when it is not <c>u</c> + base64url of a GZIP stream of 16 KiB to 2 MiB.</summary>
    public static bool TryDecode(string encodedList, [NotNullWhen(true)] out StatusListBits? bits, [NotNullWhen(false)] out string? error)
    {
        bits = null;
        if (string.IsNullOrEmpty(encodedList) || encodedList[0] != MultibasePrefix)
        {
            error = "the encodedList does not start with the multibase prefix 'u' (base64url)";
            return false;
        }

        var text = encodedList.AsSpan(1);
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(text[i]) && text[i] is not ('-' or '_'))
            {
                error = $"the encodedList holds '{text[i]}' at {i + 1}, outside the base64url alphabet without padding";
                return false;
            }
        }

        byte[] compressed;
        try
        {
            compressed = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            error = "the encodedList is not valid base64url";
            return false;
        }

        return TryGunzip(compressed, out bits, out error);
    }

    /// <summary>The raw bitstring, for storage.</summary>
    public byte[] ToArray() => (byte[])_bytes.Clone();

    /// <summary>A list over a copy of raw bitstring bytes read back from storage.</summary>
    public static StatusListBits FromArray(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0)
        {
            throw new ArgumentException("a bitstring holds at least one byte", nameof(bytes));
        }

        return new StatusListBits((byte[])bytes.Clone());
    }

    private static bool TryGunzip(byte[] compressed, [NotNullWhen(true)] out StatusListBits? bits, [NotNullWhen(false)] out string? error)
    {
        bits = null;
        var output = ArrayPool<byte>.Shared.Rent(MaxBytes + 1);
        var total = 0;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(compressed, writable: false), CompressionMode.Decompress);
            while (total <= MaxBytes)
            {
                var read = gzip.Read(output, total, MaxBytes + 1 - total);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }
        }
        catch (InvalidDataException e)
        {
            ArrayPool<byte>.Shared.Return(output);
            error = $"the encodedList is not GZIP data: {e.Message}";
            return false;
        }

        try
        {
            if (total > MaxBytes)
            {
                error = $"the encodedList inflates past {MaxBytes} bytes";
                return false;
            }

            if (total < MinBytes)
            {
                error = $"the encodedList inflates to {total} bytes, under the {MinBytes} required";
                return false;
            }

            bits = new StatusListBits(output.AsSpan(0, total).ToArray());
            error = null;
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    private void CheckIndex(int index)
    {
        if (!Contains(index))
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"the list holds {Length} entries");
        }
    }
}
