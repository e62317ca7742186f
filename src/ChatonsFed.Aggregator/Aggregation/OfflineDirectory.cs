using ChatonsFed.Aggregator.Actor;
using ChatonsFed.Aggregator.Storage;
using ChatonsFed.Aggregator.Tracking;
using ChatonsFed.Federation.Http;
using ChatonsFed.Hosting;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Hosting.Storage;

namespace ChatonsFed.Aggregator.Aggregation;

/// <summary>
/// The aggregator of a data folder opened without its web host, for the owner's commands while the node is stopped:
/// the data folder's store and keys, the directory, and an outbound client under the node's address policy. A Follow made
/// here waits in the delivery queue until the node runs.
/// </summary>
public sealed class OfflineDirectory : IAsyncDisposable
{
    private readonly DataStore _tables;
    private readonly HostKeys _keys;
    private readonly DirectoryStore _store;
    private readonly OutboundClients _http;

    private OfflineDirectory(DataStore tables, HostKeys keys, DirectoryStore store, OutboundClients http, DirectoryService service)
    {
        _tables = tables;
        _keys = keys;
        _store = store;
        _http = http;
        Service = service;
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
        DirectoryStore? store = null;
        OutboundClients? http = null;
        try
        {
            var loaded = keys = HostKeys.Load(folder.KeysFolder(options));
            store = AggregatorServices.OpenDirectory(folder.DirectoryFile(options), time);
            var outbound = options.OutboundHttp();
            http = OutboundClients.Create(outbound);
            var client = new ActivityPubClient(http.CreateFederationClient(), outbound, time, new LiteSignatureFlavourMemory(tables, time));
            var actor = new AggregatorActor(new AggregatorUrls(options.BaseUrl), options.Aggregator, () => loaded, dates: null, time);
            var service = new DirectoryService(new AggregatorTables(tables), actor, store, client, options.Aggregator, time, dataFolder: folder.Path);
            return new OfflineDirectory(tables, loaded, store, http, service);
        }
        catch
        {
            http?.Dispose();
            store?.Dispose();
            keys?.Dispose();
            tables.Dispose();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        Service.Dispose();
        _http.Dispose();
        _store.Dispose();
        _keys.Dispose();
        _tables.Dispose();
        return ValueTask.CompletedTask;
    }
}
