using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Hosting.Endpoints;

/// <summary>
/// Answers a request an endpoint could not read (a body that is not JSON, not UTF-8, cut short or of the wrong shape; a
/// parameter of the wrong type; a body too large) with its status and a problem document saying what is wrong, rather
/// than an empty 400. The endpoints throw <see cref="BadHttpRequestException"/> for most of these (<c>ThrowOnBadRequest</c>);
/// an empty 400 or 415 left by the framework gets a general reason.
/// </summary>
public static partial class BadRequests
{
    public static async Task AnswerAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            await Problem(context, e.StatusCode, ReasonOf(e));
            return;
        }

        // Some refusals of the framework set the status without throwing, and without a body: they get a reason too.
        var response = context.Response;
        if (!response.HasStarted && response.ContentType is null && response.ContentLength is null)
        {
            var reason = response.StatusCode switch
            {
                StatusCodes.Status415UnsupportedMediaType => "the body must be JSON, sent with 'Content-Type: application/json'",
                StatusCodes.Status400BadRequest => "a parameter of the request is missing or has a value of the wrong type",
                _ => null,
            };
            if (reason is not null)
            {
                await Problem(context, response.StatusCode, reason);
            }
        }
    }

    private static Task Problem(HttpContext context, int status, string reason) =>
        TypedResults.Problem(title: "The request cannot be read", detail: reason, statusCode: status).ExecuteAsync(context);

    /// <summary>What is wrong with the request, in words that name the JSON path or the parameter, never a .NET type.</summary>
    public static string ReasonOf(BadHttpRequestException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var json = exception.InnerException as JsonException;
        var where = json?.Path is { Length: > 0 } path ? $" at {path}" : string.Empty;
        var message = json?.Message ?? string.Empty;
        if (json is not null && Causes(json).Any(cause => cause.Message.Contains("UTF-8", StringComparison.OrdinalIgnoreCase)))
        {
            return $"the body is not valid UTF-8{where}";
        }

        if (json is not null && message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return $"the JSON value{where} is not of the expected type";
        }

        if (json is not null)
        {
            var position = json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})" : string.Empty;
            var first = message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].Trim();
            return $"the body is not valid JSON{position}: {first}";
        }

        if (exception.Message.Contains("no body was provided", StringComparison.Ordinal)
            || (exception.Message.StartsWith("Required parameter", StringComparison.Ordinal) && exception.Message.Contains("from body", StringComparison.Ordinal)))
        {
            return "the request needs a JSON body";
        }

        // The framework's message names the parameter with its .NET type ("int? limit"): only its name is kept.
        return TypedParameter().Replace(exception.Message, "'$1'");
    }

    private static IEnumerable<Exception> Causes(Exception exception)
    {
        for (var cause = exception; cause is not null; cause = cause.InnerException)
        {
            yield return cause;
        }
    }

    [GeneratedRegex("\"(?:[^\"]+ )([A-Za-z_][A-Za-z0-9_]*)\"")]
    private static partial Regex TypedParameter();
}
