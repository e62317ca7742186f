using System.Text.Json.Nodes;
using ChatonsFed.Protocol.HttpSignatures;

namespace ChatonsFed.Federation.Http;

/// <summary>Why an outbound request did not give a usable answer.</summary>
public enum OutboundError
{
    None,

    /// <summary>The URL is not absolute, or its scheme is not https (or http where allowed).</summary>
    SchemeRefused,

    /// <summary>The host is, or resolves to, an address this node does not connect to (loopback, private, …).</summary>
    AddressRefused,

    /// <summary>No answer in time (connect or overall timeout).</summary>
    Timeout,

    /// <summary>The connection failed or broke.</summary>
    Network,

    /// <summary>The body is larger than the limit.</summary>
    TooLarge,

    /// <summary>More redirects than the limit, or a redirect without a usable Location.</summary>
    TooManyRedirects,

    /// <summary>The server answered with a status that is not success; see <see cref="FetchResult.StatusCode"/>.</summary>
    HttpStatus,

    /// <summary>The body is not a JSON object (or nests too deep, or is not labelled as JSON).</summary>
    NotJson,

    /// <summary>The document has no <c>id</c>, or its <c>id</c> is not on the origin it was fetched from.</summary>
    CrossOriginId,
}

public enum FetchStatus
{
    Ok,

    /// <summary>The conditional request matched: the copy the caller holds is current.</summary>
    NotModified,

    Failed,
}

/// <summary>What a conditional or signed fetch sends besides the URL.</summary>
public sealed class FetchRequest
{
    public static FetchRequest Default { get; } = new();

    /// <summary>The ETag of the copy held; sent as <c>If-None-Match</c>.</summary>
    public string? IfNoneMatch { get; init; }

    /// <summary>The Last-Modified of the copy held; sent as <c>If-Modified-Since</c>.</summary>
    public DateTimeOffset? IfModifiedSince { get; init; }

    /// <summary>Sign the GET with this key (authorized fetch); unsigned when null.</summary>
    public Signing.ActorSigningKey? SignWith { get; init; }

    /// <summary>The largest body taken for this request; the client's <see cref="OutboundHttpOptions.MaxResponseBytes"/> when null.</summary>
    public long? MaxResponseBytes { get; init; }
}

/// <summary>The outcome of fetching an ActivityStreams document.</summary>
public sealed class FetchResult
{
    public required FetchStatus Status { get; init; }

    /// <summary>The document exactly as received, when <see cref="Status"/> is <see cref="FetchStatus.Ok"/>.</summary>
    public JsonObject? Document { get; init; }

    /// <summary>The body bytes as received.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The media type of the body (without parameters), as the server labelled it.</summary>
    public string? MediaType { get; init; }

    /// <summary>The URL that answered, after redirects.</summary>
    public Uri? FinalUri { get; init; }

    public string? ETag { get; init; }

    public DateTimeOffset? LastModified { get; init; }

    public int? StatusCode { get; init; }

    public OutboundError Error { get; init; }

    /// <summary>A sentence a person can read: why it failed.</summary>
    public string? Reason { get; init; }

    public bool IsOk => Status == FetchStatus.Ok;

    internal static FetchResult Fail(OutboundError error, string reason, int? statusCode = null, Uri? uri = null) =>
        new() { Status = FetchStatus.Failed, Error = error, Reason = reason, StatusCode = statusCode, FinalUri = uri };

    public override string ToString() => Status == FetchStatus.Failed ? $"{Error}: {Reason}" : Status.ToString();
}

/// <summary>The outcome of a signed POST (an inbox delivery).</summary>
public sealed class PostResult
{
    /// <summary>The status of the last answer; null when no answer came.</summary>
    public int? StatusCode { get; init; }

    public OutboundError Error { get; init; }

    public string? Reason { get; init; }

    /// <summary>The flavour of the last signed attempt.</summary>
    public HttpSignatureFlavour Flavour { get; init; }

    /// <summary>How many signed requests were sent (1, or 2 after a double-knock).</summary>
    public int Attempts { get; init; }

    /// <summary>The server's Retry-After, when it gave one.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public bool IsSuccess => StatusCode is >= 200 and < 300;

    public override string ToString() => IsSuccess ? $"{StatusCode} ({Flavour})" : $"{Error} {StatusCode}: {Reason}";
}
