using System.Diagnostics.CodeAnalysis;

namespace ChatonsFed.Protocol.HttpSignatures;

/// <summary>Which HTTP signature specification a request uses.</summary>
public enum HttpSignatureFlavour
{
    /// <summary>The request carries no signature.</summary>
    None,

    /// <summary>RFC 9421 HTTP Message Signatures (<c>Signature-Input</c> and <c>Signature</c>).</summary>
    Rfc9421,

    /// <summary>draft-cavage-http-signatures-12 (<c>Signature: keyId=…</c>), as Mastodon sends.</summary>
    Cavage,
}

/// <summary>
/// A signature read from a request but not yet verified: the server reads <see cref="KeyId"/>, fetches that key, then
/// calls <see cref="Verify"/>.
/// </summary>
public abstract class ParsedHttpSignature
{
    private protected ParsedHttpSignature()
    {
    }

    public abstract HttpSignatureFlavour Flavour { get; }

    /// <summary>The key id the signer named (for the fediverse, a URL such as <c>https://a.example/actor#main-key</c>).</summary>
    public abstract string? KeyId { get; }

    /// <summary>Checks the signature of <paramref name="request"/> with <paramref name="key"/> at time <paramref name="now"/>.</summary>
    public abstract VerificationResult Verify(HttpRequestSnapshot request, HttpSignatureKey key, DateTimeOffset now, HttpSignatureVerificationPolicy? policy = null);
}

/// <summary>Finds the signature on an incoming request: RFC 9421 when <c>Signature-Input</c> is present, draft-cavage otherwise.</summary>
public static class HttpSignatureDetector
{
    /// <summary>The flavour of signature a request carries, decided as Mastodon and Fedify decide it.</summary>
    public static HttpSignatureFlavour Detect(HeaderFields headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.Contains(MessageSignature.InputHeaderName))
        {
            return HttpSignatureFlavour.Rfc9421;
        }

        if (headers.Contains(CavageSignature.HeaderName))
        {
            return HttpSignatureFlavour.Cavage;
        }

        foreach (var value in headers.GetValues("Authorization"))
        {
            if (value.TrimStart().StartsWith("Signature ", StringComparison.OrdinalIgnoreCase))
            {
                return HttpSignatureFlavour.Cavage;
            }
        }

        return HttpSignatureFlavour.None;
    }

    /// <summary>
    /// Reads the request's signature without verifying it. For RFC 9421 the first label is taken; a signature without
    /// a key id is refused, since the key could not be found.
    /// </summary>
    public static bool TryParse(HttpRequestSnapshot request, [NotNullWhen(true)] out ParsedHttpSignature? signature, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(request);
        signature = null;
        switch (Detect(request.Headers))
        {
            case HttpSignatureFlavour.Rfc9421:
                if (!MessageSignature.TryParse(request.Headers, null, out var message, out error))
                {
                    return false;
                }

                if (message.KeyId is null)
                {
                    error = $"signature '{message.Label}' has no keyid";
                    return false;
                }

                signature = message;
                return true;
            case HttpSignatureFlavour.Cavage:
                if (!CavageSignature.TryParse(request.Headers, out var cavage, out error))
                {
                    return false;
                }

                signature = cavage;
                return true;
            default:
                error = "the request is not signed";
                return false;
        }
    }
}
