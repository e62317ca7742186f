using ChatonsFed.Federation.Http;
using ChatonsFed.Hosting;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Hosting.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatonsFed.Aggregator.Aggregation;

/// <summary>
/// The aggregator of a data folder opened without its web host, for the owner's commands while the node is stopped:
/// the data folder's store and keys, the directory, and an outbound client under the node's address policy. A Follow made
/// here waits in the delivery queue until the node runs. The directory service and its collaborators come from the
/// host's own registration (<see cref="AggregatorServices.AddDirectoryCore"/>), in a small container of their own.
/// </summary>
public sealed class OfflineDirectory : IAsyncDisposable
{
    private readonly DataStore _tables;
    private readonly HostKeys _keys;
    private readonly OutboundClients _http;
    private readonly ServiceProvider _services;

    private OfflineDirectory(DataStore tables, HostKeys keys, OutboundClients http, ServiceProvider services)
    {
        _tables = tables;
        _keys = keys;
        _http = http;
        _services = services;
        Service = services.GetRequiredService<DirectoryService>();
    }

    public DirectoryService Service { get; }

    /// <exception cref="NodeInputException">The data folder's aggregator role is not enabled.</exception>
    public static OfflineDirectory Open(DataFolder folder, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var options = folder.LoadOptions();
        if (!options.Aggregator.Enabled)
        {
            throw new NodeInputException($"the aggregator role is not enabled in {folder.Settings}; set {NodeOptions.Section}:{AggregatorOptions.Section}:Enabled to true (or create the folder with 'chatonsfed init --aggregator')");
        }

        var tables = DataStore.Open(folder.DatabaseFile(options));
        HostKeys? keys = null;
        OutboundClients? http = null;
        ServiceProvider? services = null;
        try
        {
            keys = HostKeys.Load(folder.KeysFolder(options));
            var outbound = options.OutboundHttp();
            http = OutboundClients.Create(outbound);
            var client = new ActivityPubClient(http.CreateFederationClient(), outbound, time, new LiteSignatureFlavourMemory(tables, time));
            services = new ServiceCollection()
                .AddSingleton(Options.Create(options))
                .AddSingleton(time)
                .AddSingleton(tables)
                .AddSingleton<ISigningIdentity>(new FolderKeys(options.BaseUrl, keys))
                .AddSingleton(client)
                .AddLogging()
                .AddDirectoryCore(folder)
                .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
            return new OfflineDirectory(tables, keys, http, services);
        }
        catch
        {
            services?.Dispose();
            http?.Dispose();
            keys?.Dispose();
            tables.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The container disposes what it made: the directory service, its fetcher and directory.db.
        await _services.DisposeAsync().ConfigureAwait(false);
        _http.Dispose();
        _keys.Dispose();
        _tables.Dispose();
    }

    /// <summary>
    /// The data folder's keys, as the offline commands sign with them: under the aggregator actor's key id only. No actor
    /// is served here, so there are no actor dates, and the chaton node's actor (its key id) is not known.
    /// </summary>
    private sealed class FolderKeys(string baseUrl, HostKeys keys) : ISigningIdentity
    {
        public string BaseUrl => baseUrl;

        public string RsaKeyId => throw new InvalidOperationException("the chaton node's key id is known to the running host only");

        public HostKeys Keys => keys;

        public (DateTimeOffset Published, DateTimeOffset Updated) ActorDates() =>
            throw new InvalidOperationException("the aggregator's actor is served by the running host only");
    }
}
