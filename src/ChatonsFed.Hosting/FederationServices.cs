using ChatonsFed.Federation.Delivery;
using ChatonsFed.Federation.Http;
using ChatonsFed.Federation.Inbox;
using ChatonsFed.Federation.Keys;
using ChatonsFed.Federation.Signing;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Hosting.Storage;
using ChatonsFed.Protocol.HttpSignatures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatonsFed.Hosting;

/// <summary>Wires the federation library to the host: its LiteDB stores, its keys, the inbox verifier and the delivery worker.</summary>
internal static class FederationServices
{
    public static IServiceCollection AddFederation(this IServiceCollection services)
    {
        services.AddSingleton<IDeliveryStore>(p => new LiteDeliveryStore(p.GetRequiredService<DataStore>()));
        services.AddSingleton(p =>
        {
            var options = p.GetRequiredService<IOptions<NodeOptions>>().Value;
            var bounds = new RemoteCacheBounds { MaxEntries = options.RemoteCacheMaxEntries, MaxBytes = options.RemoteCacheMaxBytes };
            return new LiteRemoteActorCache(p.GetRequiredService<DataStore>(), bounds, p.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<IRemoteActorCache>(p => p.GetRequiredService<LiteRemoteActorCache>());
        services.AddHostedService<RemoteCacheMaintenance>();
        services.AddSingleton<ISignatureFlavourMemory>(p => new LiteSignatureFlavourMemory(p.GetRequiredService<DataStore>(), p.GetRequiredService<TimeProvider>()));
        services.AddSingleton(p => p.GetRequiredService<IOptions<NodeOptions>>().Value.OutboundHttp());
        services.AddSingleton(p =>
        {
            var http = p.GetRequiredService<IHttpClientFactory>().CreateClient(OutboundHttp.Federation);
            return new ActivityPubClient(http, p.GetRequiredService<OutboundHttpOptions>(), p.GetRequiredService<TimeProvider>(), p.GetRequiredService<ISignatureFlavourMemory>());
        });
        services.AddOutboundHttp();
        services.AddSingleton<ISigningKeySource>(p => new HostSigningKeys(p.GetRequiredService<ISigningIdentity>()));
        services.AddSingleton(p =>
        {
            var keys = new HostSigningKeys(p.GetRequiredService<ISigningIdentity>());
            var options = p.GetRequiredService<IOptions<NodeOptions>>().Value;
            return new RemoteKeyResolver(p.GetRequiredService<ActivityPubClient>(), p.GetRequiredService<IRemoteActorCache>(), p.GetRequiredService<TimeProvider>(),
                new RemoteKeyOptions
                {
                    SignFetchesWith = () => keys.Current,
                    FetchesPerMinute = options.KeyFetchesPerMinute,
                    FailedHostTtl = TimeSpan.FromMinutes(options.FailedHostMinutes),
                });
        });
        services.AddSingleton(p =>
        {
            var options = p.GetRequiredService<IOptions<NodeOptions>>().Value;
            return new InboxRequestVerifier(p.GetRequiredService<RemoteKeyResolver>(), p.GetRequiredService<TimeProvider>(),
                new InboxVerifierOptions { MaxBodyBytes = options.MaxBodyBytes, MaxJsonDepth = options.MaxJsonDepth, AcceptObjectProofs = options.AcceptObjectProofs });
        });
        services.AddSingleton(p => new DeliveryWorker(
            p.GetRequiredService<IDeliveryStore>(),
            p.GetRequiredService<ActivityPubClient>(),
            p.GetRequiredService<ISigningKeySource>(),
            p.GetRequiredService<TimeProvider>(),
            // Queued jobs wake the worker (DataStore.DeliveriesQueued), and it sleeps until the next retry is due; the
            // poll is only a backstop.
            new DeliveryOptions { PollInterval = TimeSpan.FromMinutes(1), FailurePause = TimeSpan.FromSeconds(1) },
            // Whoever keeps recipients (a role's followers) hears how their deliveries ended.
            observer: DeliveryObservers.Of(p.GetServices<IDeliveryObserver>()),
            logger: p.GetRequiredService<ILogger<DeliveryWorker>>()));
        services.AddHostedService<DeliveryService>();
        return services;
    }
}

/// <summary>
/// The data folder's current RSA key, for signing deliveries and fetches: under the key id of the actor that owns the
/// keys, and under the aggregator actor's key id (the aggregator role signs its Follows with the same key).
/// </summary>
internal sealed class HostSigningKeys(ISigningIdentity identity) : ISigningKeySource
{
    public ActorSigningKey Current => new(identity.RsaKeyId, HttpSignatureKey.FromRsa(identity.Keys.Rsa.Rsa, hasPrivateKey: true));

    public string AggregatorKeyId => new AggregatorUrls(identity.BaseUrl).RsaKeyId;

    public ValueTask<ActorSigningKey?> GetAsync(string keyId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(keyId == identity.RsaKeyId ? Current
            : keyId == AggregatorKeyId ? new ActorSigningKey(keyId, HttpSignatureKey.FromRsa(identity.Keys.Rsa.Rsa, hasPrivateKey: true))
            : null);
}

/// <summary>The observers the roles registered, told in turn; null when there is none.</summary>
internal sealed class DeliveryObservers(IReadOnlyList<IDeliveryObserver> observers) : IDeliveryObserver
{
    public static IDeliveryObserver? Of(IEnumerable<IDeliveryObserver> registered) =>
        registered.ToList() switch
        {
            [] => null,
            [var one] => one,
            var many => new DeliveryObservers(many),
        };

    public async ValueTask OnFinishedAsync(DeliveryJob job, CancellationToken cancellationToken)
    {
        foreach (var observer in observers)
        {
            await observer.OnFinishedAsync(job, cancellationToken);
        }
    }
}

/// <summary>Runs the delivery worker for as long as the host runs.</summary>
internal sealed class DeliveryService(DeliveryWorker worker, DataStore store) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        store.DeliveriesQueued += worker.Wake;
        try
        {
            await worker.RunAsync(stoppingToken);
        }
        finally
        {
            store.DeliveriesQueued -= worker.Wake;
        }
    }
}
