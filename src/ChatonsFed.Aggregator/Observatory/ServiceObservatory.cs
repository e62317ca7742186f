using System.Collections.Concurrent;
using ChatonsFed.Aggregator.ChatonsInfosSource;
using ChatonsFed.Aggregator.Storage;
using Microsoft.Extensions.Logging;

namespace ChatonsFed.Aggregator.Observatory;

/// <summary>What became of one target in a round: its observation, or why it was not asked.</summary>
public sealed record TargetOutcome(ObservationTarget Target, TargetObservation? Observation, string? Skipped);

/// <summary>
/// Checks targets politely and records what they answer: at most <see cref="ObservatorySettings.Concurrency"/> checks
/// at a time in all and one per host name, a host that answered 429 (or 503) with Retry-After left alone until then
/// (six hours at most), the pages parsed for the hosts they load, third parties and trackers flagged. Rounds may run
/// side by side (the background schedule and an owner's command): the per-host gate holds across them.
/// </summary>
public sealed partial class ServiceObservatory : IDisposable
{
    private readonly PageProbe _probe;
    private readonly ObservatoryBook _book;
    private readonly ThirdParties _thirdParties;
    private readonly DirectoryStore _store;
    private readonly UnsignedDirectory _unsigned;
    private readonly TimeProvider _time;
    private readonly ILogger<ServiceObservatory> _logger;
    private readonly SemaphoreSlim _global = new(ObservatorySettings.Concurrency);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _hosts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _notBefore = new(StringComparer.Ordinal);

    public ServiceObservatory(PageProbe probe, ObservatoryBook book, ThirdParties thirdParties, DirectoryStore store, UnsignedDirectory unsignedEntries, TimeProvider time, ILogger<ServiceObservatory> logger)
    {
        _probe = probe;
        _book = book;
        _thirdParties = thirdParties;
        _store = store;
        _unsigned = unsignedEntries;
        _time = time;
        _logger = logger;
    }

    public ObservatoryBook Book => _book;

    /// <summary>The targets of the directory now (verified and unsigned entries), or of one chaton's entry; null when there is no such chaton.</summary>
    public IReadOnlyList<ObservationTarget>? Targets(string? chatonId = null)
    {
        if (chatonId is null)
        {
            return ObservationTarget.Of(_store.Listings.Concat(_unsigned.Index.Listings));
        }

        return (_store.Find(chatonId) ?? _unsigned.Index.Find(chatonId)) is { } listing ? ObservationTarget.Of([listing]) : null;
    }

    /// <summary>Whether the directory is being rebuilt (its listings are then incomplete, and nothing is forgotten).</summary>
    public bool DirectoryRebuilding => _store.Rebuilding;

    /// <summary>Until when <paramref name="host"/> asked not to be asked again; null when it did not.</summary>
    public DateTimeOffset? NotBefore(string host) =>
        _notBefore.TryGetValue(host, out var until) && until > _time.GetUtcNow() ? until : null;

    /// <summary>Checks <paramref name="targets"/> now, politely, and records each outcome; returns them in the targets' order.</summary>
    public async Task<IReadOnlyList<TargetOutcome>> RunAsync(IReadOnlyList<ObservationTarget> targets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var started = _time.GetTimestamp();
        var outcomes = new TargetOutcome?[targets.Count];
        var byHost = new ConcurrentQueue<IGrouping<string, int>>(Enumerable.Range(0, targets.Count).GroupBy(i => targets[i].Host, StringComparer.Ordinal));
        var workers = Enumerable.Range(0, Math.Min(ObservatorySettings.Concurrency, byHost.Count)).Select(_ => Task.Run(async () =>
        {
            while (byHost.TryDequeue(out var host))
            {
                foreach (var index in host)
                {
                    outcomes[index] = await CheckAsync(targets[index], cancellationToken).ConfigureAwait(false);
                }
            }
        }, cancellationToken));
        await Task.WhenAll(workers).ConfigureAwait(false);
        var done = outcomes.Select(o => o!).ToList();
        int up = 0, down = 0, error = 0;
        foreach (var state in done.Where(o => o.Observation is not null).Select(o => o.Observation!.Latest.State))
        {
            up += state == ObservedState.Up ? 1 : 0;
            down += state == ObservedState.Down ? 1 : 0;
            error += state == ObservedState.Error ? 1 : 0;
        }

        var seconds = _time.GetElapsedTime(started).TotalSeconds;
        LogRound(_logger, up + down + error, up, down, error, done.Count - up - down - error, seconds);

        return done;
    }

    /// <summary>Forgets the observations of URLs no longer listed; returns how many.</summary>
    public int ForgetUnlisted(IReadOnlyList<ObservationTarget> listed)
    {
        ArgumentNullException.ThrowIfNull(listed);
        var dropped = _book.KeepOnly(listed.Select(t => t.Url).ToHashSet(StringComparer.Ordinal));
        if (dropped > 0)
        {
            LogDropped(_logger, dropped);
        }

        return dropped;
    }

    public void Dispose()
    {
        _global.Dispose();
        foreach (var gate in _hosts.Values)
        {
            gate.Dispose();
        }
    }

