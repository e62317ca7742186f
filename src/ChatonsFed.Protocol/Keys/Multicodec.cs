using System.Diagnostics.CodeAnalysis;

namespace ChatonsFed.Protocol.Keys;

/// <summary>Multicodec key type codes and their unsigned-varint headers.</summary>
public static class Multicodec
{
    /// <summary>ed25519-pub, header ed 01.</summary>
    public const ulong Ed25519Public = 0xed;

    /// <summary>ed25519-priv (a 32-byte seed), header 80 26.</summary>
    public const ulong Ed25519Private = 0x1300;

    /// <summary>rsa-pub (a PKCS#1 DER RSAPublicKey), header 85 24.</summary>
    public const ulong RsaPublic = 0x1205;

    /// <summary>The multicodec table caps varints at nine bytes (63 bits).</summary>
    public const int MaxVarintLength = 9;

    public static string NameOf(ulong code) => code switch
    {
        Ed25519Public => "ed25519-pub",
        Ed25519Private => "ed25519-priv",
        RsaPublic => "rsa-pub",
        0x1200 => "p256-pub",
        0x1201 => "p384-pub",
        0xe7 => "secp256k1-pub",
        0xeb => "bls12_381-g2-pub",
        0xec => "x25519-pub",
        0x1306 => "p256-priv",
        0x1307 => "p384-priv",
        _ => $"0x{code:x}",
    };

    /// <summary>Writes <paramref name="code"/> as an unsigned varint and returns the number of bytes.</summary>
    public static int WriteVarint(ulong code, Span<byte> destination)
    {
        var i = 0;
        while (code >= 0x80)
        {
            destination[i++] = (byte)(code | 0x80);
            code >>= 7;
        }

        destination[i++] = (byte)code;
        return i;
    }

    /// <summary>Reads a minimally encoded unsigned varint from the start of <paramref name="data"/>.</summary>
    public static bool TryReadVarint(ReadOnlySpan<byte> data, out ulong code, out int length, [NotNullWhen(false)] out string? error)
    {
        code = 0;
        length = 0;
        for (var i = 0; i < data.Length && i < MaxVarintLength; i++)
        {
            var b = data[i];
            code |= (ulong)(b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (b == 0 && i > 0)
                {
                    error = "the multicodec header is not minimally encoded";
                    return false;
                }

                length = i + 1;
                error = null;
                return true;
            }
        }

        error = data.Length == 0 ? "the value is empty: no multicodec header" : "the multicodec header is truncated or longer than nine bytes";
        return false;
    }
}
