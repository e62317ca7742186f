using System.Net;
using ChatonsFed.Federation.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ChatonsFed.Hosting;

/// <summary>
/// The outbound HTTP clients of the node and the command line, all from <see cref="IHttpClientFactory"/>, with their
/// handlers and timeouts set here and nowhere else.
/// </summary>
public static class OutboundHttp
{
    /// <summary>
    /// Requests to other servers: the address policy of <see cref="OutboundHandler"/> as primary handler, built from the
    /// registered <see cref="OutboundHttpOptions"/>. No client timeout and no automatic retry: <see cref="ActivityPubClient"/>
    /// bounds each operation (<see cref="OutboundHttpOptions.RequestTimeout"/>, size, redirects), and the delivery
    /// worker retries signed POSTs itself, durably, where a second send cannot be mistaken for a new activity.
    /// </summary>
    public const string Federation = "ChatonsFed.Federation";

    /// <summary>The running node's admin API on loopback, which the address policy would refuse by design. No client timeout: an admin call may crawl the directory.</summary>
    public const string Admin = "ChatonsFed.Admin";

    /// <summary>Pages and JSON of nodes started on this machine (the demo federation): loopback, at most <see cref="LocalTimeout"/> a request.</summary>
    public const string Local = "ChatonsFed.Local";

    /// <summary>Time allowed to one request of the <see cref="Local"/> client.</summary>
    public static readonly TimeSpan LocalTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Registers the <see cref="Federation"/>, <see cref="Admin"/> and <see cref="Local"/> clients. The
    /// <see cref="Federation"/> client needs an <see cref="OutboundHttpOptions"/> in the container.
    /// </summary>
    public static IServiceCollection AddOutboundHttp(this IServiceCollection services)
    {
        // The factory keeps each primary handler for good (no handler rotation): the policy handler resolves names and
        // checks the addresses at every new connection, and recycles its pooled connections every few minutes, so a
        // changed DNS answer is seen without replacing it. The factory's request logging is left out: a node logs
        // outcomes, not every request.
        services.AddHttpClient(Federation, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(p => OutboundHandler.Create(p.GetRequiredService<OutboundHttpOptions>()))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        services.AddHttpClient(Admin, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(LoopbackHandler)
            .RemoveAllLoggers();
        services.AddHttpClient(Local, client => client.Timeout = LocalTimeout)
            .ConfigurePrimaryHttpMessageHandler(LoopbackHandler)
            .RemoveAllLoggers();
        return services;
    }

    private static SocketsHttpHandler LoopbackHandler() => new() { UseProxy = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.All };
}

/// <summary>
/// A small container with the <see cref="OutboundHttp"/> clients, for code that runs without the web host (the
/// command line, a data folder opened while the node is stopped). Disposing it releases the handlers.
/// </summary>
public sealed class OutboundClients : IDisposable
{
    private readonly ServiceProvider _provider;
    private readonly IHttpClientFactory _factory;

    private OutboundClients(ServiceProvider provider)
    {
        _provider = provider;
        _factory = provider.GetRequiredService<IHttpClientFactory>();
    }

    /// <summary>Clients whose <see cref="OutboundHttp.Federation"/> requests follow <paramref name="outbound"/> (which may be null when only loopback clients are used).</summary>
    public static OutboundClients Create(OutboundHttpOptions? outbound)
    {
        var services = new ServiceCollection();
        if (outbound is not null)
        {
            services.AddSingleton(outbound);
        }

        services.AddOutboundHttp();
        return new OutboundClients(services.BuildServiceProvider());
    }

    /// <summary>A client for other servers, under the address policy.</summary>
    /// <exception cref="InvalidOperationException">These clients were created without <see cref="OutboundHttpOptions"/>.</exception>
    public HttpClient CreateFederationClient() => _factory.CreateClient(OutboundHttp.Federation);

    /// <summary>A client by name (<see cref="OutboundHttp.Admin"/>, <see cref="OutboundHttp.Local"/>).</summary>
    public HttpClient CreateClient(string name) => _factory.CreateClient(name);

    public void Dispose() => _provider.Dispose();
}
