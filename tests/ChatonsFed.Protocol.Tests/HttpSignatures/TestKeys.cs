using System.Security.Cryptography;
using ChatonsFed.Protocol.HttpSignatures;

namespace ChatonsFed.Protocol.Tests.HttpSignatures;

/// <summary>Signing keys for round trips, made once per test run.</summary>
internal static class TestKeys
{
    private static readonly Lazy<RSAParameters> RsaParameters = new(() =>
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportParameters(true);
    });

    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static HttpSignatureKey PrivateKey(HttpSignatureAlgorithm algorithm) => algorithm switch
    {
        HttpSignatureAlgorithm.RsaV15Sha256 or HttpSignatureAlgorithm.RsaPssSha512 => RsaKey(algorithm, true),
        HttpSignatureAlgorithm.EcdsaP256Sha256 => VectorMessages.Rfc9421PrivateKey("test-key-ecc-p256"),
        HttpSignatureAlgorithm.Ed25519 => VectorMessages.Rfc9421PrivateKey("test-key-ed25519"),
        _ => VectorMessages.Rfc9421PrivateKey("test-shared-secret"),
    };

    public static HttpSignatureKey PublicKey(HttpSignatureAlgorithm algorithm) => algorithm switch
    {
        HttpSignatureAlgorithm.RsaV15Sha256 or HttpSignatureAlgorithm.RsaPssSha512 => RsaKey(algorithm, false),
        HttpSignatureAlgorithm.EcdsaP256Sha256 => VectorMessages.Rfc9421PublicKey("test-key-ecc-p256"),
        HttpSignatureAlgorithm.Ed25519 => VectorMessages.Rfc9421PublicKey("test-key-ed25519"),
        _ => VectorMessages.Rfc9421PublicKey("test-shared-secret"),
    };

    public static string RsaPublicPem()
    {
        using var rsa = RSA.Create(RsaParameters.Value);
        return rsa.ExportSubjectPublicKeyInfoPem();
    }

    private static HttpSignatureKey RsaKey(HttpSignatureAlgorithm algorithm, bool isPrivate)
    {
        var parameters = RsaParameters.Value;
        if (!isPrivate)
        {
            parameters = new RSAParameters { Modulus = parameters.Modulus, Exponent = parameters.Exponent };
        }

        return HttpSignatureKey.FromRsa(RSA.Create(parameters), isPrivate, algorithm);
    }
}
