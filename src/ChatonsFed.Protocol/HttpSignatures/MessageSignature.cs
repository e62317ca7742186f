using System.Diagnostics.CodeAnalysis;

namespace ChatonsFed.Protocol.HttpSignatures;

/// <summary>
/// One RFC 9421 HTTP message signature: a label's member of <c>Signature-Input</c> (covered components and
/// parameters) and of <c>Signature</c> (the signature bytes).
/// </summary>
/// <remarks>
/// Under <see cref="HttpSignatureVerificationPolicy.RequireFederationCoverage"/> a request signature must cover
/// <c>@method</c>; <c>@target-uri</c> (or <c>@request-target</c> and <c>host</c>); <c>content-digest</c> when the body
/// is not empty; and carry <c>created</c> or cover <c>date</c>. A covered <c>content-digest</c> is always checked
/// against the body.
/// </remarks>
public sealed partial class MessageSignature : ParsedHttpSignature
{
    public const string InputHeaderName = "Signature-Input";
    public const string HeaderName = "Signature";

    private SerializedSignatureParameters? _serialized;

    private MessageSignature(string label, InnerList parameters, byte[] signature)
    {
        Label = label;
        SignatureParameters = parameters;
        Signature = signature;
    }

    public override HttpSignatureFlavour Flavour => HttpSignatureFlavour.Rfc9421;

    public string Label { get; }

    /// <summary>The covered components with the signature's parameters, as in <c>Signature-Input</c>.</summary>
    public InnerList SignatureParameters { get; }

    public IReadOnlyList<StructuredItem> CoveredComponents => SignatureParameters.Items;

    public ReadOnlyMemory<byte> Signature { get; }

    public override string? KeyId => GetString("keyid");

    /// <summary>The <c>alg</c> parameter as sent, when present.</summary>
    public string? Algorithm => GetString("alg");

    public string? Nonce => GetString("nonce");

    public string? Tag => GetString("tag");

    public long? Created => SignatureParameters.Parameters.TryGetValue("created", out var v) && v.TryGetInteger(out var n) ? n : null;

    public long? Expires => SignatureParameters.Parameters.TryGetValue("expires", out var v) && v.TryGetInteger(out var n) ? n : null;

    /// <summary>
    /// Reads the signature labelled <paramref name="label"/> (the first one when null) from the
    /// <c>Signature-Input</c> and <c>Signature</c> fields.
    /// </summary>
    public static bool TryParse(HeaderFields headers, string? label, [NotNullWhen(true)] out MessageSignature? signature, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(headers);
        signature = null;
        if (!TryParseAll(headers, out var all, out error))
        {
            return false;
        }

        foreach (var candidate in all)
        {
            if (label is null || candidate.Label == label)
            {
                signature = candidate;
                return true;
            }
        }

        error = $"no signature labelled '{label}'";
        return false;
    }

    /// <summary>Reads every signature of the message, in the order of <c>Signature-Input</c>.</summary>
    public static bool TryParseAll(HeaderFields headers, [NotNullWhen(true)] out IReadOnlyList<MessageSignature>? signatures, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(headers);
        signatures = null;
        var inputValue = headers.GetCombinedValue(InputHeaderName);
        if (inputValue is null)
        {
            error = "Signature-Input header is missing";
            return false;
        }

        var signatureValue = headers.GetCombinedValue(HeaderName);
        if (signatureValue is null)
        {
            error = "Signature header is missing";
            return false;
        }

        if (!StructuredFieldParser.TryParseDictionary(inputValue, out var inputs, out var parseError))
        {
            error = $"Signature-Input header is malformed: {parseError}";
            return false;
        }

        if (!StructuredFieldParser.TryParseDictionary(signatureValue, out var values, out parseError))
        {
            error = $"Signature header is malformed: {parseError}";
            return false;
        }

        if (inputs.Count == 0)
        {
            error = "Signature-Input header lists no signature";
            return false;
        }

        var result = new List<MessageSignature>(inputs.Count);
        foreach (var (label, member) in inputs)
        {
            if (member is not InnerList list)
            {
                error = $"Signature-Input member '{label}' is not an inner list";
                return false;
            }

            foreach (var item in list.Items)
            {
                if (item.Value.Kind != BareItemKind.String)
                {
                    error = $"Signature-Input member '{label}' covers {item}, which is not a string";
                    return false;
                }
            }

            if (!CheckParameterTypes(label, list.Parameters, out error))
            {
                return false;
            }

            if (!values.TryGetValue(label, out var signatureMember))
            {
                error = $"Signature header has no member for label '{label}'";
                return false;
            }

            if (signatureMember is not StructuredItem { Value.Kind: BareItemKind.ByteSequence } signatureItem)
            {
                error = $"Signature member '{label}' is not a byte sequence";
                return false;
            }

            result.Add(new MessageSignature(label, list, signatureItem.Value.AsBytes.ToArray()));
        }

        signatures = result;
        error = null;
        return true;
    }

