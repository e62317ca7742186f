using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Aggregation.Tests;

/// <summary>
/// A <see cref="LoopbackServer"/> in front of a real node, at the node's public URL: it passes every request on and may
/// alter one JSON document on the way back, without signing it again, as a compromised cache or a hostile middlebox
/// would.
/// </summary>
internal sealed class TamperingProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Content-Length",
    };

    private readonly HttpClient _upstream;
    private LoopbackServer _server = null!;
    private int _tampered;

    private TamperingProxy(HttpClient upstream)
    {
        _upstream = upstream;
    }

    /// <summary>The path whose JSON answer is altered (such as <c>/actor</c>), and how; null passes everything as it is.</summary>
    public (string Path, Action<JsonObject> Change)? Tamper { get; set; }

    /// <summary>How many answers were altered so far.</summary>
    public int Tampered => Volatile.Read(ref _tampered);

    /// <summary>Listens at <paramref name="publicUrl"/> (http://127.0.0.1:PORT) and forwards to <paramref name="upstream"/>.</summary>
    public static async Task<TamperingProxy> StartAsync(string publicUrl, Uri upstream)
    {
        var listen = new Uri(publicUrl);
        var proxy = new TamperingProxy(new HttpClient { BaseAddress = upstream });
        proxy._server = await LoopbackServer.StartAsync(proxy.ForwardAsync, listen.Host, listen.Port);

        return proxy;
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var request = context.Request;
        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), request.Path + request.QueryString);
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, context.RequestAborted);
            forward.Content = new ByteArrayContent(buffer.ToArray());
        }

        foreach (var (name, values) in request.Headers)
        {
            if (!HopHeaders.Contains(name) && !forward.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                forward.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        // The Host header stays the public one: the node's HTTP signatures cover it.
        forward.Headers.Host = request.Host.Value;
        using var answer = await _upstream.SendAsync(forward, context.RequestAborted);
        var body = await answer.Content.ReadAsByteArrayAsync(context.RequestAborted);
        if (Tamper is { } tamper && answer.IsSuccessStatusCode && request.Path == tamper.Path && JsonNode.Parse(body) is JsonObject document)
        {
            tamper.Change(document);
            body = System.Text.Encoding.UTF8.GetBytes(document.ToJsonString());
            Interlocked.Increment(ref _tampered);
        }

        context.Response.StatusCode = (int)answer.StatusCode;
        foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
        {
            if (!HopHeaders.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        if (body.Length > 0)
        {
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _upstream.Dispose();
    }
}
