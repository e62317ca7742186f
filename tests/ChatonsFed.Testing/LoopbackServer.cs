using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatonsFed.Testing;

/// <summary>
/// A real Kestrel server on a loopback address (127.0.0.1 unless another 127.0.0.x is given) and a free port unless
/// one is given, answering with a request delegate, a route table, or <see cref="Handler"/> after recording each
/// request. Every request is counted, whatever answers it.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    /// <summary>The ActivityPub media type.</summary>
    public const string ActivityJson = "application/activity+json";

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;
    private int _requestCount;

    private LoopbackServer(WebApplication app)
    {
        _app = app;
        Stopping = app.Lifetime.ApplicationStopping;
    }

    /// <summary>The server's origin with a final slash, such as http://127.0.0.1:41234/.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>The server's origin without a final slash, to build URLs and ids: http://127.0.0.1:41234.</summary>
    public string Url => BaseUri.GetLeftPart(UriPartial.Authority);

    /// <summary>The port the server listens on.</summary>
    public int Port => BaseUri.Port;

    /// <summary>How many requests the server got so far, whatever their path.</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>Every request received, in order, when the server was started by <see cref="StartRecordingAsync"/>.</summary>
    public ConcurrentQueue<LoopbackRequest> Requests { get; } = new();

    /// <summary>
    /// What answers a recorded request (see <see cref="StartRecordingAsync"/>); a test may change it at any time. By
    /// default 404.
    /// </summary>
    public Func<HttpContext, LoopbackRequest, Task> Handler { get; set; } = (context, _) =>
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    };

    /// <summary>Cancelled when the server stops, so that a handler that hangs on purpose ends with it.</summary>
    public CancellationToken Stopping { get; }

    /// <summary>The absolute URL of <paramref name="relative"/> (such as <c>users/alice</c>) on this server.</summary>
    public Uri Address(string relative) => new(BaseUri, relative);

    /// <summary>Starts a server that answers every request with <paramref name="handler"/>.</summary>
    public static Task<LoopbackServer> StartAsync(RequestDelegate handler, string host = "127.0.0.1", int port = 0)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return StartCoreAsync(host, port, (app, _) => app.Run(handler));
    }

    /// <summary>Starts a server with the routes and middleware that <paramref name="map"/> adds.</summary>
    public static Task<LoopbackServer> StartAsync(Action<WebApplication> map, string host = "127.0.0.1", int port = 0)
    {
        ArgumentNullException.ThrowIfNull(map);
        return StartCoreAsync(host, port, (app, _) => map(app));
    }

    /// <summary>
    /// Starts a server that reads each request whole, adds it to <see cref="Requests"/> and answers it with
    /// <see cref="Handler"/>.
    /// </summary>
    public static Task<LoopbackServer> StartRecordingAsync(string host = "127.0.0.1", int port = 0) =>
        StartCoreAsync(host, port, (app, server) => app.Run(async context =>
        {
            var request = await LoopbackRequest.CaptureAsync(context.Request);
            server.Requests.Enqueue(request);
            await server.Handler(context, request);
        }));

    /// <summary>Answers with <paramref name="json"/> as <paramref name="contentType"/> (ActivityPub's by default).</summary>
    public static Task WriteJsonAsync(HttpContext context, string json, int status = StatusCodes.Status200OK, string contentType = ActivityJson)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(json, Encoding.UTF8, context.RequestAborted);
    }

    private static async Task<LoopbackServer> StartCoreAsync(string host, int port, Action<WebApplication, LoopbackServer> configure)
    {
        var address = IPAddress.Parse(host);
        if (!IPAddress.IsLoopback(address))
        {
            throw new ArgumentException($"{host} is not a loopback address", nameof(host));
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, port));
        var app = builder.Build();
        var server = new LoopbackServer(app);
        app.Use((context, next) =>
        {
            Interlocked.Increment(ref server._requestCount);
            return next(context);
        });
        configure(app, server);
        await app.StartAsync();
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        server.BaseUri = new Uri($"http://{host}:{bound.Port}/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(StopTimeout))
        {
            await _app.StopAsync(timeout.Token);
        }

        await _app.DisposeAsync();
    }
}
