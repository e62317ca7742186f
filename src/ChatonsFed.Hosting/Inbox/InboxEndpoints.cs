using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Hosting.Operations;
using ChatonsFed.Federation.Inbox;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatonsFed.Hosting.Inbox;

/// <summary>
/// How every inbox of the host takes a POST. Limits come first (body size, JSON depth, rate per remote host),
/// then the signature check, then the activity; bad input never gets a 5xx.
/// </summary>
public static class InboxEndpoints
{
    /// <summary>
    /// Takes one POST to an inbox: the limits, then <paramref name="processor"/> (signature check and activity). Every
    /// answer is logged and counted (<see cref="InboxDecisions"/>).
    /// </summary>
    public static async Task<IResult> ReceiveWith(HttpContext context, NodeOptions settings, InboxLimits limits, IInboxProcessor processor)
    {
        ArgumentNullException.ThrowIfNull(context);
        var remoteHost = InboxLimits.RemoteHostOf(context.Request);
        var (result, type) = await DecideAsync(context, remoteHost, settings, limits, processor);
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(InboxEndpoints).FullName!);
        var throttle = context.RequestServices.GetRequiredService<LogThrottle>();
        InboxDecisions.Record(logger, throttle, ClientAddress.Of(context), remoteHost, type, result.StatusCode ?? StatusCodes.Status200OK, result.ResponseContent ?? string.Empty);
        return result;
    }

    private static async Task<(ContentHttpResult Result, string? Type)> DecideAsync(HttpContext context, string remoteHost, NodeOptions settings, InboxLimits limits, IInboxProcessor processor)
    {
        var request = context.Request;

        var retryAfter = limits.Acquire(remoteHost);
        if (retryAfter > 0)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            return (TypedResults.Text($"too many requests from this host; retry after {retryAfter} s", statusCode: StatusCodes.Status429TooManyRequests), null);
        }

        if (request.ContentLength > settings.MaxBodyBytes)
        {
            return (TooLarge(settings), null);
        }

        var body = await ReadLimitedAsync(request.Body, settings.MaxBodyBytes, context.RequestAborted);
        if (body is null)
        {
            return (TooLarge(settings), null);
        }

        // Parsed here once: the verifier and the processor read this document, never the body again.
        if (!InboxDocument.TryParse(body, settings.MaxJsonDepth, out var document, out var error, out _))
        {
            var reason = error switch
            {
                InboxBodyError.TooDeep => $"the JSON body is nested deeper than {settings.MaxJsonDepth} levels",
                InboxBodyError.NotUtf8 => "the body is not valid UTF-8 (JSON is UTF-8)",
                InboxBodyError.NotObject => "the body is not a JSON object (an activity)",
                _ => "the body is not valid JSON",
            };
            return (TypedResults.Text(reason, statusCode: StatusCodes.Status400BadRequest), null);
        }

        using (document)
        {
            var outcome = await processor.ProcessAsync(request, document, context.RequestAborted);
            var type = document.Root.TryGetProperty("type", out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : null;
            return (TypedResults.Text(outcome.Reason, statusCode: outcome.StatusCode), type);
        }
    }

    private static ContentHttpResult TooLarge(NodeOptions settings) =>
        TypedResults.Text($"the body is larger than the {settings.MaxBodyBytes} bytes this node accepts", statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>The whole body, or null when it is longer than <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16384);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
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

        return buffer.ToArray();
    }
}

/// <summary>Inbox POSTs per remote host per minute (a fixed window), so one host cannot flood the node.</summary>
public sealed class InboxLimits(IOptions<NodeOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (long WindowStart, int Count)> _windows = new(StringComparer.Ordinal);

    /// <summary>Counts one request; returns 0 when allowed, otherwise the seconds until the window ends.</summary>
    public int Acquire(string host)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var entry = _windows.AddOrUpdate(host, _ => (now, 1), (_, e) => now - e.WindowStart >= 60 ? (now, 1) : (e.WindowStart, e.Count + 1));
        if (_windows.Count > 10_000)
        {
            foreach (var stale in _windows.Where(w => now - w.Value.WindowStart >= 60).Select(w => w.Key).ToList())
            {
                _windows.TryRemove(stale, out _);
            }
        }

        return entry.Count <= options.Value.InboxRequestsPerMinute ? 0 : Math.Max(1, (int)(60 - (now - entry.WindowStart)));
    }

    /// <summary>The host named by the signature's keyId when there is one (the sending server), else the client address.</summary>
    public static string RemoteHostOf(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var signature = request.Headers["Signature"].ToString();
        var input = request.Headers["Signature-Input"].ToString();
        var keyId = KeyIdIn(signature) ?? KeyIdIn(input);
        if (keyId is not null && Uri.TryCreate(keyId, UriKind.Absolute, out var key))
        {
            return key.Host.ToLowerInvariant();
        }

        return request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }

    private static string? KeyIdIn(string header)
    {
        var at = header.IndexOf("keyid=\"", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        var start = at + 7;
        var end = header.IndexOf('"', start);
        return end > start ? header[start..end] : null;
    }
}
