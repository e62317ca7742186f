using System.Text;

namespace ChatonsFed.Protocol.HttpSignatures;

/// <summary>What to put in a new RFC 9421 signature. Parameters are written in the order created, keyid, alg, expires, nonce, tag.</summary>
public sealed class MessageSignatureParameters
{
    public required IReadOnlyList<StructuredItem> Components { get; init; }

    public string Label { get; init; } = "sig1";

    public string? KeyId { get; init; }

    public DateTimeOffset? Created { get; init; }

    public DateTimeOffset? Expires { get; init; }

    public string? Nonce { get; init; }

    public string? Tag { get; init; }

    /// <summary>The algorithm; null means the key's default.</summary>
    public HttpSignatureAlgorithm? Algorithm { get; init; }

    /// <summary>Whether to write the <c>alg</c> parameter.</summary>
    public bool IncludeAlgorithm { get; init; } = true;

    internal InnerList ToInnerList(HttpSignatureAlgorithm algorithm)
    {
        var parameters = new StructuredParameters();
        if (Created is { } created)
        {
            parameters.Set("created", BareItem.Integer(created.ToUnixTimeSeconds()));
        }

        if (KeyId is not null)
        {
            parameters.Set("keyid", BareItem.String(KeyId));
        }

        if (IncludeAlgorithm)
        {
            parameters.Set("alg", BareItem.String(algorithm.ToWireName()));
        }

        if (Expires is { } expires)
        {
            parameters.Set("expires", BareItem.Integer(expires.ToUnixTimeSeconds()));
        }

        if (Nonce is not null)
        {
            parameters.Set("nonce", BareItem.String(Nonce));
        }

        if (Tag is not null)
        {
            parameters.Set("tag", BareItem.String(Tag));
        }

        return new InnerList(Components, parameters);
    }
}

/// <summary>Builders for covered component identifiers.</summary>
public static class SignatureComponent
{
    /// <summary>A derived component (<c>@method</c>) or a header field (<c>content-digest</c>), without parameters.</summary>
    public static StructuredItem Named(string name) => new(BareItem.String(name));

    public static StructuredItem QueryParameter(string encodedName) =>
        new(BareItem.String("@query-param"), new StructuredParameters().Set("name", BareItem.String(encodedName)));

    /// <summary>Several components without parameters, in order.</summary>
    public static IReadOnlyList<StructuredItem> List(params string[] names) => [.. names.Select(Named)];

    /// <summary>Components as written inside a Signature-Input inner list, e.g. <c>"@method" "@query-param";name="a"</c>.</summary>
    public static IReadOnlyList<StructuredItem> Parse(string serialized)
    {
        if (StructuredFieldParser.TryParseList("(" + serialized + ")", out var list, out _) && list is [InnerList inner])
        {
            return inner.Items;
        }

        throw new ProtocolFormatException($"'{serialized}' is not a list of component identifiers");
    }
}

public sealed partial class MessageSignature
{
    /// <summary>The components a federation request signature covers, as Fedify sends them.</summary>
    public static IReadOnlyList<StructuredItem> FederationComponents(bool hasBody) =>
        hasBody
            ? SignatureComponent.List("@method", "@target-uri", "@authority", "host", "date", "content-digest")
            : SignatureComponent.List("@method", "@target-uri", "@authority", "host", "date");

    /// <summary>
    /// Signs a request and adds <c>Signature-Input</c> and <c>Signature</c> to its headers (beside any earlier
    /// signatures). Returns the header fields it added. Throws <see cref="InvalidOperationException"/> when a covered
    /// component is missing from the request.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Sign(HttpRequestSnapshot request, HttpSignatureKey key, MessageSignatureParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SignCore(new MessageContext(request, null, null), request.Headers, key, parameters);
    }

    /// <summary>Signs a response and adds <c>Signature-Input</c> and <c>Signature</c> to its headers.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Sign(HttpResponseSnapshot response, HttpSignatureKey key, MessageSignatureParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(response);
        return SignCore(new MessageContext(response.Request, response, null), response.Headers, key, parameters);
    }

    /// <summary>
    /// Signs a server-to-server request the way Fedify does: adds <c>Host</c>, <c>Date</c> and (with a body)
    /// <c>Content-Digest</c> when missing, then signs <c>"@method" "@target-uri" "@authority" "host" "date"</c>
    /// (and <c>"content-digest"</c>) with <c>created</c>, <c>keyid</c> and <c>alg</c>, under label <c>sig1</c>.
    /// Returns every header field it added.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> SignForFederation(HttpRequestSnapshot request, HttpSignatureKey key, string keyId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(key);
        var added = new List<KeyValuePair<string, string>>();
        AddIfMissing(request.Headers, "Host", request.Authority, added);
        AddIfMissing(request.Headers, "Date", SignatureClock.FormatHttpDate(now), added);
        var hasBody = !request.Body.IsEmpty;
        if (hasBody)
        {
            AddIfMissing(request.Headers, ContentDigestHeader.Name, ContentDigestHeader.Compute(request.Body.Span), added);
        }

        added.AddRange(Sign(request, key, new MessageSignatureParameters
        {
            Components = FederationComponents(hasBody),
            KeyId = keyId,
            Created = now,
        }));
        return added;
    }

    internal static void AddIfMissing(HeaderFields headers, string name, string value, List<KeyValuePair<string, string>> added)
    {
        if (!headers.Contains(name))
        {
            headers.Add(name, value);
            added.Add(new(name, value));
        }
    }

    private static List<KeyValuePair<string, string>> SignCore(MessageContext context, HeaderFields headers, HttpSignatureKey key, MessageSignatureParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(parameters);
        var algorithm = parameters.Algorithm ?? key.DefaultAlgorithm;
        var inner = parameters.ToInnerList(algorithm);
        using var writer = new PooledByteWriter();
        if (!SignatureBase.TryWrite(context, inner, writer, out var error))
        {
            throw new InvalidOperationException($"cannot sign: {error}");
        }

        var signature = key.Sign(algorithm, writer.WrittenSpan);
        var input = new StringBuilder(parameters.Label).Append('=');
        StructuredFieldSerializer.AppendMember(input, inner);
        var value = $"{parameters.Label}=:{Convert.ToBase64String(signature)}:";
        headers.Add(InputHeaderName, input.ToString());
        headers.Add(HeaderName, value);
        return [new(InputHeaderName, input.ToString()), new(HeaderName, value)];
    }
}
