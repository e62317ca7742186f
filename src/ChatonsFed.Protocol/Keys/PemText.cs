using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace ChatonsFed.Protocol.Keys;

/// <summary>Reads and writes one PEM block (RFC 7468).</summary>
public static class PemText
{
    public static bool TryRead([NotNullWhen(true)] string? pem, [NotNullWhen(true)] out string? label, [NotNullWhen(true)] out byte[]? der, [NotNullWhen(false)] out string? error)
    {
        label = null;
        der = null;
        if (string.IsNullOrWhiteSpace(pem))
        {
            error = "the PEM text is empty";
            return false;
        }

        if (!PemEncoding.TryFind(pem, out var fields))
        {
            error = "no PEM block (-----BEGIN …----- … -----END …-----) was found";
            return false;
        }

        label = pem[fields.Label];
        der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(pem.AsSpan(fields.Base64Data), der, out var written) || written != der.Length)
        {
            error = "the PEM block's base64 body is invalid";
            return false;
        }

        error = null;
        return true;
    }

    public static string Write(string label, ReadOnlySpan<byte> der) => new string(PemEncoding.Write(label, der)) + "\n";
}
