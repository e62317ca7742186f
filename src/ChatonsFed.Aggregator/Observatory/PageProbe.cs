using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using ChatonsFed.Federation.Http;

namespace ChatonsFed.Aggregator.Observatory;

/// <summary>The three states a target can be observed in, as the API writes them.</summary>
public static class ObservedState
{
    /// <summary>A 2xx or 3xx answer after at most <see cref="ObservatorySettings.MaxRedirects"/> redirects.</summary>
    public const string Up = "up";

    /// <summary>No connection, no answer in time, or a 5xx answer.</summary>
    public const string Down = "down";

    /// <summary>A 4xx answer, a certificate refused, an address refused, too many redirects.</summary>
    public const string Error = "error";
}

/// <summary>The security headers of the answer, each absent (null) or present with its value (cut to 200 characters).</summary>
public sealed record SecurityHeaders(string? StrictTransportSecurity, string? ContentSecurityPolicy, string? ContentTypeOptions, string? ReferrerPolicy)
{
    public static SecurityHeaders None { get; } = new(null, null, null, null);
}

/// <summary>What one GET of a target gave: its state and reason, the answer's status, time and headers, what was read of it.</summary>
public sealed record ProbeResult
{
    public required string State { get; init; }

    /// <summary><c>timeout</c>, <c>connection refused</c>, <c>http 503</c>, <c>address refused</c>, <c>too many redirects</c>, <c>tls: name mismatch</c>…; null when up.</summary>
    public string? Reason { get; init; }

    public int? HttpStatus { get; init; }

    /// <summary>From the first request to the last answer's headers, in ms; null without an answer.</summary>
    public int? ResponseMs { get; init; }

    /// <summary>The URL that answered last.</summary>
    public Uri? FinalUri { get; init; }

    /// <summary>When the certificate of the host that answered last ends (https only).</summary>
    public DateTimeOffset? TlsValidUntil { get; init; }

    public SecurityHeaders Headers { get; init; } = SecurityHeaders.None;

    /// <summary>The body as read (at most <see cref="ObservatorySettings.MaxBodyBytes"/>), when the answer is HTML.</summary>
    public ReadOnlyMemory<byte> Html { get; init; }

    /// <summary>Whether reading stopped at the size limit.</summary>
    public bool Truncated { get; init; }

    /// <summary>What the server asked with a 429 or 503: not to be asked again for this long.</summary>
    public TimeSpan? RetryAfter { get; init; }
}

/// <summary>
/// One polite GET of a target through the observatory's own client: every hop checked against the address policy
/// (the handler checks the addresses a name resolves to at each connection), redirects followed here, at most three,
/// the whole exchange bounded in time, the body read up to its limit and no further, a new connection per request so
/// that every HTTPS answer comes with the certificate it was made under.
/// </summary>
public sealed class PageProbe(HttpClient http, ObservatorySettings settings, CertificateCapture certificates, TimeProvider time)
{
    /// <summary>The IHttpClientFactory name of the observatory's client.</summary>
    public const string ClientName = "ChatonsFed.Observatory";

    private const int HeaderValueLength = 200;

    /// <summary>Time allowed to one whole exchange; the settings' (10 s) unless a test shortens it.</summary>
    public TimeSpan Timeout { get; init; } = settings.Timeout;

    /// <summary>GETs <paramref name="url"/> and says what came of it; never throws for anything the server does.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<ProbeResult> GetAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var started = time.GetTimestamp();
        var current = url;
        int? status = null;
        int? responseMs = null;
        DateTimeOffset? tls = null;
        try
        {
            for (var hop = 0; ; hop++)
            {
                if (Refusal(current) is { } refused)
                {
                    return refused with { FinalUri = current };
                }

                var host = HostOf(current);
                certificates.Forget(host);
                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                request.Headers.TryAddWithoutValidation("User-Agent", settings.UserAgent);
                request.Headers.TryAddWithoutValidation("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8");
                request.Headers.ConnectionClose = true;
                HttpResponseMessage response;
                try
                {
                    response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested && Failure(e, certificates.Take(host)) is { } failure)
                {
                    return failure with { FinalUri = current, TlsValidUntil = tls };
                }

                using (response)
                {
                    status = (int)response.StatusCode;
                    responseMs = (int)Math.Min(int.MaxValue, time.GetElapsedTime(started).TotalMilliseconds);
                    tls = current.Scheme == Uri.UriSchemeHttps ? certificates.Take(host)?.ValidUntil : null;
                    if (status is >= 300 and < 400 && status != 304 && response.Headers.Location is { } location)
                    {
                        if (hop >= ObservatorySettings.MaxRedirects)
                        {
                            return Result(ObservedState.Error, "too many redirects", status, responseMs, current, tls, response);
                        }

                        if (!Uri.TryCreate(current, location, out var next))
                        {
                            return Result(ObservedState.Error, "bad redirect", status, responseMs, current, tls, response);
                        }

                        current = StripFragment(next);
                        continue;
                    }

                    var state = status switch
                    {
                        >= 200 and < 400 => ObservedState.Up,
                        >= 500 => ObservedState.Down,
                        _ => ObservedState.Error,
                    };
                    var result = Result(state, state == ObservedState.Up ? null : $"http {status}", status, responseMs, current, tls, response);
                    if (state != ObservedState.Up || !IsHtml(response))
                    {
                        return result;
                    }

                    var (body, truncated) = await ReadAsync(response, timeout.Token).ConfigureAwait(false);
                    return result with { Html = body, Truncated = truncated };
                }
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Failure(e, null) is { } failure)
        {
            // Past the headers: the body did not come whole in time, or the connection broke while it came.
            return failure with { HttpStatus = status, ResponseMs = responseMs, FinalUri = current, TlsValidUntil = tls };
        }
    }

