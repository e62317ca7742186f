using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using NSec.Cryptography;

namespace ChatonsFed.Protocol.Keys;

/// <summary>
/// An Ed25519 signing key held by NSec. The seed can be read back only when the pair was created with
/// <c>allowSeedExport</c>, which only the code that writes the key file should ask for.
/// </summary>
public sealed class Ed25519KeyPair : IDisposable
{
    public const int SeedLength = 32;

    private readonly Key _key;

    private Ed25519KeyPair(Key key)
    {
        _key = key;
        var raw = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        PublicKey = Ed25519PublicKey.FromRawBytes(raw);
    }

    public Ed25519PublicKey PublicKey { get; }

    public bool CanExportSeed => (_key.ExportPolicy & KeyExportPolicies.AllowPlaintextExport) != 0;

    public static Ed25519KeyPair Generate(bool allowSeedExport = false) =>
        new(Key.Create(SignatureAlgorithm.Ed25519, Parameters(allowSeedExport)));

    /// <summary>Imports a 32-byte RFC 8032 seed (the private key).</summary>
    public static Ed25519KeyPair FromSeed(ReadOnlySpan<byte> seed, bool allowSeedExport = false)
    {
        if (seed.Length != SeedLength)
        {
            throw new ProtocolFormatException($"an Ed25519 seed is {SeedLength} bytes, this one is {seed.Length}");
        }

        return new(Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey, Parameters(allowSeedExport)));
    }

    /// <summary>Imports a secretKeyMultibase value with the ed25519-priv header (z3u2…).</summary>
    public static Ed25519KeyPair FromMultibaseSeed(string secretKeyMultibase, bool allowSeedExport = false)
    {
        if (!TryFromMultibaseSeed(secretKeyMultibase, out var pair, out var error, allowSeedExport))
        {
            throw new ProtocolFormatException(error);
        }

        return pair;
    }

    public static bool TryFromMultibaseSeed([NotNullWhen(true)] string? secretKeyMultibase, [NotNullWhen(true)] out Ed25519KeyPair? pair, [NotNullWhen(false)] out string? error, bool allowSeedExport = false)
    {
        pair = null;
        if (!Multikey.TryDecode(secretKeyMultibase, Multicodec.Ed25519Private, out var seed, out error))
        {
            return false;
        }

        try
        {
            pair = FromSeed(seed, allowSeedExport);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>The 32-byte seed; the caller should zero it once written.</summary>
    public byte[] ExportSeed()
    {
        if (!CanExportSeed)
        {
            throw new InvalidOperationException("this Ed25519 key was created without allowSeedExport, so its seed cannot be read");
        }

        return _key.Export(KeyBlobFormat.RawPrivateKey);
    }

    /// <summary>The seed as a secretKeyMultibase value (z3u2…).</summary>
    public string ExportSeedMultibase()
    {
        var seed = ExportSeed();
        try
        {
            return Multikey.Encode(Multicodec.Ed25519Private, seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>The private key as a PKCS#8 PEM block (RFC 8410), the form OpenSSL reads; needs <c>allowSeedExport</c>.</summary>
    public string ExportPkcs8Pem()
    {
        if (!CanExportSeed)
        {
            throw new InvalidOperationException("this Ed25519 key was created without allowSeedExport, so it cannot be written out");
        }

        var der = _key.Export(KeyBlobFormat.PkixPrivateKey);
        try
        {
            return PemText.Write("PRIVATE KEY", der);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    /// <summary>Reads a PKCS#8 PEM Ed25519 private key (<c>-----BEGIN PRIVATE KEY-----</c>).</summary>
    public static bool TryFromPkcs8Pem([NotNullWhen(true)] string? pem, [NotNullWhen(true)] out Ed25519KeyPair? pair, [NotNullWhen(false)] out string? error, bool allowSeedExport = false)
    {
        pair = null;
        if (!PemText.TryRead(pem, out var label, out var der, out error))
        {
            return false;
        }

        try
        {
            if (label != "PRIVATE KEY")
            {
                error = $"expected a PKCS#8 'PRIVATE KEY' PEM block, found '{label}'";
                return false;
            }

            if (!Key.TryImport(SignatureAlgorithm.Ed25519, der, KeyBlobFormat.PkixPrivateKey, out var key, Parameters(allowSeedExport)) || key is null)
            {
                error = "the PKCS#8 block is not an Ed25519 private key";
                return false;
            }

            pair = new Ed25519KeyPair(key);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    public byte[] Sign(ReadOnlySpan<byte> data) => SignatureAlgorithm.Ed25519.Sign(_key, data);

    /// <summary>Writes the 64-byte signature into <paramref name="signature"/>.</summary>
    public void Sign(ReadOnlySpan<byte> data, Span<byte> signature) => SignatureAlgorithm.Ed25519.Sign(_key, data, signature);

    public void Dispose() => _key.Dispose();

    private static KeyCreationParameters Parameters(bool allowSeedExport) => new()
    {
        ExportPolicy = allowSeedExport ? KeyExportPolicies.AllowPlaintextExport : KeyExportPolicies.None,
    };
}
