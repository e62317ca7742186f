using System.Diagnostics.CodeAnalysis;
using System.Formats.Asn1;
using System.Security.Cryptography;
using NSec.Cryptography;

namespace ChatonsFed.Protocol.HttpSignatures;

/// <summary>
/// A key parsed once for signing or verifying HTTP signatures: RSA (PKCS#1 v1.5 or PSS), ECDSA P-256, Ed25519 or an
/// HMAC secret. Verification never throws for a bad signature; it returns false.
/// </summary>
public abstract class HttpSignatureKey : IDisposable
{
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string RsaPssOid = "1.2.840.113549.1.1.10";
    private const string EcOid = "1.2.840.10045.2.1";
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private const string Ed25519Oid = "1.3.101.112";

    private protected HttpSignatureKey(HttpSignatureAlgorithm defaultAlgorithm) => DefaultAlgorithm = defaultAlgorithm;

    public abstract HttpSignatureKeyType KeyType { get; }

    /// <summary>The algorithm used when a signature does not name one (RFC 9421: the key material decides).</summary>
    public HttpSignatureAlgorithm DefaultAlgorithm { get; }

    /// <summary>Whether the key can sign (holds private material or is a shared secret).</summary>
    public abstract bool CanSign { get; }

    /// <summary>Whether this key material can be used with <paramref name="algorithm"/>.</summary>
    public bool Supports(HttpSignatureAlgorithm algorithm) => algorithm switch
    {
        HttpSignatureAlgorithm.RsaV15Sha256 or HttpSignatureAlgorithm.RsaPssSha512 => KeyType == HttpSignatureKeyType.Rsa,
        HttpSignatureAlgorithm.EcdsaP256Sha256 => KeyType == HttpSignatureKeyType.EcdsaP256,
        HttpSignatureAlgorithm.Ed25519 => KeyType == HttpSignatureKeyType.Ed25519,
        HttpSignatureAlgorithm.HmacSha256 => KeyType == HttpSignatureKeyType.Hmac,
        _ => false,
    };

