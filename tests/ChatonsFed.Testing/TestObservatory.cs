using ChatonsFed.Aggregator.ChatonsInfosSource;
using ChatonsFed.Aggregator.Observatory;
using ChatonsFed.Aggregator.Storage;
using ChatonsFed.Aggregator.Tracking;
using ChatonsFed.Directory.Node;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Hosting.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatonsFed.Testing;

/// <summary>
/// The service observatory as the aggregator composes it (<see cref="ObservatoryServices.AddObservatory"/>: its own
/// client and handler, the address policy, the certificate check), without the host: over a DataStore (the
/// data folder's chatonsfed.db) and a directory.db in <c>folder</c>, for tests and measurements that drive its rounds
/// themselves.
/// </summary>
public static class TestObservatory
{
    /// <summary>
    /// The container; <paramref name="settings"/> replaces the settings made from <paramref name="options"/> (to shorten
    /// the exchange's time limit), <paramref name="log"/> receives its logs.
    /// </summary>
    public static ServiceProvider Compose(NodeOptions options, string folder, DataStore store, TimeProvider time, ObservatorySettings? settings = null, ILoggerProvider? log = null)
    {
        var services = new ServiceCollection()
            .AddSingleton(Options.Create(options))
            .AddSingleton(time)
            .AddSingleton(store)
            .AddSingleton(_ => DirectoryStore.Open(Path.Combine(folder, "directory.db"), time))
            .AddSingleton(_ => ServiceCategoryCatalog.LoadDefault())
            .AddSingleton<AggregatorTables>()
            .AddSingleton<UnsignedDirectory>()
            .AddLogging(logging =>
            {
                if (log is not null)
                {
                    logging.AddProvider(log);
                }
            })
            .AddObservatory();
        if (settings is not null)
        {
            services.AddSingleton(settings);
        }

        return services.BuildServiceProvider();
    }
}
