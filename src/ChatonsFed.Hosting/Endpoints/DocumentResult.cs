using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ChatonsFed.Hosting.Endpoints;

/// <summary>
/// Serves fixed bytes with a strong ETag (hash of the bytes) and Last-Modified, answering 304 to a matching
/// If-None-Match, or (without one) to an If-Modified-Since not older than the document.
/// </summary>
public sealed class DocumentResult(string body, string contentType, string etag, DateTimeOffset modified, int statusCode = StatusCodes.Status200OK) : IResult
{
    public const string ActivityJson = "application/activity+json";

    /// <summary>The strong ETag of a document's text: 18 bytes of its SHA-256, base64url, quoted.</summary>
    public static string ETagOf(string json) =>
        "\"" + Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(json)).AsSpan(0, 18)) + "\"";

    public string Body { get; } = body;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var request = httpContext.Request;
        var response = httpContext.Response;
        response.Headers.ETag = etag;
        response.Headers.LastModified = modified.ToString("R", CultureInfo.InvariantCulture);
        response.Headers.Vary = "Accept, Accept-Language";
        response.Headers.CacheControl = "public, max-age=60";
        if (statusCode == StatusCodes.Status200OK && NotModified(request))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.StatusCode = statusCode;
        response.ContentType = contentType;
        var bytes = Encoding.UTF8.GetBytes(Body);
        response.ContentLength = bytes.Length;
        if (!HttpMethods.IsHead(request.Method))
        {
            await response.Body.WriteAsync(bytes, httpContext.RequestAborted);
        }
    }

    private bool NotModified(HttpRequest request)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0)
        {
            foreach (var value in ifNoneMatch)
            {
                foreach (var tag in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    var candidate = tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;
                    if (candidate == "*" || candidate == etag)
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        return HeaderUtilities.TryParseDate(request.Headers.IfModifiedSince.ToString(), out var since)
            && modified.ToUnixTimeSeconds() <= since.ToUnixTimeSeconds();
    }
}

/// <summary>Content negotiation between ActivityPub JSON and the human page.</summary>
public static class Negotiation
{
    /// <summary>True when the request prefers HTML: it accepts text/html and neither ActivityPub media type.</summary>
    public static bool WantsHtml(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var accept = request.Headers.Accept.ToString();
        if (accept.Length == 0)
        {
            return false;
        }

        if (accept.Contains("application/activity+json", StringComparison.OrdinalIgnoreCase)
            || accept.Contains("application/ld+json", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return accept.Contains("text/html", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>"en" when asked by ?lang=en or when Accept-Language ranks English above French; "fr" otherwise.</summary>
    public static string Language(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var lang = request.Query["lang"].ToString();
        if (lang.Length > 0)
        {
            return lang.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? "en" : "fr";
        }

        var best = "fr";
        var bestQuality = -1.0;
        if (StringWithQualityHeaderValue.TryParseList([.. request.Headers.AcceptLanguage.Select(v => v ?? string.Empty)], out var languages))
        {
            foreach (var entry in languages)
            {
                var tag = entry.Value.ToString();
                var quality = entry.Quality ?? 1.0;
                var code = tag.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? "en" : tag.StartsWith("fr", StringComparison.OrdinalIgnoreCase) ? "fr" : null;
                if (code is not null && quality > bestQuality)
                {
                    best = code;
                    bestQuality = quality;
                }
            }
        }

        return best;
    }
}
