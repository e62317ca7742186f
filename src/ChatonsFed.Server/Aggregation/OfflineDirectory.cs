using ChatonsFed.Aggregator.Storage;
using ChatonsFed.Federation.Http;
using ChatonsFed.Server.Admin;
using ChatonsFed.Server.Configuration;
using ChatonsFed.Server.Hosting;
using ChatonsFed.Server.Storage;

namespace ChatonsFed.Server.Aggregation;

/// <summary>
/// The aggregator of a data folder opened without its web host, for the owner's commands while the node is stopped:
/// the node's store and keys, the directory, and an outbound client under the node's address policy. A Follow made
/// here waits in the delivery queue until the node runs.
/// </summary>
public sealed class OfflineDirectory : IAsyncDisposable
{
    private readonly ChatonNode _node;
    private readonly DirectoryStore _store;
    private readonly HttpClient _http;

    private OfflineDirectory(ChatonNode node, DirectoryStore store, HttpClient http, DirectoryService service)
    {
        _node = node;
        _store = store;
        _http = http;
        Service = service;
    }

    public DirectoryService Service { get; }

    /// <exception cref="NodeInputException">The data folder's aggregator role is not enabled.</exception>
    public static OfflineDirectory Open(NodeDataFolder folder, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var options = folder.LoadOptions();
        if (!options.Aggregator.Enabled)
        {
            throw new NodeInputException($"the aggregator role is not enabled in {folder.Settings}; set {NodeOptions.Section}:{AggregatorOptions.Section}:Enabled to true (or create the folder with 'chatonsfed init --aggregator')");
        }

        var node = folder.OpenOffline(time);
        DirectoryStore? store = null;
        HttpClient? http = null;
        try
        {
            store = AggregatorServices.OpenDirectory(folder.DirectoryFile(options), time);
            var outbound = options.OutboundHttp();
            http = new HttpClient(OutboundHandler.Create(outbound), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
            var client = new ActivityPubClient(http, outbound, time, new LiteSignatureFlavourMemory(node.Store, time));
            var service = new DirectoryService(node.Store, node, store, client, options.Aggregator, new AggregatorUrls(options.BaseUrl), time, dataFolder: folder.Path);
            return new OfflineDirectory(node, store, http, service);
        }
        catch
        {
            http?.Dispose();
            store?.Dispose();
            node.Store.Dispose();
            node.Dispose();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        Service.Dispose();
        _http.Dispose();
        _store.Dispose();
        var store = _node.Store;
        _node.Dispose();
        store.Dispose();
        return ValueTask.CompletedTask;
    }
}