    public override VerificationResult Verify(HttpRequestSnapshot request, HttpSignatureKey key, DateTimeOffset now, HttpSignatureVerificationPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(key);
        policy ??= HttpSignatureVerificationPolicy.Default;
        if (policy.RequireFederationCoverage)
        {
            var coverage = CheckFederationCoverage(request);
            if (!coverage.IsValid)
            {
                return coverage;
            }
        }

        return VerifyCore(new MessageContext(request, null, null), request.Headers, request.Body.Span, key, now, policy);
    }

    /// <summary>Checks a response signature; <c>;req</c> components come from <see cref="HttpResponseSnapshot.Request"/>.</summary>
    public VerificationResult Verify(HttpResponseSnapshot response, HttpSignatureKey key, DateTimeOffset now, HttpSignatureVerificationPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(key);
        return VerifyCore(new MessageContext(response.Request, response, null), response.Headers, response.Body.Span, key, now, policy ?? HttpSignatureVerificationPolicy.SignatureOnly);
    }

    /// <summary>Whether the signature covers the plain component <paramref name="name"/> of the message itself (not <c>;req</c>, <c>;key</c> or <c>;bs</c>).</summary>
    public bool Covers(string name)
    {
        foreach (var item in SignatureParameters.Items)
        {
            if (item.Value.AsText == name
                && !item.Parameters.ContainsKey("req")
                && !item.Parameters.ContainsKey("key")
                && !item.Parameters.ContainsKey("bs")
                && !item.Parameters.ContainsKey("name"))
            {
                return true;
            }
        }

        return false;
    }

    private VerificationResult CheckFederationCoverage(HttpRequestSnapshot request)
    {
        if (!Covers("@method"))
        {
            return VerificationResult.Invalid("component '@method' is not covered");
        }

        if (!Covers("@target-uri") && !(Covers("@request-target") && Covers("host")))
        {
            return VerificationResult.Invalid("component '@target-uri' is not covered");
        }

        if (!request.Body.IsEmpty && !Covers("content-digest"))
        {
            return VerificationResult.Invalid("header 'content-digest' is not covered");
        }

        if (Created is null && !Covers("date"))
        {
            return VerificationResult.Invalid("neither the 'created' parameter nor header 'date' is covered");
        }

        return VerificationResult.Valid;
    }

    private VerificationResult VerifyCore(MessageContext context, HeaderFields headers, ReadOnlySpan<byte> body, HttpSignatureKey key, DateTimeOffset now, HttpSignatureVerificationPolicy policy)
    {
        HttpSignatureAlgorithm algorithm;
        if (Algorithm is { } name)
        {
            if (!HttpSignatureAlgorithmNames.TryParse(name, out algorithm))
            {
                return VerificationResult.Invalid($"unsupported algorithm '{DigestHeader.Shorten(name)}'");
            }

            if (!key.Supports(algorithm))
            {
                return VerificationResult.Invalid($"algorithm '{name}' does not match the {HttpSignatureAlgorithmNames.Describe(key.KeyType)} key");
            }
        }
        else
        {
            algorithm = key.DefaultAlgorithm;
        }

        if (Created is { } created)
        {
            var window = SignatureClock.CheckCreated(created, now, policy.ClockSkew);
            if (!window.IsValid)
            {
                return window;
            }
        }
        else if (Covers("date"))
        {
            var window = SignatureClock.CheckDate(headers.GetCombinedValue("date"), now, policy.ClockSkew);
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

        if (Covers("content-digest"))
        {
            var digest = ContentDigestHeader.Verify(headers.GetCombinedValue("content-digest"), body);
            if (!digest.IsValid)
            {
                return digest;
            }
        }

        var serialized = _serialized ??= SerializedSignatureParameters.Create(SignatureParameters);
        using var writer = new PooledByteWriter();
        if (!SignatureBase.TryWrite(context, SignatureParameters, serialized, writer, out var error))
        {
            return VerificationResult.Invalid(error);
        }

        if (key.Verify(algorithm, writer.WrittenSpan, Signature.Span))
        {
            return VerificationResult.Valid;
        }

        if (context.Response is null && context.Request is { Fragment: null } && Covers("@target-uri"))
        {
            foreach (var fragment in policy.TargetUriFragments)
            {
                writer.Clear();
                if (SignatureBase.TryWrite(context with { TargetUriFragment = fragment }, SignatureParameters, serialized, writer, out _)
                    && key.Verify(algorithm, writer.WrittenSpan, Signature.Span))
                {
                    return VerificationResult.Valid;
                }
            }
        }

        return VerificationResult.Invalid("signature does not match");
    }

    private static bool CheckParameterTypes(string label, StructuredParameters parameters, [NotNullWhen(false)] out string? error)
    {
        foreach (var (key, value) in parameters)
        {
            var expected = key switch
            {
                "created" or "expires" => BareItemKind.Integer,
                "keyid" or "alg" or "nonce" or "tag" => BareItemKind.String,
                _ => (BareItemKind?)null,
            };
            if (expected is { } kind && value.Kind != kind)
            {
                error = $"parameter '{key}' of signature '{label}' must be {(kind == BareItemKind.Integer ? "an integer" : "a string")}";
                return false;
            }
        }

        error = null;
        return true;
    }

    private string? GetString(string key) =>
        SignatureParameters.Parameters.TryGetValue(key, out var value) && value.TryGetString(out var text) ? text : null;
}
