using LiteDB;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatonsFed.Hosting.Storage;

/// <summary>
/// Keeps the remote key and actor cache within its bounds for as long as the host runs: at start, then every
/// <see cref="Interval"/>, it drops what is idle or beyond the bounds (<see cref="LiteRemoteActorCache.Trim"/>), and
/// rebuilds the store file once that has freed <see cref="CompactAfterBytes"/> or more, so that the file shrinks too.
/// </summary>
public sealed partial class RemoteCacheMaintenance(LiteRemoteActorCache cache, DataStore store, TimeProvider time, ILogger<RemoteCacheMaintenance> logger) : BackgroundService
{
    public const long CompactAfterBytes = 8L * 1024 * 1024;

    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    /// <summary>One round: trims, and compacts when enough was dropped. Returns whether the file was rebuilt.</summary>
    public bool RunOnce()
    {
        var dropped = cache.Trim();
        if (dropped > 0)
        {
            LogTrimmed(logger, dropped, cache.EvictedBytes);
        }

        if (cache.EvictedBytes < CompactAfterBytes)
        {
            return false;
        }

        var freed = cache.TakeEvictedBytes();
        var started = time.GetTimestamp();
        var shrunk = store.Compact();
        var milliseconds = (long)time.GetElapsedTime(started).TotalMilliseconds;
        LogCompacted(logger, freed, shrunk, milliseconds);
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Not on the start's own path: a first round over a large file must not hold the node's start up.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                RunOnce();
            }
            catch (Exception e) when (e is LiteException or IOException or UnauthorizedAccessException)
            {
                LogFailed(logger, e.Message);
            }

            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 5101, EventName = "RemoteCacheTrimmed", Level = LogLevel.Information, Message = "Remote key cache: dropped {Entries} idle or surplus entries ({EvictedBytes} bytes of actor documents since the last compaction)")]
    private static partial void LogTrimmed(ILogger logger, int entries, long evictedBytes);

    [LoggerMessage(EventId = 5102, EventName = "StoreCompacted", Level = LogLevel.Information, Message = "Store rebuilt after {FreedBytes} bytes of cached remote documents were dropped: the file shrank by {ShrunkBytes} bytes in {Milliseconds} ms")]
    private static partial void LogCompacted(ILogger logger, long freedBytes, long shrunkBytes, long milliseconds);

    [LoggerMessage(EventId = 5103, EventName = "RemoteCacheMaintenanceFailed", Level = LogLevel.Warning, Message = "Remote key cache maintenance failed, tried again later: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
