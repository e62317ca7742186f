using ChatonsFed.Aggregator.Actor;
using ChatonsFed.Aggregator.Api;
using ChatonsFed.Aggregator.ChatonsInfosSource;
using ChatonsFed.Aggregator.Crawling;
using ChatonsFed.Aggregator.Inbox;
using ChatonsFed.Aggregator.News;
using ChatonsFed.Aggregator.Observatory;
using ChatonsFed.Aggregator.Trust;
using ChatonsFed.Aggregator.Storage;
using ChatonsFed.Aggregator.Tracking;
using ChatonsFed.Aggregator.Verification;
using ChatonsFed.Directory.Node;
using ChatonsFed.Federation.Delivery;
using ChatonsFed.Federation.Http;
using ChatonsFed.Hosting;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Hosting.Operations;
using ChatonsFed.Hosting.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatonsFed.Aggregator.Aggregation;

/// <summary>Wires the aggregator role into the host: its tables, the directory store, the service, its inbox, the poller and the API's OpenAPI document.</summary>
internal static partial class AggregatorServices
{
    public static IServiceCollection AddAggregator(this IServiceCollection services, DataFolder folder)
    {
        services.AddDirectoryCore(folder);
        services.AddSingleton<AggregatorInbox>();
        // The followers hear how the deliveries to them ended: an inbox gone for good drops its followers.
        services.AddSingleton<IDeliveryObserver>(p => p.GetRequiredService<AggregatorFollowers>());
        services.AddSingleton<FirstCrawlCheck>();
        services.AddHealthChecks().AddCheck<FirstCrawlCheck>("crawl", tags: [HealthEndpoints.ReadyTag]);
        services.AddHostedService<AggregatorPoller>();
        services.AddObservatorySchedule();
        services.AddDirectoryOpenApi();
        return services;
    }

    /// <summary>
    /// The directory core, the one composition of <see cref="DirectoryService"/> and its collaborators, for the running
    /// host and for <see cref="OfflineDirectory"/> alike: the aggregator's tables and options, <c>directory.db</c>, its
    /// actor, the crawler and what it fetches and verifies with, the ChatonsInfos federation files and their unsigned
    /// entries. The caller provides the <see cref="DataStore"/>, the <see cref="ISigningIdentity"/>, the
    /// <see cref="ActivityPubClient"/>, <see cref="IOptions{NodeOptions}"/>, the <see cref="TimeProvider"/> and logging.
    /// </summary>
    public static IServiceCollection AddDirectoryCore(this IServiceCollection services, DataFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        services.TryAddSingleton(folder);
        services.AddSingleton(p => p.GetRequiredService<IOptions<NodeOptions>>().Value.Aggregator);
        services.AddSingleton(p => new AggregatorUrls(p.GetRequiredService<IOptions<NodeOptions>>().Value.BaseUrl));
        services.AddSingleton<AggregatorTables>();
        services.AddSingleton(p => OpenDirectory(
            folder.DirectoryFile(p.GetRequiredService<IOptions<NodeOptions>>().Value),
            p.GetRequiredService<TimeProvider>(),
            p.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DirectoryStore).FullName!)));
        services.AddSingleton(_ => ServiceCategoryCatalog.LoadDefault());
        services.AddSingleton<AggregatorActor>();
        services.AddSingleton<CrawlFetcher>();
        services.AddSingleton<ChatonVerifier>();
        services.AddSingleton<ChatonChecker>();
        services.AddSingleton<DirectoryCrawler>();
        services.AddSingleton<FederationReader>();
        services.AddSingleton<UnsignedDirectory>();
        services.AddSingleton<TrustRoots>();
        services.AddSingleton<MembershipCrawler>();
        services.AddSingleton<AdmissionBook>();
        services.AddSingleton<NoteWriter>();
        services.AddSingleton<DirectoryNews>();
        services.AddSingleton<AggregatorFollowers>();
        services.AddSingleton<DirectoryService>();
        services.AddObservatory();
        return services;
    }

    /// <summary>
    /// Opens the directory file; one that is empty, truncated or cannot be read is a cache, so it is set aside (as
    /// FILE.unreadable, with a warning naming both) and a new one made, which the next crawl fills. It is a file of its
    /// own, apart from chatonsfed.db, because a rebuild makes a new one and swaps it in whole by a rename, while what
    /// must survive a rebuild (tracked actors, seeds, the delivery queue) stays in chatonsfed.db.
    /// </summary>
    public static DirectoryStore OpenDirectory(string path, TimeProvider time, ILogger logger)
    {
        if (File.Exists(path) && StoreFile.Problem(path) is { } problem)
        {
            SetAside(path, problem, logger);
            return DirectoryStore.Open(path, time);
        }

        try
        {
            return DirectoryStore.Open(path, time);
        }
        catch (Exception e) when (StoreFile.IsDamage(e))
        {
            SetAside(path, $"cannot be read ({e.Message.ReplaceLineEndings(" ")})", logger);
            return DirectoryStore.Open(path, time);
        }
    }

    private static void SetAside(string path, string problem, ILogger logger)
    {
        var aside = path + ".unreadable";
        File.Move(path, aside, overwrite: true);
        var log = StoreFile.LogFileOf(path);
        if (File.Exists(log))
        {
            // Its pages belong to the file set aside: LiteDB would otherwise copy them into the new one.
            File.Move(log, StoreFile.LogFileOf(aside), overwrite: true);
        }

        LogDirectorySetAside(logger, path, problem, aside);
    }

    [LoggerMessage(EventId = 4030, EventName = "DirectorySetAside", Level = LogLevel.Warning,
        Message = "The directory cache {Path} {Problem}: set aside as {SetAsideAs}; a new one is made and the next crawl fills it")]
    private static partial void LogDirectorySetAside(ILogger logger, string path, string problem, string setAsideAs);
}

/// <summary>Polls every tracked chaton at start and then every <see cref="AggregatorOptions.PollInterval"/>.</summary>
internal sealed partial class AggregatorPoller(DirectoryService directory, AggregatorOptions options, FirstCrawlCheck firstCrawl, TimeProvider time, ILogger<AggregatorPoller> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting: the first poll may take a while.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await directory.RefreshAsync(null, stoppingToken);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping (or a start that failed): the stores may already be closed under a poll.
                return;
            }
#pragma warning disable CA1031 // A failed poll is logged; the next one comes.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogPollFailed(logger, e);
            }
            finally
            {
                firstCrawl.Done();
            }

            try
            {
                await Task.Delay(options.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 4010, EventName = "PollFailed", Level = LogLevel.Warning, Message = "A directory poll failed")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);
}

/// <summary>
/// The aggregator's readiness: not ready until its first poll of the seeds and tracked chatons has ended (well or
/// not), so that a new aggregator does not serve an empty directory behind a load balancer. With nothing to crawl that
/// poll ends at once.
/// </summary>
internal sealed class FirstCrawlCheck : IHealthCheck
{
    private volatile bool _done;

    /// <summary>Records that a poll has ended.</summary>
    public void Done() => _done = true;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_done ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("the first crawl has not finished"));
}
