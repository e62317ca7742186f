using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace ChatonsFed.Protocol.HttpSignatures;

/// <summary>
/// A draft-cavage-http-signatures-12 signature (<c>Signature: keyId="…",algorithm="…",headers="…",signature="…"</c>),
/// read and checked the way Mastodon does.
/// </summary>
/// <remarks>
/// Only RSA keys are used and the cryptography is always RSASSA-PKCS1-v1_5 with SHA-256, whether the label says
/// <c>rsa-sha256</c> or <c>hs2019</c>. <c>(request-target)</c> is tried with the query first, then without it (Fedify and
/// older Mastodon sign the path alone). Under <see cref="HttpSignatureVerificationPolicy.RequireFederationCoverage"/>,
/// <c>(request-target)</c>, <c>host</c> and <c>date</c> (or <c>(created)</c>) must be signed, and <c>digest</c> too on a
/// POST or a request with a body; the Digest header is then checked against the body.
/// </remarks>
public sealed class CavageSignature : ParsedHttpSignature
{
    public const string HeaderName = "Signature";

    private CavageSignature(string keyId, string? algorithm, IReadOnlyList<string> headers, bool headersGiven, byte[] signature, long? created, long? expires)
    {
        KeyId = keyId;
        AlgorithmName = algorithm;
        CoveredHeaders = headers;
        HeadersGiven = headersGiven;
        Signature = signature;
        Created = created;
        Expires = expires;
    }

    public override HttpSignatureFlavour Flavour => HttpSignatureFlavour.Cavage;

    public override string KeyId { get; }

    /// <summary>The <c>algorithm</c> parameter as sent; null when absent (which means <c>hs2019</c>).</summary>
    public string? AlgorithmName { get; }

    /// <summary>The signed header names in order, lowercase, pseudo-headers such as <c>(request-target)</c> included.</summary>
    public IReadOnlyList<string> CoveredHeaders { get; }

    /// <summary>Whether the <c>headers</c> parameter was sent (otherwise <see cref="CoveredHeaders"/> is the default).</summary>
    public bool HeadersGiven { get; }

    public ReadOnlyMemory<byte> Signature { get; }

    public long? Created { get; }

    public long? Expires { get; }

