using System.Diagnostics.CodeAnalysis;
using NSec.Cryptography;

namespace ChatonsFed.Protocol.Keys;

/// <summary>An Ed25519 public key (RFC 8032), as published in an actor's assertionMethod Multikey (z6Mk…).</summary>
public sealed class Ed25519PublicKey : IEquatable<Ed25519PublicKey>
{
    public const int Length = 32;
    public const int SignatureLength = 64;

    private readonly PublicKey _key;
    private readonly byte[] _raw;

    private Ed25519PublicKey(PublicKey key, byte[] raw)
    {
        _key = key;
        _raw = raw;
    }

    /// <summary>The 32 raw key bytes.</summary>
    public ReadOnlySpan<byte> RawBytes => _raw;

    public static Ed25519PublicKey FromRawBytes(ReadOnlySpan<byte> raw)
    {
        if (!TryFromRawBytes(raw, out var key, out var error))
        {
            throw new ProtocolFormatException(error);
        }

        return key;
    }

    public static bool TryFromRawBytes(ReadOnlySpan<byte> raw, [NotNullWhen(true)] out Ed25519PublicKey? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        if (raw.Length != Length)
        {
            error = $"an Ed25519 public key is {Length} bytes, this one is {raw.Length}";
            return false;
        }

        if (!PublicKey.TryImport(SignatureAlgorithm.Ed25519, raw, KeyBlobFormat.RawPublicKey, out var imported) || imported is null)
        {
            error = "the bytes are not a valid Ed25519 public key";
            return false;
        }

        key = new Ed25519PublicKey(imported, raw.ToArray());
        error = null;
        return true;
    }

    /// <summary>Reads a publicKeyMultibase value with the ed25519-pub header (z6Mk…).</summary>
    public static Ed25519PublicKey FromMultibase(string publicKeyMultibase)
    {
        if (!TryFromMultibase(publicKeyMultibase, out var key, out var error))
        {
            throw new ProtocolFormatException(error);
        }

        return key;
    }

    public static bool TryFromMultibase([NotNullWhen(true)] string? publicKeyMultibase, [NotNullWhen(true)] out Ed25519PublicKey? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        if (!Multikey.TryDecode(publicKeyMultibase, Multicodec.Ed25519Public, out var raw, out error))
        {
            return false;
        }

        return TryFromRawBytes(raw, out key, out error);
    }

    /// <summary>The public key as an SPKI PEM block (RFC 8410).</summary>
    public string ToPem()
    {
        Span<byte> der = stackalloc byte[SpkiPrefix.Length + Length];
        SpkiPrefix.CopyTo(der);
        _raw.CopyTo(der[SpkiPrefix.Length..]);
        return PemText.Write("PUBLIC KEY", der);
    }

    /// <summary>Reads an SPKI PEM Ed25519 public key (<c>-----BEGIN PUBLIC KEY-----</c>).</summary>
    public static bool TryFromPem([NotNullWhen(true)] string? pem, [NotNullWhen(true)] out Ed25519PublicKey? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        if (!PemText.TryRead(pem, out var label, out var der, out error))
        {
            return false;
        }

        if (label != "PUBLIC KEY" || der.Length != SpkiPrefix.Length + Length || !der.AsSpan(0, SpkiPrefix.Length).SequenceEqual(SpkiPrefix))
        {
            error = "the PEM block is not an Ed25519 SubjectPublicKeyInfo";
            return false;
        }

        return TryFromRawBytes(der.AsSpan(SpkiPrefix.Length), out key, out error);
    }

    // SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (32 bytes) }: the fixed DER header of every Ed25519 SPKI.
    private static ReadOnlySpan<byte> SpkiPrefix => [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];

    public string ToMultibase() => Multikey.Encode(Multicodec.Ed25519Public, _raw);

    /// <summary>Checks a 64-byte Ed25519 signature over <paramref name="data"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        signature.Length == SignatureLength && SignatureAlgorithm.Ed25519.Verify(_key, data, signature);

    public bool Equals(Ed25519PublicKey? other) => other is not null && _raw.AsSpan().SequenceEqual(other._raw);

    public override bool Equals(object? obj) => Equals(obj as Ed25519PublicKey);

    public override int GetHashCode() => BitConverter.ToInt32(_raw, 0);

    public override string ToString() => ToMultibase();
}
