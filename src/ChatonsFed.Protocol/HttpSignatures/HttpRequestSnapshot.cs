namespace ChatonsFed.Protocol.HttpSignatures;

/// <summary>
/// An HTTP request as a signature sees it, independent of any web framework: method, the absolute target URI as
/// received (scheme, host, port, path, query), ordered header fields and the body bytes.
/// </summary>
public sealed class HttpRequestSnapshot
{
    /// <param name="method">The method as sent, e.g. <c>POST</c>.</param>
    /// <param name="targetUri">The absolute target URI, e.g. <c>https://example.com:8443/inbox?x=1</c>. A fragment is
    /// kept apart: it never travels on the wire, so it is not part of <see cref="TargetUri"/>.</param>
    /// <param name="headers">The header fields; null for none.</param>
    /// <param name="body">The body bytes; empty for none.</param>
    /// <param name="requestTarget">The request-target as it appeared on the request line when it was not in origin
    /// form (absolute form, authority form for CONNECT, <c>*</c>); null means origin form (path and query).</param>
    public HttpRequestSnapshot(
        string method,
        string targetUri,
        HeaderFields? headers = null,
        ReadOnlyMemory<byte> body = default,
        string? requestTarget = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(targetUri);
        Method = method;
        Headers = headers ?? new HeaderFields();
        Body = body;

        var schemeEnd = targetUri.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            throw new ArgumentException($"'{targetUri}' is not an absolute URI", nameof(targetUri));
        }

        Scheme = targetUri[..schemeEnd].ToLowerInvariant();
        var authorityStart = schemeEnd + 3;
        var authorityEnd = targetUri.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = targetUri.Length;
        }

        var rawAuthority = targetUri[authorityStart..authorityEnd];
        var at = rawAuthority.LastIndexOf('@');
        if (at >= 0)
        {
            rawAuthority = rawAuthority[(at + 1)..];
        }

        if (rawAuthority.Length == 0)
        {
            throw new ArgumentException($"'{targetUri}' has no host", nameof(targetUri));
        }

        Authority = NormalizeAuthority(Scheme, rawAuthority);

        var rest = targetUri[authorityEnd..];
        var hash = rest.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            Fragment = rest[(hash + 1)..];
            rest = rest[..hash];
        }

        var question = rest.IndexOf('?', StringComparison.Ordinal);
        Path = question >= 0 ? rest[..question] : rest;
        Query = question >= 0 ? rest[(question + 1)..] : null;
        if (Path.Length == 0)
        {
            Path = "/";
        }

        TargetUri = hash >= 0 ? targetUri[..(authorityEnd + hash)] : targetUri;
        RequestTarget = requestTarget ?? (Query is null ? Path : Path + "?" + Query);
    }

    public string Method { get; }

    /// <summary>The absolute target URI without its fragment, exactly as received.</summary>
    public string TargetUri { get; }

    /// <summary>The scheme in lowercase.</summary>
    public string Scheme { get; }

    /// <summary>Host in lowercase and port, without the scheme's default port (as RFC 9421 <c>@authority</c>).</summary>
    public string Authority { get; }

    /// <summary>The path as received, still percent-encoded; <c>/</c> when empty.</summary>
    public string Path { get; }

    /// <summary>The query without its leading <c>?</c>, still percent-encoded; null when the URI has no <c>?</c>.</summary>
    public string? Query { get; }

    /// <summary>The fragment of the URI the snapshot was made from, without <c>#</c>; null when it had none.</summary>
    public string? Fragment { get; }

    /// <summary>The request-target of the request line: path and query in origin form, unless given otherwise.</summary>
    public string RequestTarget { get; }

    public HeaderFields Headers { get; }

    public ReadOnlyMemory<byte> Body { get; }

    internal static string NormalizeAuthority(string scheme, string authority)
    {
        var lower = authority.ToLowerInvariant();
        var colon = lower.LastIndexOf(':');
        if (colon > 0 && lower.IndexOf(']', colon) < 0)
        {
            var port = lower[(colon + 1)..];
            if ((scheme == "https" && port == "443") || (scheme == "http" && port == "80") || port.Length == 0)
            {
                return lower[..colon];
            }
        }

        return lower;
    }
}

/// <summary>An HTTP response as a signature sees it; <see cref="Request"/> is the request it answers, for <c>;req</c> components.</summary>
public sealed class HttpResponseSnapshot
{
    public HttpResponseSnapshot(int statusCode, HeaderFields? headers = null, ReadOnlyMemory<byte> body = default, HttpRequestSnapshot? request = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 999);
        StatusCode = statusCode;
        Headers = headers ?? new HeaderFields();
        Body = body;
        Request = request;
    }

    public int StatusCode { get; }

    public HeaderFields Headers { get; }

    public ReadOnlyMemory<byte> Body { get; }

    public HttpRequestSnapshot? Request { get; }
}
