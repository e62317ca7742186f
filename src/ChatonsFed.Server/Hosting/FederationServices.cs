using ChatonsFed.Federation.Delivery;
using ChatonsFed.Federation.Http;
using ChatonsFed.Federation.Inbox;
using ChatonsFed.Federation.Keys;
using ChatonsFed.Federation.Signing;
using ChatonsFed.Protocol.HttpSignatures;
using ChatonsFed.Server.Admin;
using ChatonsFed.Server.Configuration;
using ChatonsFed.Server.Inbox;
using ChatonsFed.Server.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatonsFed.Server.Hosting;

/// <summary>Wires the federation library to the node: its LiteDB stores, its keys, the inbox verifier and the delivery worker.</summary>
internal static class FederationServices
{
    public static IServiceCollection AddNodeFederation(this IServiceCollection services)
    {
        services.AddSingleton<IDeliveryStore>(p => new LiteDeliveryStore(p.GetRequiredService<NodeStore>()));
        services.AddSingleton<IRemoteActorCache>(p => new LiteRemoteActorCache(p.GetRequiredService<NodeStore>()));
        services.AddSingleton<ISignatureFlavourMemory>(p => new LiteSignatureFlavourMemory(p.GetRequiredService<NodeStore>(), p.GetRequiredService<TimeProvider>()));
        services.AddSingleton(p => p.GetRequiredService<IOptions<NodeOptions>>().Value.OutboundHttp());
        services.AddSingleton(p =>
        {
            var outbound = p.GetRequiredService<OutboundHttpOptions>();
#pragma warning disable CA2000 // The client owns its handler and lives as long as the node.
            var http = new HttpClient(OutboundHandler.Create(outbound), disposeHandler: true);
#pragma warning restore CA2000
            return new ActivityPubClient(http, outbound, p.GetRequiredService<TimeProvider>(), p.GetRequiredService<ISignatureFlavourMemory>());
        });
        services.AddSingleton<ISigningKeySource>(p => new NodeSigningKeys(p.GetRequiredService<ChatonNode>()));
        services.AddSingleton(p =>
        {
            var node = p.GetRequiredService<ChatonNode>();
            var keys = new NodeSigningKeys(node);
            return new RemoteKeyResolver(p.GetRequiredService<ActivityPubClient>(), p.GetRequiredService<IRemoteActorCache>(), p.GetRequiredService<TimeProvider>(),
                new RemoteKeyOptions { SignFetchesWith = () => keys.Current });
        });
        services.AddSingleton(p =>
        {
            var options = p.GetRequiredService<IOptions<NodeOptions>>().Value;
            return new InboxRequestVerifier(p.GetRequiredService<RemoteKeyResolver>(), p.GetRequiredService<TimeProvider>(),
                new InboxVerifierOptions { MaxBodyBytes = options.MaxBodyBytes, MaxJsonDepth = options.MaxJsonDepth, AcceptObjectProofs = options.AcceptObjectProofs });
        });
        services.AddSingleton<IInboxProcessor, InboxProcessor>();
        services.AddSingleton(p => new DeliveryWorker(
            p.GetRequiredService<IDeliveryStore>(),
            p.GetRequiredService<ActivityPubClient>(),
            p.GetRequiredService<ISigningKeySource>(),
            p.GetRequiredService<TimeProvider>(),
            // Queued jobs wake the worker (NodeStore.DeliveriesQueued), and it sleeps until the next retry is due; the
            // poll is only a backstop.
            new DeliveryOptions { PollInterval = TimeSpan.FromMinutes(1), FailurePause = TimeSpan.FromSeconds(1) },
            logger: p.GetRequiredService<ILogger<DeliveryWorker>>()));
        services.AddHostedService<DeliveryService>();
        return services;
    }
}

/// <summary>The node's current RSA key, by its key id, for signing deliveries and fetches.</summary>
internal sealed class NodeSigningKeys(ChatonNode node) : ISigningKeySource
{
    public ActorSigningKey Current => new(node.Builder.Urls.RsaKeyId, HttpSignatureKey.FromRsa(node.Keys.Rsa.Rsa, hasPrivateKey: true));

    /// <summary>The same RSA key under the aggregator actor's key id (the aggregator role signs its Follows with it).</summary>
    public string AggregatorKeyId => new Aggregation.AggregatorUrls(node.Builder.Urls.BaseUrl).RsaKeyId;

    public ValueTask<ActorSigningKey?> GetAsync(string keyId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(keyId == node.Builder.Urls.RsaKeyId ? Current
            : keyId == AggregatorKeyId ? new ActorSigningKey(keyId, HttpSignatureKey.FromRsa(node.Keys.Rsa.Rsa, hasPrivateKey: true))
            : null);
}

/// <summary>Runs the delivery worker for as long as the node runs.</summary>
internal sealed class DeliveryService(DeliveryWorker worker, NodeStore store) : BackgroundService
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