    /// <summary>The host name as the certificate check sees it: IDN, without the brackets of an IPv6 literal.</summary>
    public static string HostOf(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.IdnHost.TrimStart('[').TrimEnd(']').ToLowerInvariant();
    }

    public static Uri StripFragment(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.IsAbsoluteUri && url.Fragment.Length > 0 ? new Uri(url.GetLeftPart(UriPartial.Query)) : url;
    }

    private ProbeResult? Refusal(Uri url)
    {
        if (!url.IsAbsoluteUri || !(url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && (settings.Policy.AllowHttp || settings.Policy.AllowPrivateNetwork))))
        {
            return new ProbeResult { State = ObservedState.Error, Reason = "scheme refused" };
        }

        // A literal address is judged here; a name, by the handler on the addresses it resolves to.
        return IPAddress.TryParse(HostOf(url), out var address) && !NetworkAddressPolicy.IsAllowed(address, settings.Policy, out _)
            ? new ProbeResult { State = ObservedState.Error, Reason = "address refused" }
            : null;
    }

    private ProbeResult Result(string state, string? reason, int? status, int? responseMs, Uri current, DateTimeOffset? tls, HttpResponseMessage response) => new()
    {
        State = state,
        Reason = reason,
        HttpStatus = status,
        ResponseMs = responseMs,
        FinalUri = current,
        TlsValidUntil = tls,
        Headers = new SecurityHeaders(
            Header(response, "Strict-Transport-Security"),
            Header(response, "Content-Security-Policy"),
            Header(response, "X-Content-Type-Options"),
            Header(response, "Referrer-Policy")),
        RetryAfter = status is 429 or 503 ? RetryAfter(response) : null,
    };

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        TimeSpan? wait = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - time.GetUtcNow(),
            _ => null,
        };
        return wait is { } w ? TimeSpan.FromTicks(Math.Clamp(w.Ticks, 0, ObservatorySettings.MaxRetryAfter.Ticks)) : null;
    }

    private static string? Header(HttpResponseMessage response, string name)
    {
        if (!response.Headers.TryGetValues(name, out var values) && !response.Content.Headers.TryGetValues(name, out values))
        {
            return null;
        }

        var value = string.Join(", ", values).Trim();
        return value.Length <= HeaderValueLength ? value : value[..HeaderValueLength] + "…";
    }

    private static bool IsHtml(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType is not { } type
        || type.Equals("text/html", StringComparison.OrdinalIgnoreCase)
        || type.Equals("application/xhtml+xml", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads at most <see cref="ObservatorySettings.MaxBodyBytes"/>; the rest is never read (the connection is closed).</summary>
    private static async Task<(ReadOnlyMemory<byte> Body, bool Truncated)> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var declared = response.Content.Headers.ContentLength;
        var buffer = new byte[(int)Math.Clamp(declared ?? 64 * 1024, 1024, ObservatorySettings.MaxBodyBytes)];
        var length = 0;
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            while (length < ObservatorySettings.MaxBodyBytes)
            {
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, ObservatorySettings.MaxBodyBytes));
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return (buffer.AsMemory(0, length), false);
                }

                length += read;
            }
        }

        return (buffer.AsMemory(0, length), true);
    }

    /// <summary>What an exception of the exchange means; null for one that is not the server's doing.</summary>
    private static ProbeResult? Failure(Exception e, CertificateCapture.SeenCertificate? certificate)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is AddressRefusedException)
            {
                return new ProbeResult { State = ObservedState.Error, Reason = "address refused" };
            }

            if (inner is AuthenticationException)
            {
                return new ProbeResult { State = ObservedState.Error, Reason = certificate?.Problem ?? "tls: handshake failed", TlsValidUntil = certificate?.ValidUntil };
            }
        }

        var socket = FindSocketError(e);
        return e switch
        {
            OperationCanceledException or TimeoutException => Down("timeout"),
            HttpRequestException { InnerException: OperationCanceledException or TimeoutException } => Down("timeout"),
            _ when socket == SocketError.ConnectionRefused => Down("connection refused"),
            _ when socket is SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => Down("host not found"),
            _ when socket is SocketError.HostUnreachable or SocketError.NetworkUnreachable => Down("unreachable"),
            _ when socket is SocketError.TimedOut => Down("timeout"),
            HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => Down("host not found"),
            HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => new ProbeResult { State = ObservedState.Error, Reason = certificate?.Problem ?? "tls: handshake failed" },
            HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse or HttpRequestError.ResponseEnded } => Down("invalid response"),
            HttpRequestException { HttpRequestError: HttpRequestError.ConfigurationLimitExceeded } => new ProbeResult { State = ObservedState.Error, Reason = "headers too large" },
            HttpRequestException or IOException or SocketException => Down("connection failed"),
            _ => null,
        };
    }

    private static ProbeResult Down(string reason) => new() { State = ObservedState.Down, Reason = reason };

    private static SocketError? FindSocketError(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode;
            }
        }

        return null;
    }
}
