using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatonsFed.Federation.Signing;
using ChatonsFed.Protocol.HttpSignatures;

namespace ChatonsFed.Federation.Http;

/// <summary>
/// Fetches ActivityStreams documents and posts activities to other servers, within the limits of
/// <see cref="OutboundHttpOptions"/>. Give it an <see cref="HttpClient"/> whose primary handler comes from
/// <see cref="OutboundHandler.Create"/>, which enforces the address policy at connection time.
/// </summary>
/// <remarks>
/// Signed requests knock twice: RFC 9421 first (or the flavour remembered for the origin), then draft-cavage when
/// the answer is 400, 401 or 403 — the statuses by which a server says it did not accept the request as signed — or
/// 500, which some Mastodon versions answered to RFC 9421 signatures they could not parse (Fedify swaps on it too).
/// Other statuses (404, 410, 429, 502–504…) say nothing about the signature, and a second request would only add
/// load. The flavour of an attempt that succeeded (status below 400) is remembered for the origin.
/// </remarks>
public sealed class ActivityPubClient
{
    /// <summary>The Accept header of document fetches.</summary>
    public const string AcceptActivityStreams = "application/activity+json, application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"";

    public const string ActivityJsonMediaType = "application/activity+json";

    private readonly HttpClient _http;
    private readonly OutboundHttpOptions _options;
    private readonly TimeProvider _time;
    private readonly ISignatureFlavourMemory _flavours;

    public ActivityPubClient(HttpClient http, OutboundHttpOptions options, TimeProvider timeProvider, ISignatureFlavourMemory? flavourMemory = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _http = http;
        _options = options;
        _time = timeProvider;
        _flavours = flavourMemory ?? new InMemorySignatureFlavourMemory();
    }

    public OutboundHttpOptions Options => _options;

    public ISignatureFlavourMemory FlavourMemory => _flavours;

    /// <summary>Fetches the document at <paramref name="url"/> unsigned and unconditionally.</summary>
    public Task<FetchResult> FetchObjectAsync(Uri url, CancellationToken cancellationToken) =>
        FetchObjectAsync(url, FetchRequest.Default, cancellationToken);

    /// <summary>
    /// Fetches the document at <paramref name="url"/> (its fragment left out), following up to
    /// <see cref="OutboundHttpOptions.MaxRedirects"/> redirects, each checked like the first URL. The document must be
    /// a JSON object whose <c>id</c> has exactly the origin of the URL that answered.
    /// </summary>
    public Task<FetchResult> FetchObjectAsync(Uri url, FetchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(request);
        return FetchAsync(url, request, AcceptActivityStreams, asActivityStreamsObject: true, cancellationToken);
    }

    /// <summary>
    /// Fetches a document that is not an ActivityStreams object — a WebFinger JRD, a host-meta XRD — within the same
    /// address policy and size, redirect and time limits as <see cref="FetchObjectAsync(Uri, FetchRequest, CancellationToken)"/>,
    /// sending <paramref name="accept"/>. The body is returned as received (<see cref="FetchResult.Body"/>, with its
    /// <see cref="FetchResult.MediaType"/>); it is neither parsed nor checked for an id.
    /// </summary>
    public Task<FetchResult> FetchDocumentAsync(Uri url, string accept, CancellationToken cancellationToken) =>
        FetchDocumentAsync(url, accept, FetchRequest.Default, cancellationToken);

    /// <summary>
    /// As <see cref="FetchDocumentAsync(Uri, string, CancellationToken)"/>, conditional or signed as
    /// <paramref name="request"/> says. For callers that check the document themselves, byte for byte (an aggregator
    /// verifying a chaton's signed documents): nothing is parsed here, so a cross-origin id reaches the caller's checks
    /// and is reported as such.
    /// </summary>
    public Task<FetchResult> FetchDocumentAsync(Uri url, string accept, FetchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentException.ThrowIfNullOrWhiteSpace(accept);
        ArgumentNullException.ThrowIfNull(request);
        return FetchAsync(url, request, accept, asActivityStreamsObject: false, cancellationToken);
    }