    private bool IsHs2019 => AlgorithmName is null || AlgorithmName.Equals("hs2019", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads the <c>Signature</c> header, or else an <c>Authorization: Signature …</c> header.</summary>
    public static bool TryParse(HeaderFields headers, [NotNullWhen(true)] out CavageSignature? signature, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var value = headers.GetCombinedValue(HeaderName);
        if (value is null)
        {
            foreach (var authorization in headers.GetValues("Authorization"))
            {
                if (authorization.TrimStart().StartsWith("Signature ", StringComparison.OrdinalIgnoreCase))
                {
                    value = authorization;
                    break;
                }
            }
        }

        if (value is null)
        {
            signature = null;
            error = "Signature header is missing";
            return false;
        }

        return TryParse(value, out signature, out error);
    }

    /// <summary>Reads a Signature header value (a leading <c>Signature </c> is tolerated, as Mastodon tolerates it).</summary>
    public static bool TryParse(string headerValue, [NotNullWhen(true)] out CavageSignature? signature, [NotNullWhen(false)] out string? error)
    {
        signature = null;
        if (!TryParseParameters(headerValue ?? string.Empty, out var parameters, out error))
        {
            error = $"Signature header is malformed: {error}";
            return false;
        }

        if (!parameters.TryGetValue("keyId", out var keyId) || keyId.Length == 0)
        {
            error = "Signature header has no keyId";
            return false;
        }

        if (!parameters.TryGetValue("signature", out var encoded) || encoded.Length == 0)
        {
            error = "Signature header has no signature";
            return false;
        }

        var bytes = new byte[encoded.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(encoded, bytes, out var written))
        {
            error = "Signature header is malformed: signature is not valid base64";
            return false;
        }

        parameters.TryGetValue("algorithm", out var algorithm);
        long? created = null;
        long? expires = null;
        foreach (var (name, target) in new[] { ("created", 0), ("expires", 1) })
        {
            if (parameters.TryGetValue(name, out var text))
            {
                if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                {
                    error = $"Signature header is malformed: {name} '{DigestHeader.Shorten(text)}' is not an integer";
                    return false;
                }

                if (target == 0)
                {
                    created = number;
                }
                else
                {
                    expires = number;
                }
            }
        }

        string[] headers;
        var headersGiven = parameters.TryGetValue("headers", out var headerList);
        if (headersGiven)
        {
            headers = headerList!.ToLowerInvariant().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (headers.Length == 0)
            {
                error = "Signature header is malformed: headers is empty";
                return false;
            }
        }
        else
        {
            var hs2019 = algorithm is null || algorithm.Equals("hs2019", StringComparison.OrdinalIgnoreCase);
            headers = [hs2019 ? "(created)" : "date"];
        }

        signature = new CavageSignature(keyId, algorithm, headers, headersGiven, bytes.AsSpan(0, written).ToArray(), created, expires);
        error = null;
        return true;
    }

    /// <summary>
    /// The string that was signed. <paramref name="includeQuery"/> decides whether <c>(request-target)</c> carries the
    /// query (Mastodon) or only the path (Fedify).
    /// </summary>
    public bool TryCreateSigningString(HttpRequestSnapshot request, bool includeQuery, [NotNullWhen(true)] out string? signingString, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var writer = new PooledByteWriter(512);
        if (!TryWriteSigningString(request, includeQuery, writer, out error))
        {
            signingString = null;
            return false;
        }

        signingString = Encoding.UTF8.GetString(writer.WrittenSpan);
        return true;
    }

    public override VerificationResult Verify(HttpRequestSnapshot request, HttpSignatureKey key, DateTimeOffset now, HttpSignatureVerificationPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(key);
        policy ??= HttpSignatureVerificationPolicy.Default;

        var algorithm = AlgorithmName ?? "hs2019";
        if (!IsHs2019 && !algorithm.Equals("rsa-sha256", StringComparison.OrdinalIgnoreCase))
        {
            return VerificationResult.Invalid($"unsupported algorithm '{DigestHeader.Shorten(algorithm)}'");
        }

        if (key.KeyType != HttpSignatureKeyType.Rsa)
        {
            return VerificationResult.Invalid($"algorithm '{algorithm}' does not match the {HttpSignatureAlgorithmNames.Describe(key.KeyType)} key (draft-cavage signatures are checked with RSA keys)");
        }

        if (!IsHs2019 && (Signs("(created)") || Signs("(expires)")))
        {
            return VerificationResult.Invalid($"{(Signs("(created)") ? "(created)" : "(expires)")} is only allowed with algorithm hs2019, not '{AlgorithmName}'");
        }

        var signsDigest = Signs("digest");
        if (policy.RequireFederationCoverage)
        {
            if (!Signs("(request-target)"))
            {
                return VerificationResult.Invalid("'(request-target)' is not covered");
            }

            if (!Signs("host"))
            {
                return VerificationResult.Invalid("header 'host' is not covered");
            }

            if (!Signs("date") && !Signs("(created)"))
            {
                return VerificationResult.Invalid("header 'date' is not covered");
            }

            if (!signsDigest && (!request.Body.IsEmpty || request.Method.Equals("POST", StringComparison.OrdinalIgnoreCase)))
            {
                return VerificationResult.Invalid("header 'digest' is not covered");
            }
        }

        if (Signs("date"))
        {
            var window = SignatureClock.CheckDate(request.Headers.GetCombinedValue("date"), now, policy.ClockSkew);
            if (!window.IsValid)
            {
                return window;
            }
        }

        if (Signs("(created)") && Created is { } created)
        {
            var window = SignatureClock.CheckCreated(created, now, policy.ClockSkew);
            if (!window.IsValid)
            {
                return window;
            }
        }

        if (Expires is { } expires)
        {
            var expiry = SignatureClock.CheckExpires(expires, now);
            if (!expiry.IsValid)
            {
                return expiry;
            }
        }

        if (signsDigest)
        {
            var digest = DigestHeader.Verify(request.Headers.GetCombinedValue(DigestHeader.Name), request.Body.Span);
            if (!digest.IsValid)
            {
                return digest;
            }
        }

        using var writer = new PooledByteWriter(512);
        if (!TryWriteSigningString(request, includeQuery: true, writer, out var error))
        {
            return VerificationResult.Invalid(error);
        }

        if (key.Verify(HttpSignatureAlgorithm.RsaV15Sha256, writer.WrittenSpan, Signature.Span))
        {
            return VerificationResult.Valid;
        }

        if (request.Query is not null && Signs("(request-target)"))
        {
            writer.Clear();
            if (TryWriteSigningString(request, includeQuery: false, writer, out _)
                && key.Verify(HttpSignatureAlgorithm.RsaV15Sha256, writer.WrittenSpan, Signature.Span))
            {
                return VerificationResult.Valid;
            }
        }

        return VerificationResult.Invalid("signature does not match");
    }

    /// <summary>
    /// Signs a request as Mastodon does (<c>rsa-sha256</c>) and adds the <c>Signature</c> header. Adds <c>Host</c>,
    /// <c>Date</c> and, on a POST or a request with a body, <c>Digest</c> when missing. The default signed headers are
    /// <c>(request-target) host date digest</c> (without <c>digest</c> when no Digest is sent). Returns every header
    /// field it added.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Sign(
        HttpRequestSnapshot request,
        HttpSignatureKey key,
        string keyId,
        DateTimeOffset now,
        IReadOnlyList<string>? signedHeaders = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        if (key.KeyType != HttpSignatureKeyType.Rsa)
        {
            throw new InvalidOperationException("draft-cavage signatures are made with RSA keys");
        }

        var added = new List<KeyValuePair<string, string>>();
        MessageSignature.AddIfMissing(request.Headers, "Host", request.Authority, added);
        MessageSignature.AddIfMissing(request.Headers, "Date", SignatureClock.FormatHttpDate(now), added);
        if (!request.Body.IsEmpty || request.Method.Equals("POST", StringComparison.OrdinalIgnoreCase))
        {
            MessageSignature.AddIfMissing(request.Headers, DigestHeader.Name, DigestHeader.Compute(request.Body.Span), added);
        }

        IReadOnlyList<string> names = signedHeaders?.Select(h => h.ToLowerInvariant()).ToArray()
            ?? (request.Headers.Contains(DigestHeader.Name)
                ? ["(request-target)", "host", "date", "digest"]
                : ["(request-target)", "host", "date"]);
        var unsigned = new CavageSignature(keyId, "rsa-sha256", names, true, [], null, null);
        using var writer = new PooledByteWriter(512);
        if (!unsigned.TryWriteSigningString(request, includeQuery: true, writer, out var error))
        {
            throw new InvalidOperationException($"cannot sign: {error}");
        }

        var signature = key.Sign(HttpSignatureAlgorithm.RsaV15Sha256, writer.WrittenSpan);
        var value = $"keyId=\"{Quote(keyId)}\",algorithm=\"rsa-sha256\",headers=\"{string.Join(' ', names)}\",signature=\"{Convert.ToBase64String(signature)}\"";
        request.Headers.Add(HeaderName, value);
        added.Add(new(HeaderName, value));
        return added;
    }

