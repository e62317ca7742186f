using System.Diagnostics.CodeAnalysis;

namespace ChatonsFed.Protocol.Keys;

/// <summary>A decoded Multikey value: its multicodec key type and the key bytes that follow the header.</summary>
public readonly record struct DecodedMultikey(ulong Codec, byte[] KeyMaterial)
{
    public string CodecName => Multicodec.NameOf(Codec);
}

/// <summary>Multikey encoding (W3C Controlled Identifiers): 'z' + base58btc(varint(multicodec) || key bytes).</summary>
public static class Multikey
{
    /// <summary>Longer values are refused before decoding; an RSA 8192 public key takes about 1,400 characters.</summary>
    public const int MaxEncodedLength = 2048;

    public static string Encode(ulong codec, ReadOnlySpan<byte> keyMaterial)
    {
        var buffer = new byte[Multicodec.MaxVarintLength + keyMaterial.Length];
        var header = Multicodec.WriteVarint(codec, buffer);
        keyMaterial.CopyTo(buffer.AsSpan(header));
        return Multibase.EncodeBase58Btc(buffer.AsSpan(0, header + keyMaterial.Length));
    }

    public static DecodedMultikey Decode(string value)
    {
        if (!TryDecode(value, out var key, out var error))
        {
            throw new ProtocolFormatException(error);
        }

        return key;
    }

    public static bool TryDecode([NotNullWhen(true)] string? value, out DecodedMultikey key, [NotNullWhen(false)] out string? error)
    {
        key = default;
        if (value is null)
        {
            error = "the Multikey value is missing";
            return false;
        }

        if (value.Length > MaxEncodedLength)
        {
            error = $"the Multikey value is {value.Length} characters long, more than the {MaxEncodedLength} accepted";
            return false;
        }

        if (!Multibase.TryDecode(value, out var bytes, out error))
        {
            return false;
        }

        if (!Multicodec.TryReadVarint(bytes, out var codec, out var headerLength, out error))
        {
            return false;
        }

        var material = bytes.AsSpan(headerLength);
        var expectedLength = codec is Multicodec.Ed25519Public or Multicodec.Ed25519Private ? 32 : -1;
        if (expectedLength > 0 && material.Length != expectedLength)
        {
            error = $"a {Multicodec.NameOf(codec)} key is {expectedLength} bytes, this one is {material.Length}";
            return false;
        }

        if (material.IsEmpty)
        {
            error = $"the {Multicodec.NameOf(codec)} Multikey has a header but no key bytes";
            return false;
        }

        key = new DecodedMultikey(codec, material.ToArray());
        return true;
    }

    /// <summary>Decodes a value that must be of the given key type.</summary>
    public static bool TryDecode([NotNullWhen(true)] string? value, ulong expectedCodec, [NotNullWhen(true)] out byte[]? keyMaterial, [NotNullWhen(false)] out string? error)
    {
        keyMaterial = null;
        if (!TryDecode(value, out var key, out error))
        {
            return false;
        }

        if (key.Codec != expectedCodec)
        {
            error = $"the Multikey holds a {key.CodecName} key where a {Multicodec.NameOf(expectedCodec)} key is expected";
            return false;
        }

        keyMaterial = key.KeyMaterial;
        return true;
    }
}
