using System.Buffers;
using System.Globalization;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Hosting.Operations;
using ChatonsFed.Federation.Inbox;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatonsFed.Hosting.Inbox;

/// <summary>
/// How every inbox of the host takes a POST. Limits come first (unverified requests per client address, body size,
/// JSON depth), then the signature check and the rate per verified actor's host (<see cref="InboxLimits"/>), then the
/// activity; bad input never gets a 5xx.
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
        ArgumentNullException.ThrowIfNull(limits);
        var admission = new InboxAdmission(limits, ClientAddress.NetworkOf(context));
        context.Features.Set(admission);
        ContentHttpResult result;
        string? type;
        try
        {
            (result, type) = await DecideAsync(context, admission, settings, processor);
        }
        finally
        {
            // Also when the client went away meanwhile: leaving early does not make a request free.
            admission.Finish();
        }

        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(InboxEndpoints).FullName!);
        var throttle = context.RequestServices.GetRequiredService<LogThrottle>();
        InboxDecisions.Record(logger, throttle, ClientAddress.Of(context), admission.VerifiedHost ?? "unverified", type, result.StatusCode ?? StatusCodes.Status200OK, result.ResponseContent ?? string.Empty);
        return result;
    }

    private static async Task<(ContentHttpResult Result, string? Type)> DecideAsync(HttpContext context, InboxAdmission admission, NodeOptions settings, IInboxProcessor processor)
    {
        var request = context.Request;

        var retryAfter = admission.Enter();
        if (retryAfter > 0)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            return (TypedResults.Text($"too many unverified requests from this address; retry after {retryAfter} s", statusCode: StatusCodes.Status429TooManyRequests), null);
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
            if (outcome.RetryAfter is { } wait)
            {
                context.Response.Headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
            }

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
