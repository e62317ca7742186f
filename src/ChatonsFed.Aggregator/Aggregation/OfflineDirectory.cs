using ChatonsFed.Federation.Http;
using ChatonsFed.Hosting;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Hosting.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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
    private readonly DataFolderLock _writer;

    private OfflineDirectory(DataStore tables, HostKeys keys, OutboundClients http, ServiceProvider services, DataFolderLock writer)
    {
        _writer = writer;
        _tables = tables;
        _keys = keys;
        _http = http;
        _services = services;
        Service = services.GetRequiredService<DirectoryService>();
    }

    public DirectoryService Service { get; }

    /// <summary>The service observatory over this folder's directory, for <c>chatonsfed directory observe</c>.</summary>
    public Observatory.ServiceObservatory Observatory => _services.GetRequiredService<Observatory.ServiceObservatory>();

    /// <summary>The directory core's container, for measurements that time one of its parts alone.</summary>
    internal IServiceProvider Services => _services;

    /// <summary>Opens the folder's stores, holding its lock until disposed; warnings (a directory file set aside) go to <paramref name="warnings"/>.</summary>
    /// <exception cref="NodeInputException">The data folder's aggregator role is not enabled.</exception>
    /// <exception cref="DataFolderInUseException">A process (the running node) holds the folder.</exception>
    public static OfflineDirectory Open(DataFolder folder, TimeProvider time, TextWriter? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var options = folder.LoadOptions();
        if (!options.Aggregator.Enabled)
        {
            throw new NodeInputException($"the aggregator role is not enabled in {folder.Settings}; set {NodeOptions.Section}:{AggregatorOptions.Section}:Enabled to true (or create the folder with 'chatonsfed init --aggregator')");
        }

        var writer = folder.Lock("a chatonsfed directory command working offline");
        DataStore? tables = null;
        HostKeys? keys = null;
        OutboundClients? http = null;
        ServiceProvider? services = null;
        try
        {
            tables = folder.OpenStore(options);
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
                .AddLogging(logging =>
                {
                    if (warnings is not null)
                    {
                        logging.AddProvider(new WarningWriter(warnings));
                    }
                })
                .AddDirectoryCore(folder)
                .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
            return new OfflineDirectory(tables, keys, http, services, writer);
        }
        catch
        {
            services?.Dispose();
            http?.Dispose();
            keys?.Dispose();
            tables?.Dispose();
            writer.Dispose();
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
        _writer.Dispose();
    }

    /// <summary>Writes warnings and errors as the command line does, one line each: "chatonsfed: warning: …".</summary>
    private sealed class WarningWriter(TextWriter writer) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                writer.WriteLine($"chatonsfed: {(logLevel == LogLevel.Warning ? "warning" : "error")}: {formatter(state, exception).ReplaceLineEndings(" ")}");
            }
        }

        public void Dispose()
        {
            // The writer belongs to the caller.
        }
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
