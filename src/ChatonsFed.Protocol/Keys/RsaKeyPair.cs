using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace ChatonsFed.Protocol.Keys;

/// <summary>An RSA key pair for Mastodon-style HTTP signatures, stored as PKCS#8 PEM.</summary>
public sealed class RsaKeyPair : IDisposable
{
    public const int DefaultKeySizeInBits = 2048;

    private RsaKeyPair(RSA rsa)
    {
        Rsa = rsa;
        PublicKey = RsaPublicKey.FromPublicPart(rsa);
    }

    /// <summary>The private key for signing; owned by this object.</summary>
    public RSA Rsa { get; }

    public RsaPublicKey PublicKey { get; }

    public static RsaKeyPair Generate(int keySizeInBits = DefaultKeySizeInBits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keySizeInBits, DefaultKeySizeInBits);
        return new RsaKeyPair(RSA.Create(keySizeInBits));
    }

    /// <summary>Reads "BEGIN PRIVATE KEY" (PKCS#8) PEM text; "BEGIN RSA PRIVATE KEY" (PKCS#1) is accepted too.</summary>
    public static RsaKeyPair FromPkcs8Pem(string pem)
    {
        if (!TryFromPkcs8Pem(pem, out var pair, out var error))
        {
            throw new ProtocolFormatException(error);
        }

        return pair;
    }

    public static bool TryFromPkcs8Pem([NotNullWhen(true)] string? pem, [NotNullWhen(true)] out RsaKeyPair? pair, [NotNullWhen(false)] out string? error)
    {
        pair = RsaImport.TryPrivatePem(pem, out var rsa, out error) ? new RsaKeyPair(rsa) : null;
        return pair is not null;
    }

    /// <summary>The private key as PKCS#8 PEM ("BEGIN PRIVATE KEY"), for the node's key file only.</summary>
    public string ExportPkcs8Pem()
    {
        var der = Rsa.ExportPkcs8PrivateKey();
        try
        {
            return PemText.Write("PRIVATE KEY", der);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    public void Dispose()
    {
        Rsa.Dispose();
        PublicKey.Dispose();
    }
}
