using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Json;

namespace ChatonsFed.Protocol.Membership;

/// <summary>
/// The digest a credential records of the attestation reviewed: <c>sha256-</c> + base64 (padded) of SHA-256 over
/// the RFC 8785 form of the attestation without its <c>proof</c>, stable across re-signing.
/// </summary>
public static class AttestationDigest
{
    public static string Compute(JsonObject attestation)
    {
        ArgumentNullException.ThrowIfNull(attestation);
        using var scratch = new PooledBufferWriter(8192);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        JsonCanonicalizer.HashSha256(attestation, new TopLevelEdits("proof"), scratch, hash);
        return CredentialVerifier.DigestPrefix + Convert.ToBase64String(hash);
    }
}
