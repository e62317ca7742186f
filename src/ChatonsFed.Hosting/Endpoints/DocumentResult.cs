using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ChatonsFed.Hosting.Endpoints;

/// <summary>
/// Serves fixed bytes with a strong ETag (hash of the bytes) and Last-Modified, answering 304 to a matching
/// If-None-Match, or (without one) to an If-Modified-Since not older than the document. The body is encoded and the
/// headers formatted once, when the result is made: an instance holds no per-request state, so one kept in a cache
/// answers any number of requests, concurrently, without further work.
/// </summary>
public sealed class DocumentResult : IResult
{
    public const string ActivityJson = "application/activity+json";

    private const string VaryValue = "Accept, Accept-Language";
    private const string CacheControlValue = "public, max-age=60";

    private readonly byte[] _bytes;
    private readonly string _contentType;
    private readonly string _etag;
    private readonly DateTimeOffset _modified;
    private readonly string _lastModified;
    private readonly int _statusCode;

    public DocumentResult(string body, string contentType, string etag, DateTimeOffset modified, int statusCode = StatusCodes.Status200OK)
    {
        ArgumentNullException.ThrowIfNull(body);
        Body = body;
        _bytes = Encoding.UTF8.GetBytes(body);
        _contentType = contentType;
        _etag = etag;
        _modified = modified;
        _lastModified = modified.ToString("R", CultureInfo.InvariantCulture);
        _statusCode = statusCode;
    }

    /// <summary>The strong ETag of a document's text: 18 bytes of its SHA-256, base64url, quoted.</summary>
    public static string ETagOf(string json) =>
        "\"" + Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(json)).AsSpan(0, 18)) + "\"";

    public string Body { get; }

    public string ETag => _etag;

    public int StatusCode => _statusCode;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var request = httpContext.Request;
        var response = httpContext.Response;
        var headers = response.Headers;
        headers.ETag = _etag;
        headers.LastModified = _lastModified;
        headers.Vary = VaryValue;
        headers.CacheControl = CacheControlValue;
        if (_statusCode == StatusCodes.Status200OK && NotModified(request))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.StatusCode = _statusCode;
        response.ContentType = _contentType;
        response.ContentLength = _bytes.Length;
        return HttpMethods.IsHead(request.Method)
            ? Task.CompletedTask
            : response.Body.WriteAsync(_bytes, httpContext.RequestAborted).AsTask();
    }

    private bool NotModified(HttpRequest request)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0)
        {
            // The usual case first: the one tag a cache stored, sent back as it was.
            if (ifNoneMatch.Count == 1 && string.Equals(ifNoneMatch[0], _etag, StringComparison.Ordinal))
            {
                return true;
            }

            foreach (var value in ifNoneMatch)
            {
                foreach (var tag in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    var candidate = tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;
                    if (candidate == "*" || candidate == _etag)
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        return HeaderUtilities.TryParseDate(request.Headers.IfModifiedSince.ToString(), out var since)
            && _modified.ToUnixTimeSeconds() <= since.ToUnixTimeSeconds();
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
