using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace ChatonsFed.Protocol.Keys;

/// <summary>Imports RSA keys from PEM or DER with the same checks everywhere: known block, no trailing bytes, minimum size.</summary>
internal static class RsaImport
{
    private delegate void Importer(RSA rsa, ReadOnlySpan<byte> der, out int read);

    public static bool TryPublicPem(string? pem, [NotNullWhen(true)] out RSA? rsa, [NotNullWhen(false)] out string? error) =>
        TryPem(pem, isPrivate: false, out rsa, out error);

    public static bool TryPrivatePem(string? pem, [NotNullWhen(true)] out RSA? rsa, [NotNullWhen(false)] out string? error) =>
        TryPem(pem, isPrivate: true, out rsa, out error);

    public static bool TryPkcs1PublicDer(ReadOnlySpan<byte> der, [NotNullWhen(true)] out RSA? rsa, [NotNullWhen(false)] out string? error) =>
        TryDer(der, (RSA r, ReadOnlySpan<byte> d, out int read) => r.ImportRSAPublicKey(d, out read), "the bytes are not a PKCS#1 RSAPublicKey", "public", out rsa, out error);

    private static bool TryPem(string? pem, bool isPrivate, [NotNullWhen(true)] out RSA? rsa, [NotNullWhen(false)] out string? error)
    {
        rsa = null;
        if (!PemText.TryRead(pem, out var label, out var der, out error))
        {
            return false;
        }

        try
        {
            Importer? importer = (isPrivate, label) switch
            {
                (true, "PRIVATE KEY") => (RSA r, ReadOnlySpan<byte> d, out int read) => r.ImportPkcs8PrivateKey(d, out read),
                (true, "RSA PRIVATE KEY") => (RSA r, ReadOnlySpan<byte> d, out int read) => r.ImportRSAPrivateKey(d, out read),
                (false, "PUBLIC KEY") => (RSA r, ReadOnlySpan<byte> d, out int read) => r.ImportSubjectPublicKeyInfo(d, out read),
                (false, "RSA PUBLIC KEY") => (RSA r, ReadOnlySpan<byte> d, out int read) => r.ImportRSAPublicKey(d, out read),
                _ => null,
            };
            var kind = isPrivate ? "private" : "public";
            if (importer is null)
            {
                error = isPrivate
                    ? $"the PEM block is \"{label}\"; an RSA private key is \"PRIVATE KEY\" (PKCS#8)"
                    : $"the PEM block is \"{label}\"; an RSA public key is \"PUBLIC KEY\" (or \"RSA PUBLIC KEY\")";
                return false;
            }

            return TryDer(der, importer, $"the PEM block is not an RSA {kind} key", kind, out rsa, out error);
        }
        finally
        {
            if (isPrivate)
            {
                CryptographicOperations.ZeroMemory(der);
            }
        }
    }

    private static bool TryDer(ReadOnlySpan<byte> der, Importer importer, string notAKey, string kind, [NotNullWhen(true)] out RSA? rsa, [NotNullWhen(false)] out string? error)
    {
        rsa = null;
        var candidate = RSA.Create();
        try
        {
            importer(candidate, der, out var read);
            if (read != der.Length)
            {
                error = $"{der.Length - read} bytes follow the RSA {kind} key";
            }
            else if (candidate.KeySize < RsaPublicKey.MinimumKeySizeInBits)
            {
                error = $"the RSA key has {candidate.KeySize} bits; at least {RsaPublicKey.MinimumKeySizeInBits} are required";
            }
            else
            {
                (rsa, candidate, error) = (candidate, null, null);
                return true;
            }

            return false;
        }
        catch (CryptographicException e)
        {
            error = $"{notAKey}: {e.Message}";
            return false;
        }
        finally
        {
            candidate?.Dispose();
        }
    }
}