    private async Task<FetchResult> FetchAsync(Uri url, FetchRequest request, string accept, bool asActivityStreamsObject, CancellationToken cancellationToken)
    {
        using var timeout = CreateTimeout(cancellationToken);
        var current = StripFragment(url);
        try
        {
            for (var hop = 0; ; hop++)
            {
                if (CheckTarget(current) is { } refused)
                {
                    return refused;
                }

                using var exchange = await SendAsync(HttpMethod.Get, current, ReadOnlyMemory<byte>.Empty, request.SignWith, message =>
                {
                    message.Headers.TryAddWithoutValidation("Accept", accept);
                    if (request.IfNoneMatch is { } etag)
                    {
                        message.Headers.TryAddWithoutValidation("If-None-Match", etag);
                    }

                    if (request.IfModifiedSince is { } since)
                    {
                        message.Headers.IfModifiedSince = since;
                    }
                }, timeout.Token).ConfigureAwait(false);
                var response = exchange.Response;
                var status = (int)response.StatusCode;

                if (status is >= 300 and < 400 && status != 304)
                {
                    if (response.Headers.Location is not { } location)
                    {
                        return FetchResult.Fail(OutboundError.TooManyRedirects, $"{current} answered {status} without a Location", status, current);
                    }

                    if (hop >= _options.MaxRedirects)
                    {
                        return FetchResult.Fail(OutboundError.TooManyRedirects, $"more than {_options.MaxRedirects} redirects from {url}", status, current);
                    }

                    current = StripFragment(location.IsAbsoluteUri ? location : new Uri(current, location));
                    continue;
                }

                var etagValue = response.Headers.ETag?.ToString();
                var lastModified = response.Content.Headers.LastModified;
                if (status == 304)
                {
                    return new FetchResult { Status = FetchStatus.NotModified, FinalUri = current, StatusCode = status, ETag = etagValue ?? request.IfNoneMatch, LastModified = lastModified ?? request.IfModifiedSince };
                }

                if (status is < 200 or >= 300)
                {
                    return FetchResult.Fail(OutboundError.HttpStatus, $"{current} answered HTTP {status}", status, current);
                }

                var mediaType = response.Content.Headers.ContentType?.MediaType;
                if (!asActivityStreamsObject)
                {
                    var raw = await ReadLimitedAsync(response, request.MaxResponseBytes ?? _options.MaxResponseBytes, timeout.Token).ConfigureAwait(false);
                    return raw is null
                        ? FetchResult.Fail(OutboundError.TooLarge, $"the document at {current} is larger than {request.MaxResponseBytes ?? _options.MaxResponseBytes} bytes", status, current)
                        : new FetchResult { Status = FetchStatus.Ok, Body = raw, MediaType = mediaType, FinalUri = current, StatusCode = status, ETag = etagValue, LastModified = lastModified };
                }

                if (mediaType is null || !(mediaType.EndsWith("/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
                {
                    return FetchResult.Fail(OutboundError.NotJson, $"{current} answered with content type '{mediaType ?? "none"}', not JSON", status, current);
                }

                var body = await ReadLimitedAsync(response, request.MaxResponseBytes ?? _options.MaxResponseBytes, timeout.Token).ConfigureAwait(false);
                if (body is null)
                {
                    return FetchResult.Fail(OutboundError.TooLarge, $"the document at {current} is larger than {request.MaxResponseBytes ?? _options.MaxResponseBytes} bytes", status, current);
                }

                JsonObject? document;
                try
                {
                    document = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = _options.MaxJsonDepth }) as JsonObject;
                }
                catch (JsonException e)
                {
                    return FetchResult.Fail(OutboundError.NotJson, $"the document at {current} is not valid JSON: {e.Message}", status, current);
                }

                if (document is null)
                {
                    return FetchResult.Fail(OutboundError.NotJson, $"the document at {current} is not a JSON object", status, current);
                }

                if (CheckId(document, current) is { } idFailure)
                {
                    return FetchResult.Fail(OutboundError.CrossOriginId, idFailure, status, current);
                }

                return new FetchResult
                {
                    Status = FetchStatus.Ok,
                    Document = document,
                    Body = body,
                    MediaType = mediaType,
                    FinalUri = current,
                    StatusCode = status,
                    ETag = etagValue,
                    LastModified = lastModified,
                };
            }
        }
        catch (Exception e) when (Classify(e, cancellationToken) is { } failure)
        {
            return FetchResult.Fail(failure.Error, $"{current}: {failure.Reason}", uri: current);
        }
    }

    /// <summary>
    /// Posts <paramref name="body"/> (the activity as signed, sent byte for byte) to <paramref name="inbox"/>, signed with
    /// <paramref name="key"/>, knocking twice when the first flavour is refused. Redirects are not followed.
    /// </summary>
    public async Task<PostResult> PostActivityAsync(Uri inbox, ReadOnlyMemory<byte> body, ActorSigningKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        ArgumentNullException.ThrowIfNull(key);
        using var timeout = CreateTimeout(cancellationToken);
        inbox = StripFragment(inbox);
        if (CheckTarget(inbox) is { } refused)
        {
            return new PostResult { Error = refused.Error, Reason = refused.Reason };
        }

        try
        {
            using var exchange = await SendAsync(HttpMethod.Post, inbox, body, key, message =>
            {
                message.Headers.TryAddWithoutValidation("Accept", AcceptActivityStreams);
                message.Content!.Headers.ContentType = new MediaTypeHeaderValue(ActivityJsonMediaType);
            }, timeout.Token).ConfigureAwait(false);
            var response = exchange.Response;
            var status = (int)response.StatusCode;
            TimeSpan? retryAfter = response.Headers.RetryAfter switch
            {
                { Delta: { } delta } => delta,
                { Date: { } date } => date - _time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
                _ => null,
            };
            return new PostResult
            {
                StatusCode = status,
                Flavour = exchange.Flavour,
                Attempts = exchange.Attempts,
                RetryAfter = retryAfter,
                Error = status is >= 200 and < 300 ? OutboundError.None : OutboundError.HttpStatus,
                Reason = status is >= 200 and < 300 ? null : $"{inbox} answered HTTP {status}",
            };
        }
        catch (Exception e) when (Classify(e, cancellationToken) is { } failure)
        {
            return new PostResult { Error = failure.Error, Reason = $"{inbox}: {failure.Reason}" };
        }
    }

    /// <summary>Sends one request, signed and double-knocked when a key is given. The caller disposes the result.</summary>
    private async Task<Exchange> SendAsync(HttpMethod method, Uri uri, ReadOnlyMemory<byte> body, ActorSigningKey? key, Action<HttpRequestMessage> configure, CancellationToken cancellationToken)
    {
        if (key is null)
        {
            using var plain = CreateMessage(method, uri, body, configure);
            return new Exchange(await _http.SendAsync(plain, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false), HttpSignatureFlavour.None, 1);
        }

        var origin = RequestSigner.OriginOf(uri);
        var first = await _flavours.GetAsync(origin, cancellationToken).ConfigureAwait(false) ?? HttpSignatureFlavour.Rfc9421;
        var response = await SendSignedAsync(method, uri, body, key, first, configure, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (status < 400)
        {
            await _flavours.RememberAsync(origin, first, cancellationToken).ConfigureAwait(false);
            return new Exchange(response, first, 1);
        }

        if (status is not (400 or 401 or 403 or 500))
        {
            return new Exchange(response, first, 1);
        }

        response.Dispose();
        var second = RequestSigner.Other(first);
        response = await SendSignedAsync(method, uri, body, key, second, configure, cancellationToken).ConfigureAwait(false);
        if ((int)response.StatusCode < 400)
        {
            await _flavours.RememberAsync(origin, second, cancellationToken).ConfigureAwait(false);
        }

        return new Exchange(response, second, 2);
    }

    private async Task<HttpResponseMessage> SendSignedAsync(HttpMethod method, Uri uri, ReadOnlyMemory<byte> body, ActorSigningKey key, HttpSignatureFlavour flavour, Action<HttpRequestMessage> configure, CancellationToken cancellationToken)
    {
        using var message = CreateMessage(method, uri, body, configure);
        RequestSigner.Sign(message, body, key, flavour, _time.GetUtcNow());
        return await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
    }

    private HttpRequestMessage CreateMessage(HttpMethod method, Uri uri, ReadOnlyMemory<byte> body, Action<HttpRequestMessage> configure)
    {
        var message = new HttpRequestMessage(method, uri);
        message.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
        if (method != HttpMethod.Get)
        {
            message.Content = new ReadOnlyMemoryContent(body);
        }

        configure(message);
        return message;
    }

    private CancellationTokenSource CreateTimeout(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_options.RequestTimeout > TimeSpan.Zero && _options.RequestTimeout != Timeout.InfiniteTimeSpan)
        {
            source.CancelAfter(_options.RequestTimeout);
        }

        return source;
    }

    /// <summary>Reads the body up to the limit; null when it is larger.</summary>
    private static async Task<byte[]?> ReadLimitedAsync(HttpResponseMessage response, long max, CancellationToken cancellationToken)
    {
        var declared = response.Content.Headers.ContentLength;
        if (declared > max)
        {
            return null;
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            if (declared is { } length)
            {
                // The length is known and within bounds: the body is read into an array of its own size, with no copy.
                var body = new byte[length];
                var filled = 0;
                while (filled < body.Length)
                {
                    var read = await stream.ReadAsync(body.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return body[..filled];
                    }

                    filled += read;
                }

                return body;
            }

            using var buffer = new MemoryStream();
            var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                while (true)
                {
                    var read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return buffer.ToArray();
                    }

                    if (buffer.Length + read > max)
                    {
                        return null;
                    }

                    buffer.Write(chunk, 0, read);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }
    }

    private FetchResult? CheckTarget(Uri uri)
    {
        if (!uri.IsAbsoluteUri || !_options.IsSchemeAllowed(uri.Scheme))
        {
            return FetchResult.Fail(OutboundError.SchemeRefused, $"'{uri}' is not an {(_options.AllowHttp || _options.AllowPrivateNetwork ? "http(s)" : "https")} URL", uri: uri);
        }

        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            && IPAddress.TryParse(uri.IdnHost.TrimStart('[').TrimEnd(']'), out var address)
            && !NetworkAddressPolicy.IsAllowed(address, _options, out var reason))
        {
            return FetchResult.Fail(OutboundError.AddressRefused, $"{uri}: {reason}, which this node does not connect to", uri: uri);
        }

        return null;
    }

