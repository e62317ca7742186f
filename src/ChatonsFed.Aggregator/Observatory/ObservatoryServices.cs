using ChatonsFed.Hosting.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatonsFed.Aggregator.Observatory;

/// <summary>
/// Wires the observatory: its settings, its own HTTP client (own handler and connection limits, so that it never
/// competes with the crawl's), the tables in chatonsfed.db, the book and the runner; the background schedule only in
/// the running host.
/// </summary>
public static class ObservatoryServices
{
    /// <summary>The observatory's parts, for the running host and the offline commands alike.</summary>
    public static IServiceCollection AddObservatory(this IServiceCollection services)
    {
        services.AddSingleton(p => ObservatorySettings.From(p.GetRequiredService<IOptions<NodeOptions>>().Value));
        services.AddSingleton<CertificateCapture>();
        services.AddHttpClient(PageProbe.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(p =>
            {
                var handler = Federation.Http.OutboundHandler.Create(p.GetRequiredService<ObservatorySettings>().Policy);
                handler.MaxConnectionsPerServer = 1;
                handler.PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5);
                handler.MaxResponseHeadersLength = 64;
                handler.ResponseDrainTimeout = TimeSpan.Zero;
                handler.SslOptions.RemoteCertificateValidationCallback = p.GetRequiredService<CertificateCapture>().Validate;
                return handler;
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        services.AddSingleton(p => new PageProbe(
            p.GetRequiredService<IHttpClientFactory>().CreateClient(PageProbe.ClientName),
            p.GetRequiredService<ObservatorySettings>(),
            p.GetRequiredService<CertificateCapture>(),
            p.GetRequiredService<TimeProvider>()));
        services.AddSingleton(_ => ThirdParties.Shipped());
        services.AddSingleton<ObservatoryTables>();
        services.AddSingleton<ObservatoryBook>();
        services.AddSingleton<ServiceObservatory>();
        services.AddSingleton<ObservationViews>();
        return services;
    }

    /// <summary>The background schedule (it does nothing when <c>Observatory:Enabled</c> is false).</summary>
    public static IServiceCollection AddObservatorySchedule(this IServiceCollection services) =>
        services.AddHostedService<ObservatoryScheduler>();
}
