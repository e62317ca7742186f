using System.Security.Cryptography;

namespace ChatonsFed.Protocol.HttpSignatures;

/// <summary>The body hash algorithms that Digest and Content-Digest accept.</summary>
public enum DigestAlgorithm
{
    Sha256,
    Sha512,
}

internal static class BodyHash
{
    public static int Size(DigestAlgorithm algorithm) => algorithm == DigestAlgorithm.Sha512 ? 64 : 32;

    public static void Compute(DigestAlgorithm algorithm, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        if (algorithm == DigestAlgorithm.Sha512)
        {
            SHA512.HashData(body, destination);
        }
        else
        {
            SHA256.HashData(body, destination);
        }
    }

    /// <summary>Compares a received digest with the body's, in constant time.</summary>
    public static bool Matches(DigestAlgorithm algorithm, ReadOnlySpan<byte> body, ReadOnlySpan<byte> received)
    {
        Span<byte> computed = stackalloc byte[64];
        computed = computed[..Size(algorithm)];
        Compute(algorithm, body, computed);
        return CryptographicOperations.FixedTimeEquals(computed, received);
    }

    public static string ToBase64(DigestAlgorithm algorithm, ReadOnlySpan<byte> body)
    {
        Span<byte> computed = stackalloc byte[64];
        computed = computed[..Size(algorithm)];
        Compute(algorithm, body, computed);
        return Convert.ToBase64String(computed);
    }
}

/// <summary>
/// The legacy <c>Digest</c> header of RFC 3230 (<c>SHA-256=base64</c>) that Mastodon and draft-cavage signatures use.
/// Algorithm names compare case-insensitively, as Mastodon compares them.
/// </summary>
public static class DigestHeader
{
    public const string Name = "Digest";

    /// <summary>The header value for <paramref name="body"/>, e.g. <c>SHA-256=X48E9q…</c>.</summary>
    public static string Compute(ReadOnlySpan<byte> body, DigestAlgorithm algorithm = DigestAlgorithm.Sha256) =>
        (algorithm == DigestAlgorithm.Sha512 ? "SHA-512=" : "SHA-256=") + BodyHash.ToBase64(algorithm, body);

    /// <summary>
    /// Checks a Digest header against the body. Every supported algorithm listed must match; at least one must be
    /// supported; unknown algorithms beside a supported one are ignored.
    /// </summary>
    public static VerificationResult Verify(string? headerValue, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrWhiteSpace(headerValue))
        {
            return VerificationResult.Invalid("Digest header is missing");
        }

        string? unsupported = null;
        var checkedAny = false;
        Span<byte> received = stackalloc byte[66];
        foreach (var range in headerValue.AsSpan().Split(','))
        {
            var entry = headerValue.AsSpan()[range].Trim(" \t");
            if (entry.IsEmpty)
            {
                continue;
            }

            var equals = entry.IndexOf('=');
            if (equals <= 0)
            {
                return VerificationResult.Invalid($"Digest header is malformed: '{Shorten(entry)}' is not ALGORITHM=VALUE");
            }

            var name = entry[..equals].Trim(" \t");
            var value = entry[(equals + 1)..].Trim(" \t");
            DigestAlgorithm algorithm;
            if (name.Equals("sha-256", StringComparison.OrdinalIgnoreCase))
            {
                algorithm = DigestAlgorithm.Sha256;
            }
            else if (name.Equals("sha-512", StringComparison.OrdinalIgnoreCase))
            {
                algorithm = DigestAlgorithm.Sha512;
            }
            else
            {
                unsupported ??= name.ToString();
                continue;
            }

            if (value.Length > 88 || !Convert.TryFromBase64Chars(value, received, out var written))
            {
                return VerificationResult.Invalid($"Digest header is malformed: the {name} value is not valid base64");
            }

            if (written != BodyHash.Size(algorithm))
            {
                return VerificationResult.Invalid($"Digest header is malformed: the {name} value is {written} bytes, not {BodyHash.Size(algorithm)}");
            }

            if (!BodyHash.Matches(algorithm, body, received[..written]))
            {
                return VerificationResult.Invalid("digest does not match body");
            }

            checkedAny = true;
        }

        if (checkedAny)
        {
            return VerificationResult.Valid;
        }

        return unsupported is null
            ? VerificationResult.Invalid("Digest header is malformed: it lists no digest")
            : VerificationResult.Invalid($"unsupported digest algorithm '{Shorten(unsupported)}'");
    }

    internal static string Shorten(ReadOnlySpan<char> text) =>
        text.Length <= 40 ? text.ToString() : string.Concat(text[..40], "…");
}

/// <summary>The <c>Content-Digest</c> header of RFC 9530: a structured dictionary such as <c>sha-256=:base64:</c>.</summary>
public static class ContentDigestHeader
{
    public const string Name = "Content-Digest";

    /// <summary>The header value for <paramref name="body"/>, e.g. <c>sha-256=:RK/0qy…:</c>.</summary>
    public static string Compute(ReadOnlySpan<byte> body, DigestAlgorithm algorithm = DigestAlgorithm.Sha256) =>
        (algorithm == DigestAlgorithm.Sha512 ? "sha-512=:" : "sha-256=:") + BodyHash.ToBase64(algorithm, body) + ":";

    /// <summary>
    /// Checks a Content-Digest header against the body. Every supported algorithm listed must match; at least one must
    /// be supported (sha-256, sha-512); other algorithms are ignored.
    /// </summary>
    public static VerificationResult Verify(string? headerValue, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrWhiteSpace(headerValue))
        {
            return VerificationResult.Invalid("Content-Digest header is missing");
        }

        if (!StructuredFieldParser.TryParseDictionary(headerValue, out var dictionary, out var error))
        {
            return VerificationResult.Invalid($"Content-Digest header is malformed: {error}");
        }

        string? unsupported = null;
        var checkedAny = false;
        foreach (var (key, member) in dictionary)
        {
            DigestAlgorithm algorithm;
            if (key == "sha-256")
            {
                algorithm = DigestAlgorithm.Sha256;
            }
            else if (key == "sha-512")
            {
                algorithm = DigestAlgorithm.Sha512;
            }
            else
            {
                unsupported ??= key;
                continue;
            }

            if (member is not StructuredItem { Value.Kind: BareItemKind.ByteSequence } item)
            {
                return VerificationResult.Invalid($"Content-Digest header is malformed: the {key} value is not a byte sequence");
            }

            var received = item.Value.AsBytes.Span;
            if (received.Length != BodyHash.Size(algorithm))
            {
                return VerificationResult.Invalid($"Content-Digest header is malformed: the {key} value is {received.Length} bytes, not {BodyHash.Size(algorithm)}");
            }

            if (!BodyHash.Matches(algorithm, body, received))
            {
                return VerificationResult.Invalid("digest does not match body");
            }

            checkedAny = true;
        }

        if (checkedAny)
        {
            return VerificationResult.Valid;
        }

        return unsupported is null
            ? VerificationResult.Invalid("Content-Digest header is malformed: it lists no digest")
            : VerificationResult.Invalid($"unsupported digest algorithm '{DigestHeader.Shorten(unsupported)}'");
    }
}