    private static string? CheckId(JsonObject document, Uri fetched)
    {
        if (document["id"] is not JsonValue idValue || !idValue.TryGetValue<string>(out var id))
        {
            return $"the document at {fetched} has no id";
        }

        if (!Uri.TryCreate(id, UriKind.Absolute, out var idUri))
        {
            return $"the id '{id}' of the document at {fetched} is not an absolute URL";
        }

        var expected = RequestSigner.OriginOf(fetched);
        var actual = RequestSigner.OriginOf(idUri);
        return expected == actual ? null : $"the document at {fetched} claims the id {id}, which is not on the origin {expected}";
    }

    private static Uri StripFragment(Uri uri) =>
        uri.IsAbsoluteUri && uri.Fragment.Length > 0 ? new Uri(uri.GetLeftPart(UriPartial.Query)) : uri;

    private static (OutboundError Error, string Reason)? Classify(Exception e, CancellationToken callerToken)
    {
        if (callerToken.IsCancellationRequested)
        {
            return null;
        }

        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is AddressRefusedException refused)
            {
                return (OutboundError.AddressRefused, refused.Message);
            }
        }

        return e switch
        {
            OperationCanceledException or TimeoutException => (OutboundError.Timeout, "no answer in time"),
            HttpRequestException http when http.InnerException is OperationCanceledException or TimeoutException => (OutboundError.Timeout, "no connection in time"),
            HttpRequestException http => (OutboundError.Network, http.Message),
            IOException io => (OutboundError.Network, io.Message),
            _ => null,
        };
    }

    private sealed class Exchange(HttpResponseMessage response, HttpSignatureFlavour flavour, int attempts) : IDisposable
    {
        public HttpResponseMessage Response { get; } = response;

        public HttpSignatureFlavour Flavour { get; } = flavour;

        public int Attempts { get; } = attempts;

        public void Dispose() => Response.Dispose();
    }
}