    /// <summary>Checks <paramref name="signature"/> over <paramref name="data"/>; false when it does not match or the algorithm does not fit the key.</summary>
    public bool Verify(HttpSignatureAlgorithm algorithm, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (!Supports(algorithm))
        {
            return false;
        }

        try
        {
            return VerifyCore(algorithm, data, signature);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Signs <paramref name="data"/>. Throws <see cref="InvalidOperationException"/> for a public key or an algorithm the key cannot use.</summary>
    public byte[] Sign(HttpSignatureAlgorithm algorithm, ReadOnlySpan<byte> data)
    {
        if (!Supports(algorithm))
        {
            throw new InvalidOperationException($"an {HttpSignatureAlgorithmNames.Describe(KeyType)} key cannot sign with {algorithm.ToWireName()}");
        }

        if (!CanSign)
        {
            throw new InvalidOperationException("a public key cannot sign");
        }

        return SignCore(algorithm, data);
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    private protected abstract bool VerifyCore(HttpSignatureAlgorithm algorithm, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature);

    private protected abstract byte[] SignCore(HttpSignatureAlgorithm algorithm, ReadOnlySpan<byte> data);

    /// <summary>
    /// Reads a PEM key: <c>PUBLIC KEY</c> (SPKI), <c>PRIVATE KEY</c> (PKCS#8), <c>RSA PUBLIC KEY</c> / <c>RSA PRIVATE KEY</c>
    /// (PKCS#1) or <c>EC PRIVATE KEY</c> (SEC1), holding RSA, ECDSA P-256 or Ed25519.
    /// </summary>
    /// <param name="algorithm">For RSA keys, the algorithm to use when a signature names none (default: rsa-v1_5-sha256,
    /// or rsa-pss-sha512 for a key marked id-RSASSA-PSS).</param>
    public static bool TryImportPem(
        string? pem,
        [NotNullWhen(true)] out HttpSignatureKey? key,
        [NotNullWhen(false)] out string? error,
        HttpSignatureAlgorithm? algorithm = null)
    {
        key = null;
        if (string.IsNullOrWhiteSpace(pem) || !PemEncoding.TryFind(pem, out var fields))
        {
            error = "no PEM block found";
            return false;
        }

        var label = pem.AsSpan()[fields.Label].ToString();
        var der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(pem.AsSpan()[fields.Base64Data], der, out var written))
        {
            error = "the PEM block is not valid base64";
            return false;
        }

        try
        {
            key = label switch
            {
                "PUBLIC KEY" => ImportSubjectPublicKeyInfo(der.AsSpan(0, written), algorithm),
                "PRIVATE KEY" => ImportPkcs8(der.AsSpan(0, written), algorithm),
                "RSA PUBLIC KEY" => ImportRsa(rsa => rsa.ImportRSAPublicKey(der.AsSpan(0, written), out _), algorithm, false),
                "RSA PRIVATE KEY" => ImportRsa(rsa => rsa.ImportRSAPrivateKey(der.AsSpan(0, written), out _), algorithm, true),
                "EC PRIVATE KEY" => ImportEc(ec => ec.ImportECPrivateKey(der.AsSpan(0, written), out _), true),
                _ => null,
            };
        }
        catch (Exception ex) when (ex is CryptographicException or AsnContentException or FormatException or ArgumentException)
        {
            error = $"the {label} block cannot be read: {ex.Message}";
            return false;
        }

        if (key is null)
        {
            error = $"unsupported PEM block '{label}'";
            return false;
        }

        if (algorithm is { } wanted && !key.Supports(wanted))
        {
            error = $"an {HttpSignatureAlgorithmNames.Describe(key.KeyType)} key cannot be used with {wanted.ToWireName()}";
            key.Dispose();
            key = null;
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>Like <see cref="TryImportPem"/>, throwing <see cref="ProtocolFormatException"/> with the reason.</summary>
    public static HttpSignatureKey ImportPem(string pem, HttpSignatureAlgorithm? algorithm = null) =>
        TryImportPem(pem, out var key, out var error, algorithm) ? key : throw new ProtocolFormatException(error);

    /// <summary>An Ed25519 public key from its 32 raw bytes.</summary>
    public static HttpSignatureKey FromEd25519PublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != 32 || !PublicKey.TryImport(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out var imported) || imported is null)
        {
            throw new ProtocolFormatException("an Ed25519 public key is 32 bytes");
        }

        return new Ed25519SignatureKey(imported, null);
    }

    /// <summary>An Ed25519 private key from its 32-byte seed.</summary>
    public static HttpSignatureKey FromEd25519PrivateSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != 32)
        {
            throw new ProtocolFormatException("an Ed25519 private key seed is 32 bytes");
        }

        var key = Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey);
        return new Ed25519SignatureKey(key.PublicKey, key);
    }

    /// <summary>A shared secret for <c>hmac-sha256</c>.</summary>
    public static HttpSignatureKey FromHmacSecret(ReadOnlySpan<byte> secret)
    {
        if (secret.IsEmpty)
        {
            throw new ProtocolFormatException("an HMAC secret cannot be empty");
        }

        return new HmacSignatureKey(secret.ToArray());
    }

    /// <summary>Wraps an RSA key; the new object owns <paramref name="rsa"/> and disposes it.</summary>
    public static HttpSignatureKey FromRsa(RSA rsa, bool hasPrivateKey, HttpSignatureAlgorithm defaultAlgorithm = HttpSignatureAlgorithm.RsaV15Sha256)
    {
        ArgumentNullException.ThrowIfNull(rsa);
        return new RsaSignatureKey(rsa, hasPrivateKey, defaultAlgorithm);
    }

    /// <summary>Wraps a P-256 ECDSA key; the new object owns <paramref name="ecdsa"/> and disposes it.</summary>
    public static HttpSignatureKey FromECDsa(ECDsa ecdsa, bool hasPrivateKey)
    {
        ArgumentNullException.ThrowIfNull(ecdsa);
        if (ecdsa.KeySize != 256)
        {
            throw new ProtocolFormatException($"only P-256 ECDSA keys are supported, not {ecdsa.KeySize}-bit ones");
        }

        return new EcdsaSignatureKey(ecdsa, hasPrivateKey);
    }

    private static HttpSignatureKey? ImportSubjectPublicKeyInfo(ReadOnlySpan<byte> der, HttpSignatureAlgorithm? algorithm)
    {
        var (oid, curve, inner) = ReadAlgorithm(der, isPrivate: false);
        switch (oid)
        {
            case RsaOid:
                var copy = der.ToArray();
                return ImportRsa(rsa => rsa.ImportSubjectPublicKeyInfo(copy, out _), algorithm, false);
            case RsaPssOid:
                return ImportRsa(rsa => rsa.ImportRSAPublicKey(inner, out _), algorithm ?? HttpSignatureAlgorithm.RsaPssSha512, false);
            case EcOid:
                RequireP256(curve);
                var ecCopy = der.ToArray();
                return ImportEc(ec => ec.ImportSubjectPublicKeyInfo(ecCopy, out _), false);
            case Ed25519Oid:
                return new Ed25519SignatureKey(PublicKey.Import(SignatureAlgorithm.Ed25519, der, KeyBlobFormat.PkixPublicKey), null);
            default:
                return Unsupported(oid);
        }
    }

    private static HttpSignatureKey? ImportPkcs8(ReadOnlySpan<byte> der, HttpSignatureAlgorithm? algorithm)
    {
        var (oid, curve, inner) = ReadAlgorithm(der, isPrivate: true);
        switch (oid)
        {
            case RsaOid:
            case RsaPssOid:
                // A PSS-marked PKCS#8 key wraps a plain PKCS#1 RSAPrivateKey; reading that directly works for both.
                return ImportRsa(
                    rsa => rsa.ImportRSAPrivateKey(inner, out _),
                    algorithm ?? (oid == RsaPssOid ? HttpSignatureAlgorithm.RsaPssSha512 : null),
                    true);
            case EcOid:
                RequireP256(curve);
                var ecCopy = der.ToArray();
                return ImportEc(ec => ec.ImportPkcs8PrivateKey(ecCopy, out _), true);
            case Ed25519Oid:
                var key = Key.Import(SignatureAlgorithm.Ed25519, der, KeyBlobFormat.PkixPrivateKey);
                return new Ed25519SignatureKey(key.PublicKey, key);
            default:
                return Unsupported(oid);
        }
    }

    private static HttpSignatureKey Unsupported(string oid) =>
        throw new CryptographicException($"key algorithm {oid} is not supported (RSA, ECDSA P-256 and Ed25519 are)");

    private static void RequireP256(string? curve)
    {
        if (curve != P256Oid)
        {
            throw new CryptographicException($"only the P-256 curve is supported, not {curve ?? "an unnamed curve"}");
        }
    }

    /// <summary>Reads the algorithm identifier of an SPKI or PKCS#8 structure and the key bytes it wraps.</summary>
    private static (string Oid, string? Curve, byte[] Inner) ReadAlgorithm(ReadOnlySpan<byte> der, bool isPrivate)
    {
        var reader = new AsnReader(der.ToArray(), AsnEncodingRules.DER);
        var sequence = reader.ReadSequence();
        if (isPrivate)
        {
            sequence.ReadInteger();
        }

        var algorithmId = sequence.ReadSequence();
        var oid = algorithmId.ReadObjectIdentifier();
        string? curve = null;
        if (algorithmId.HasData && algorithmId.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
        {
            curve = algorithmId.ReadObjectIdentifier();
        }

        var inner = isPrivate ? sequence.ReadOctetString() : sequence.ReadBitString(out _);
        return (oid, curve, inner);
    }

    private static RsaSignatureKey ImportRsa(Action<RSA> import, HttpSignatureAlgorithm? algorithm, bool isPrivate)
    {
        var rsa = RSA.Create();
        try
        {
            import(rsa);
            return new RsaSignatureKey(rsa, isPrivate, algorithm ?? HttpSignatureAlgorithm.RsaV15Sha256);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    private static EcdsaSignatureKey ImportEc(Action<ECDsa> import, bool isPrivate)
    {
        var ec = ECDsa.Create();
        try
        {
            import(ec);
            if (ec.KeySize != 256)
            {
                throw new CryptographicException($"only P-256 ECDSA keys are supported, not {ec.KeySize}-bit ones");
            }

            return new EcdsaSignatureKey(ec, isPrivate);
        }
        catch
        {
            ec.Dispose();
            throw;
        }
    }

    private sealed class RsaSignatureKey(RSA rsa, bool hasPrivateKey, HttpSignatureAlgorithm defaultAlgorithm)
        : HttpSignatureKey(defaultAlgorithm)
    {
        public override HttpSignatureKeyType KeyType => HttpSignatureKeyType.Rsa;

        public override bool CanSign => hasPrivateKey;

        private protected override bool VerifyCore(HttpSignatureAlgorithm algorithm, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
            algorithm == HttpSignatureAlgorithm.RsaPssSha512
                ? rsa.VerifyData(data, signature, HashAlgorithmName.SHA512, RSASignaturePadding.Pss)
                : rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        private protected override byte[] SignCore(HttpSignatureAlgorithm algorithm, ReadOnlySpan<byte> data) =>
            algorithm == HttpSignatureAlgorithm.RsaPssSha512
                ? rsa.SignData(data.ToArray(), HashAlgorithmName.SHA512, RSASignaturePadding.Pss)
                : rsa.SignData(data.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                rsa.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private sealed class EcdsaSignatureKey(ECDsa ecdsa, bool hasPrivateKey) : HttpSignatureKey(HttpSignatureAlgorithm.EcdsaP256Sha256)
    {
        public override HttpSignatureKeyType KeyType => HttpSignatureKeyType.EcdsaP256;

        public override bool CanSign => hasPrivateKey;

        private protected override bool VerifyCore(HttpSignatureAlgorithm algorithm, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
            ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

        private protected override byte[] SignCore(HttpSignatureAlgorithm algorithm, ReadOnlySpan<byte> data) =>
            ecdsa.SignData(data.ToArray(), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                ecdsa.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private sealed class Ed25519SignatureKey(PublicKey publicKey, Key? privateKey) : HttpSignatureKey(HttpSignatureAlgorithm.Ed25519)
    {
        public override HttpSignatureKeyType KeyType => HttpSignatureKeyType.Ed25519;

        public override bool CanSign => privateKey is not null;

        private protected override bool VerifyCore(HttpSignatureAlgorithm algorithm, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
            SignatureAlgorithm.Ed25519.Verify(publicKey, data, signature);

        private protected override byte[] SignCore(HttpSignatureAlgorithm algorithm, ReadOnlySpan<byte> data) =>
            SignatureAlgorithm.Ed25519.Sign(privateKey!, data);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                privateKey?.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private sealed class HmacSignatureKey(byte[] secret) : HttpSignatureKey(HttpSignatureAlgorithm.HmacSha256)
    {
        public override HttpSignatureKeyType KeyType => HttpSignatureKeyType.Hmac;

        public override bool CanSign => true;

        private protected override bool VerifyCore(HttpSignatureAlgorithm algorithm, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
        {
            Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(secret, data, mac);
            return CryptographicOperations.FixedTimeEquals(mac, signature);
        }

        private protected override byte[] SignCore(HttpSignatureAlgorithm algorithm, ReadOnlySpan<byte> data) =>
            HMACSHA256.HashData(secret, data);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                CryptographicOperations.ZeroMemory(secret);
            }

            base.Dispose(disposing);
        }
    }
}