    private bool Signs(string name)
    {
        foreach (var header in CoveredHeaders)
        {
            if (header == name)
            {
                return true;
            }
        }

        return false;
    }

    private bool TryWriteSigningString(HttpRequestSnapshot request, bool includeQuery, PooledByteWriter writer, [NotNullWhen(false)] out string? error)
    {
        for (var i = 0; i < CoveredHeaders.Count; i++)
        {
            var name = CoveredHeaders[i];
            if (i > 0)
            {
                writer.Append('\n');
            }

            switch (name)
            {
                case "(request-target)":
                    writer.Append("(request-target): ").Append(request.Method.ToLowerInvariant()).Append(' ')
                        .Append(includeQuery ? request.RequestTarget : request.Path);
                    continue;
                case "(created)" or "(expires)":
                    if (!IsHs2019)
                    {
                        error = $"{name} is only allowed with algorithm hs2019, not '{AlgorithmName}'";
                        return false;
                    }

                    var number = name == "(created)" ? Created : Expires;
                    if (number is null)
                    {
                        error = $"{name} is signed but the {name.Trim('(', ')')} parameter is missing";
                        return false;
                    }

                    writer.Append(name).Append(": ").Append(number.Value.ToString(CultureInfo.InvariantCulture));
                    continue;
            }

            if (name.StartsWith('('))
            {
                error = $"unknown pseudo-header '{DigestHeader.Shorten(name)}'";
                return false;
            }

            var value = request.Headers.GetCombinedValue(name);
            if (value is null)
            {
                error = $"header '{DigestHeader.Shorten(name)}' is signed but not present";
                return false;
            }

            writer.Append(name).Append(": ").Append(value);
        }

        error = null;
        return true;
    }

