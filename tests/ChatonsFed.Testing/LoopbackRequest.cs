using ChatonsFed.Protocol.HttpSignatures;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ChatonsFed.Testing;

/// <summary>
/// A request as a <see cref="LoopbackServer"/> received it: its method, its target exactly as sent (path and query),
/// every header and the whole body, and the same as our HTTP signature code sees a request.
/// </summary>
public sealed record LoopbackRequest(string Method, string PathAndQuery, HeaderFields Headers, byte[] Body, HttpRequestSnapshot Snapshot)
{
    /// <summary>
    /// Reads <paramref name="request"/> whole. The body is read to its end and put back as a buffer, so the code that
    /// answers can read it again.
    /// </summary>
    public static async Task<LoopbackRequest> CaptureAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        var body = buffer.ToArray();
        request.Body = new MemoryStream(body, writable: false);
        var headers = new HeaderFields();
        foreach (var (name, values) in request.Headers)
        {
            foreach (var value in values)
            {
                headers.Add(name, value ?? string.Empty);
            }
        }

        var target = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget
            ?? $"{request.PathBase}{request.Path}{request.QueryString}";
        var snapshot = new HttpRequestSnapshot(request.Method, $"{request.Scheme}://{request.Host.Value}{target}", headers, body);
        return new LoopbackRequest(request.Method, target, headers, body, snapshot);
    }
}
