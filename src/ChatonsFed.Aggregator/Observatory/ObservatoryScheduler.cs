using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatonsFed.Aggregator.Observatory;

/// <summary>
/// The observatory in the background, beside the crawl and independent of it: each target is checked every
/// <see cref="ObservatorySettings.Interval"/>, jittered by ±10 % per check so that targets spread out; a target first
/// seen is checked at once, one whose host asked to wait is checked when the wait ends. Targets no longer listed are
/// forgotten, except while the directory is being rebuilt.
/// </summary>
internal sealed partial class ObservatoryScheduler(ServiceObservatory observatory, ObservatorySettings settings, TimeProvider time, ILogger<ObservatoryScheduler> logger) : BackgroundService
{
    private readonly Dictionary<string, DateTimeOffset> _due = new(StringComparer.Ordinal);

    /// <summary>How often the schedule is looked at: a tenth of the interval, from one second to one minute.</summary>
    public TimeSpan Tick => TimeSpan.FromTicks(Math.Clamp(settings.Interval.Ticks / 10, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Enabled)
        {
            return;
        }

        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RoundAsync(stoppingToken);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed round is logged; the next one comes.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogRoundFailed(logger, e);
            }

            try
            {
                await Task.Delay(Tick, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Checks the targets due now, and forgets those no longer listed.</summary>
    internal async Task RoundAsync(CancellationToken cancellationToken)
    {
        var targets = observatory.Targets()!;
        if (!observatory.DirectoryRebuilding)
        {
            observatory.ForgetUnlisted(targets);
            var listed = targets.Select(t => t.Url).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _due.Keys.Where(k => !listed.Contains(k)).ToList())
            {
                _due.Remove(gone);
            }
        }

        var now = time.GetUtcNow();
        var due = new List<ObservationTarget>();
        foreach (var target in targets)
        {
            if (!_due.TryGetValue(target.Url, out var at))
            {
                at = observatory.Book.Find(target.Url) is { } seen ? seen.Latest.CheckedAt + settings.Jittered(Random.Shared.NextDouble()) : now;
                _due[target.Url] = at;
            }

            if (at <= now)
            {
                due.Add(target);
            }
        }

        if (due.Count == 0)
        {
            return;
        }

        foreach (var outcome in await observatory.RunAsync(due, cancellationToken))
        {
            _due[outcome.Target.Url] = outcome.Observation is not null
                ? time.GetUtcNow() + settings.Jittered(Random.Shared.NextDouble())
                : observatory.NotBefore(outcome.Target.Host) ?? time.GetUtcNow() + Tick;
        }
    }

    [LoggerMessage(EventId = 4105, EventName = "ObservatoryRoundFailed", Level = LogLevel.Warning, Message = "An observatory round failed")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