    private async Task<TargetOutcome> CheckAsync(ObservationTarget target, CancellationToken cancellationToken)
    {
        var gate = _hosts.GetOrAdd(target.Host, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (NotBefore(target.Host) is { } until)
            {
                return new TargetOutcome(target, null, $"{target.Host} asked not to be asked again before {until:yyyy-MM-dd'T'HH:mm:ss'Z'}");
            }

            await _global.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var started = _time.GetTimestamp();
                var probe = await _probe.GetAsync(target.Uri, cancellationToken).ConfigureAwait(false);
                var (thirdParties, trackers, pageRead) = Assets(target, probe);
                var observation = _book.Record(target.Url, probe, thirdParties, trackers, pageRead);
                ObservatoryMetrics.Record(probe, _time.GetElapsedTime(started));
                LogChecked(_logger, target.Url, probe.State, probe.Reason ?? "-", probe.HttpStatus);
                if (probe.RetryAfter is { } wait && wait > TimeSpan.Zero)
                {
                    var notBefore = _time.GetUtcNow() + wait;
                    _notBefore[target.Host] = notBefore;
                    LogBackOff(_logger, target.Host, probe.HttpStatus ?? 0, notBefore);
                }

                return new TargetOutcome(target, observation, null);
            }
            finally
            {
                _global.Release();
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private (IReadOnlyList<string> ThirdParties, IReadOnlyList<string> Trackers, bool PageRead) Assets(ObservationTarget target, ProbeResult probe)
    {
        if (probe.State != ObservedState.Up || probe.Html.IsEmpty)
        {
            return ([], [], probe.State == ObservedState.Up);
        }

        IReadOnlyList<string> hosts;
        try
        {
            hosts = PageAssets.Hosts(probe.Html, probe.FinalUri ?? target.Uri);
        }
#pragma warning disable CA1031 // A page the parser cannot read is recorded as read with nothing found, never a failed round.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogUnparsable(_logger, target.Url, e.Message);
            return ([], [], false);
        }

        var finalHost = probe.FinalUri is { } final ? PageProbe.HostOf(final) : target.Host;
        var third = ThirdParties.Of(hosts.Where(h => h != finalHost), target.Host, target.SiteDomains);
        return (third, [.. third.Where(_thirdParties.IsTracker)], true);
    }

    [LoggerMessage(EventId = 4100, EventName = "ObservatoryTargetChecked", Level = LogLevel.Debug, Message = "Observed {Url}: {State} ({Reason}, HTTP {Status})")]
    private static partial void LogChecked(ILogger logger, string url, string state, string reason, int? status);

    [LoggerMessage(EventId = 4101, EventName = "ObservatoryRound", Level = LogLevel.Information,
        Message = "Observatory round: {Checked} checked ({Up} up, {Down} down, {Error} error), {Skipped} left alone at their host's request, in {Seconds:0.0} s")]
    private static partial void LogRound(ILogger logger, int @checked, int up, int down, int error, int skipped, double seconds);

    [LoggerMessage(EventId = 4102, EventName = "ObservatoryHostBackOff", Level = LogLevel.Information, Message = "{Host} answered HTTP {Status} with Retry-After: not asked again before {NotBefore:o}")]
    private static partial void LogBackOff(ILogger logger, string host, int status, DateTimeOffset notBefore);

    [LoggerMessage(EventId = 4103, EventName = "ObservatoryTargetsDropped", Level = LogLevel.Information, Message = "Observatory: {Count} target(s) no longer listed, their observations deleted")]
    private static partial void LogDropped(ILogger logger, int count);

    [LoggerMessage(EventId = 4104, EventName = "ObservatoryPageUnparsable", Level = LogLevel.Warning, Message = "The page at {Url} could not be parsed: {Problem}")]
    private static partial void LogUnparsable(ILogger logger, string url, string problem);
}

/// <summary>One line of <c>chatonsfed directory observe</c>: a target and what its check gave, or why it was not asked.</summary>
public sealed record ObservationRow(string Target, string State, string? Reason, int? HttpStatus, int? ResponseMs, int? TlsDaysLeft, IReadOnlyList<string> ThirdPartyHosts, IReadOnlyList<string> Trackers)
{
    /// <summary>The row of an outcome; a target left alone at its host's request has state <c>skipped</c> and the reason why.</summary>
    public static ObservationRow From(TargetOutcome outcome, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Observation?.Latest is not { } latest)
        {
            return new ObservationRow(outcome.Target.Url, "skipped", outcome.Skipped, null, null, null, [], []);
        }

        int? days = latest.TlsValidUntil is { } until ? (int)Math.Floor((until - now).TotalDays) : null;
        return new ObservationRow(outcome.Target.Url, latest.State, latest.Reason, latest.HttpStatus, latest.ResponseMs, days, latest.ThirdPartyHosts, latest.Trackers);
    }
}

/// <summary>The owner's "observe now": every target, or one chaton's.</summary>
public static class ObserveNow
{
    /// <summary>Checks the targets of <paramref name="chatonId"/> (all targets when null) now; null when no such chaton is listed.</summary>
    public static async Task<IReadOnlyList<ObservationRow>?> RunAsync(ServiceObservatory observatory, TimeProvider time, string? chatonId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observatory);
        ArgumentNullException.ThrowIfNull(time);
        if (observatory.Targets(chatonId) is not { } targets)
        {
            return null;
        }

        var outcomes = await observatory.RunAsync(targets, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        return [.. outcomes.Select(o => ObservationRow.From(o, now))];
    }
}
