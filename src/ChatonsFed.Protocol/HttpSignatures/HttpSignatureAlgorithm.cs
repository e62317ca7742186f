using System.Diagnostics.CodeAnalysis;

namespace ChatonsFed.Protocol.HttpSignatures;

/// <summary>A signature algorithm from the RFC 9421 registry (draft-cavage <c>rsa-sha256</c> is <see cref="RsaV15Sha256"/>).</summary>
public enum HttpSignatureAlgorithm
{
    /// <summary><c>rsa-v1_5-sha256</c>: RSASSA-PKCS1-v1_5 with SHA-256.</summary>
    RsaV15Sha256,

    /// <summary><c>rsa-pss-sha512</c>: RSASSA-PSS with SHA-512, MGF1-SHA-512, 64-byte salt.</summary>
    RsaPssSha512,

    /// <summary><c>ecdsa-p256-sha256</c>: ECDSA on P-256 with SHA-256, signature as raw r||s.</summary>
    EcdsaP256Sha256,

    /// <summary><c>ed25519</c>: EdDSA on Curve25519 over the signature base.</summary>
    Ed25519,

    /// <summary><c>hmac-sha256</c>: HMAC with SHA-256 and a shared secret.</summary>
    HmacSha256,
}

/// <summary>The kind of key material an <see cref="HttpSignatureKey"/> holds.</summary>
public enum HttpSignatureKeyType
{
    Rsa,
    EcdsaP256,
    Ed25519,
    Hmac,
}

/// <summary>Wire names of <see cref="HttpSignatureAlgorithm"/> values as RFC 9421's <c>alg</c> parameter writes them.</summary>
public static class HttpSignatureAlgorithmNames
{
    public static string ToWireName(this HttpSignatureAlgorithm algorithm) => algorithm switch
    {
        HttpSignatureAlgorithm.RsaV15Sha256 => "rsa-v1_5-sha256",
        HttpSignatureAlgorithm.RsaPssSha512 => "rsa-pss-sha512",
        HttpSignatureAlgorithm.EcdsaP256Sha256 => "ecdsa-p256-sha256",
        HttpSignatureAlgorithm.Ed25519 => "ed25519",
        HttpSignatureAlgorithm.HmacSha256 => "hmac-sha256",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    public static bool TryParse([NotNullWhen(true)] string? name, out HttpSignatureAlgorithm algorithm)
    {
        switch (name)
        {
            case "rsa-v1_5-sha256":
                algorithm = HttpSignatureAlgorithm.RsaV15Sha256;
                return true;
            case "rsa-pss-sha512":
                algorithm = HttpSignatureAlgorithm.RsaPssSha512;
                return true;
            case "ecdsa-p256-sha256":
                algorithm = HttpSignatureAlgorithm.EcdsaP256Sha256;
                return true;
            case "ed25519":
                algorithm = HttpSignatureAlgorithm.Ed25519;
                return true;
            case "hmac-sha256":
                algorithm = HttpSignatureAlgorithm.HmacSha256;
                return true;
            default:
                algorithm = default;
                return false;
        }
    }

    internal static string Describe(HttpSignatureKeyType type) => type switch
    {
        HttpSignatureKeyType.Rsa => "RSA",
        HttpSignatureKeyType.EcdsaP256 => "ECDSA P-256",
        HttpSignatureKeyType.Ed25519 => "Ed25519",
        _ => "HMAC",
    };
}
