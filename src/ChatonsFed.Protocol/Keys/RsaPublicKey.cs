using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace ChatonsFed.Protocol.Keys;

/// <summary>An RSA public key, read from an actor's publicKeyPem (SPKI) or an rsa-pub Multikey (z4MX…).</summary>
public sealed class RsaPublicKey : IDisposable
{
    /// <summary>Smaller keys are refused when reading; new keys are 2048 bits or more.</summary>
    public const int MinimumKeySizeInBits = 1024;

    private RsaPublicKey(RSA rsa)
    {
        Rsa = rsa;
    }

    /// <summary>The key for signature checks; owned by this object.</summary>
    public RSA Rsa { get; }

    public int KeySizeInBits => Rsa.KeySize;

    /// <summary>Reads "BEGIN PUBLIC KEY" (SPKI) or "BEGIN RSA PUBLIC KEY" (PKCS#1) PEM text.</summary>
    public static RsaPublicKey FromPem(string pem)
    {
        if (!TryFromPem(pem, out var key, out var error))
        {
            throw new ProtocolFormatException(error);
        }

        return key;
    }

    public static bool TryFromPem([NotNullWhen(true)] string? pem, [NotNullWhen(true)] out RsaPublicKey? key, [NotNullWhen(false)] out string? error)
    {
        key = RsaImport.TryPublicPem(pem, out var rsa, out error) ? new RsaPublicKey(rsa) : null;
        return key is not null;
    }

    /// <summary>Reads a publicKeyMultibase value with the rsa-pub header (PKCS#1 DER RSAPublicKey, z4MX… for 2048 bits).</summary>
    public static RsaPublicKey FromMultibase(string publicKeyMultibase)
    {
        if (!TryFromMultibase(publicKeyMultibase, out var key, out var error))
        {
            throw new ProtocolFormatException(error);
        }

        return key;
    }

    public static bool TryFromMultibase([NotNullWhen(true)] string? publicKeyMultibase, [NotNullWhen(true)] out RsaPublicKey? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        if (!Multikey.TryDecode(publicKeyMultibase, Multicodec.RsaPublic, out var der, out error))
        {
            return false;
        }

        return TryFromPkcs1Der(der, out key, out error);
    }

    public static bool TryFromPkcs1Der(ReadOnlySpan<byte> der, [NotNullWhen(true)] out RsaPublicKey? key, [NotNullWhen(false)] out string? error)
    {
        key = RsaImport.TryPkcs1PublicDer(der, out var rsa, out error) ? new RsaPublicKey(rsa) : null;
        return key is not null;
    }

    /// <summary>Takes ownership of <paramref name="rsa"/>, whose public part becomes this key.</summary>
    internal static RsaPublicKey FromPublicPart(RSA rsa)
    {
        var copy = RSA.Create();
        copy.ImportRSAPublicKey(rsa.ExportRSAPublicKey(), out _);
        return new RsaPublicKey(copy);
    }

    /// <summary>SPKI PEM ("BEGIN PUBLIC KEY"), as publicKeyPem carries it.</summary>
    public string ToPem() => PemText.Write("PUBLIC KEY", Rsa.ExportSubjectPublicKeyInfo());

    public string ToMultibase() => Multikey.Encode(Multicodec.RsaPublic, Rsa.ExportRSAPublicKey());

    public byte[] ExportPkcs1Der() => Rsa.ExportRSAPublicKey();

    public void Dispose() => Rsa.Dispose();
}