    private static string Quote(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    /// <summary>Reads a quoted string that starts at <paramref name="pos"/>; backslash escapes the next character.</summary>
    private static bool TryReadQuoted(ReadOnlySpan<char> span, ref int pos, out string value)
    {
        pos++; // opening quote
        var plainEnd = span[pos..].IndexOfAny('"', '\\');
        if (plainEnd >= 0 && span[pos + plainEnd] == '"')
        {
            value = span.Slice(pos, plainEnd).ToString();
            pos += plainEnd + 1;
            return true;
        }

        var builder = new StringBuilder();
        while (pos < span.Length)
        {
            var c = span[pos++];
            if (c == '\\' && pos < span.Length)
            {
                builder.Append(span[pos++]);
            }
            else if (c == '"')
            {
                value = builder.ToString();
                return true;
            }
            else
            {
                builder.Append(c);
            }
        }

        value = string.Empty;
        return false;
    }

    /// <summary>Reads <c>name="quoted",name=token</c> pairs separated by commas and optional whitespace.</summary>
    private static bool TryParseParameters(string text, [NotNullWhen(true)] out Dictionary<string, string>? parameters, [NotNullWhen(false)] out string? error)
    {
        parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var span = text.AsSpan().Trim();
        if (span.StartsWith("Signature ", StringComparison.OrdinalIgnoreCase))
        {
            span = span["Signature ".Length..];
        }

        var pos = 0;
        while (true)
        {
            while (pos < span.Length && span[pos] is ' ' or '\t' or ',')
            {
                pos++;
            }

            if (pos >= span.Length)
            {
                break;
            }

            var nameStart = pos;
            while (pos < span.Length && span[pos] is not '=' and not ',' and not ' ' and not '\t')
            {
                pos++;
            }

            var name = span[nameStart..pos].ToString();
            while (pos < span.Length && span[pos] is ' ' or '\t')
            {
                pos++;
            }

            if (pos >= span.Length || span[pos] != '=')
            {
                error = $"parameter '{DigestHeader.Shorten(name)}' has no value";
                parameters = null;
                return false;
            }

            pos++;
            while (pos < span.Length && span[pos] is ' ' or '\t')
            {
                pos++;
            }

            string value;
            if (pos < span.Length && span[pos] == '"')
            {
                if (!TryReadQuoted(span, ref pos, out value))
                {
                    error = $"the value of '{DigestHeader.Shorten(name)}' is not closed";
                    parameters = null;
                    return false;
                }
            }
            else
            {
                var valueStart = pos;
                while (pos < span.Length && span[pos] != ',')
                {
                    pos++;
                }

                value = span[valueStart..pos].Trim().ToString();
            }

            if (!parameters.TryAdd(name, value))
            {
                error = $"parameter '{DigestHeader.Shorten(name)}' appears twice";
                parameters = null;
                return false;
            }

            while (pos < span.Length && span[pos] is ' ' or '\t')
            {
                pos++;
            }

            if (pos < span.Length && span[pos] != ',')
            {
                error = $"expected ',' after the value of '{DigestHeader.Shorten(name)}'";
                parameters = null;
                return false;
            }
        }

        if (parameters.Count == 0)
        {
            error = "no parameters";
            parameters = null;
            return false;
        }

        error = null;
        return true;
    }
}
