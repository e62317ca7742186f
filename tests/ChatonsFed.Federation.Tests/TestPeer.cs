using System.Collections.Concurrent;
using System.Net;
using ChatonsFed.Protocol.HttpSignatures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatonsFed.Federation.Tests;

/// <summary>A request as the peer received it.</summary>
internal sealed record RecordedRequest(string Method, string PathAndQuery, HeaderFields Headers, byte[] Body, HttpRequestSnapshot Snapshot);

/// <summary>A real Kestrel server on 127.0.0.1 playing another fediverse server; each test sets its handler.</summary>
internal sealed class TestPeer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestPeer(WebApplication app)
    {
        _app = app;
    }

    public Uri BaseUri { get; private set; } = null!;

    public Func<HttpContext, RecordedRequest, Task> Handler { get; set; } = (context, _) =>
    {
        context.Response.StatusCode = 404;
        return Task.CompletedTask;
    };

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public Uri Url(string path) => new(BaseUri, path);

    public static async Task<TestPeer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var peer = new TestPeer(app);
        app.Run(async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var headers = new HeaderFields();
            foreach (var (name, values) in context.Request.Headers)
            {
                foreach (var value in values)
                {
                    headers.Add(name, value ?? string.Empty);
                }
            }

            var rawTarget = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
            var snapshot = new HttpRequestSnapshot(context.Request.Method, $"{context.Request.Scheme}://{context.Request.Host}{rawTarget}", headers, body);
            var recorded = new RecordedRequest(context.Request.Method, rawTarget, headers, body, snapshot);
            peer.Requests.Enqueue(recorded);
            await peer.Handler(context, recorded);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        peer.BaseUri = new Uri(address.TrimEnd('/') + "/");
        return peer;
    }

    /// <summary>Answers with a JSON document, as an ActivityPub server does.</summary>
    public static async Task WriteJsonAsync(HttpContext context, string json, int status = 200, string contentType = "application/activity+json")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(json);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
