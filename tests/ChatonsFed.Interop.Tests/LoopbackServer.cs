using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.HttpSignatures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatonsFed.Interop.Tests;

/// <summary>A Kestrel server on 127.0.0.1 and a free port, with the routes a test maps.</summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    public const string ActivityJson = "application/activity+json";

    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app, Uri origin)
    {
        _app = app;
        Origin = origin;
    }

    /// <summary>The server's origin with a trailing slash, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Origin { get; }

    /// <summary>The origin without a trailing slash, to build ids: http://127.0.0.1:41234.</summary>
    public string OriginText => Origin.GetLeftPart(UriPartial.Authority);

    public static async Task<LoopbackServer> StartAsync(Action<WebApplication> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var port = new Uri(address).Port;
        return new LoopbackServer(app, new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>The request as our HTTP signature code sees it: the exact URL (scheme, host, port), every header, the body.</summary>
    public static async Task<HttpRequestSnapshot> SnapshotAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var headers = new HeaderFields();
        foreach (var (name, values) in request.Headers)
        {
            foreach (var value in values)
            {
                if (value is not null)
                {
                    headers.Add(name, value);
                }
            }
        }

        var url = $"{request.Scheme}://{request.Host.Value}{request.PathBase}{request.Path}{request.QueryString}";
        return new HttpRequestSnapshot(request.Method, url, headers, buffer.ToArray());
    }

    /// <summary>Writes <paramref name="document"/> as application/activity+json.</summary>
    public static Task WriteActivityJsonAsync(HttpResponse response, JsonNode document, int status = StatusCodes.Status200OK)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(document);
        response.StatusCode = status;
        response.ContentType = ActivityJson;
        return response.WriteAsync(document.ToJsonString(), Encoding.UTF8);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
