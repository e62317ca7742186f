using System.Collections.Concurrent;
using ChatonsFed.Federation.Http;
using ChatonsFed.Federation.Signing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatonsFed.Federation.Delivery;

/// <summary>Told when a job reaches its end: delivered, failed, or gone (410).</summary>
public interface IDeliveryObserver
{
    ValueTask OnFinishedAsync(DeliveryJob job, CancellationToken cancellationToken);
}

/// <summary>What one <see cref="DeliveryWorker.RunOnceAsync"/> did.</summary>
public sealed record DeliveryRunSummary(int Claimed, int Delivered, int Retrying, int Failed, int Gone, int Deferred);

/// <summary>
/// Delivers queued jobs: claims due ones under a lease, signs and posts each (double-knocking), and records the
/// outcome. 2xx is delivered; 410 is gone; 401, 408, 429, 5xx and network failures are retried with back-off until
/// <see cref="DeliveryOptions.GiveUpAfter"/>; other 4xx and 3xx are permanent failures. Hosts that keep failing
/// are held by a <see cref="HostCircuitBreaker"/>, and at most <see cref="DeliveryOptions.MaxConcurrentPerHost"/>
/// deliveries go to one host at a time.
/// </summary>
public sealed partial class DeliveryWorker : IDisposable
{
    private readonly IDeliveryStore _store;
    private readonly ActivityPubClient _client;
    private readonly ISigningKeySource _keys;
    private readonly TimeProvider _time;
    private readonly DeliveryOptions _options;
    private readonly RetrySchedule _schedule;
    private readonly IDeliveryObserver? _observer;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _total;
    private readonly ConcurrentDictionary<string, HostGate> _perHost = new(StringComparer.OrdinalIgnoreCase);
    private DateTimeOffset _gatesSwept = DateTimeOffset.MinValue;
    private readonly SemaphoreSlim _wake = new(0, 1);

    public DeliveryWorker(
        IDeliveryStore store,
        ActivityPubClient client,
        ISigningKeySource keys,
        TimeProvider timeProvider,
        DeliveryOptions? options = null,
        IDeliveryObserver? observer = null,
        ILogger<DeliveryWorker>? logger = null,
        Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _store = store;
        _client = client;
        _keys = keys;
        _time = timeProvider;
        _options = options ?? new DeliveryOptions();
        _schedule = new RetrySchedule(_options, random);
        _observer = observer;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _total = new SemaphoreSlim(Math.Max(1, _options.MaxConcurrency));
        CircuitBreaker = new HostCircuitBreaker(_options, timeProvider);
    }

    public HostCircuitBreaker CircuitBreaker { get; }

    /// <summary>Hosts that have a concurrency gate now (one is dropped once idle for <see cref="DeliveryOptions.HostStateIdle"/>).</summary>
    public int GatedHosts => _perHost.Count;

    /// <summary>
    /// Runs until <paramref name="stoppingToken"/> is cancelled. When nothing is due it sleeps until the store's next
    /// due job, <see cref="Wake"/>, or <see cref="DeliveryOptions.PollInterval"/>, whichever comes first: an idle node
    /// does no work.
    /// </summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var summary = await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                if (summary.Claimed == 0)
                {
                    var next = await _store.NextDueAsync(stoppingToken).ConfigureAwait(false);
                    var pause = _options.PollInterval;
                    if (next is { } due && due - _time.GetUtcNow() is var untilDue && untilDue < pause)
                    {
                        pause = untilDue;
                    }

                    if (pause > TimeSpan.Zero)
                    {
                        await PauseAsync(pause, stoppingToken).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping (or a start that failed): the store may already be closed under a run; nothing to report.
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A store that fails must not stop deliveries for good: wait and try again.
                LogRunFailed(_logger, e);
                await Task.Delay(_options.FailurePause, _time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Tells a sleeping <see cref="RunAsync"/> that jobs were queued; cheap, never blocks.</summary>
    public void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already awake.
        }
        catch (ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task PauseAsync(TimeSpan pause, CancellationToken stoppingToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var delay = Task.Delay(pause, _time, stop.Token);
        var woken = _wake.WaitAsync(stop.Token);
        await Task.WhenAny(delay, woken).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        stoppingToken.ThrowIfCancellationRequested();
    }

    /// <summary>Claims the jobs due now and attempts each once.</summary>
    public async Task<DeliveryRunSummary> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        SweepGates(now);
        var jobs = await _store.ClaimDueAsync(now, _options.BatchSize, _options.Lease, _options.WorkerId, cancellationToken).ConfigureAwait(false);
        var deferred = 0;
        var admitted = new List<DeliveryJob>(jobs.Count);

        // Every job is admitted or held before any is attempted, so that a half-open host gets exactly one probe
        // even when the probe's answer comes back before the loop is over.
        foreach (var job in jobs)
        {
            if (!CircuitBreaker.TryAcquire(job.Host, out var retryAt))
            {
                job.NextAttemptAt = retryAt;
                job.LastError = $"host {job.Host} is held after repeated failures";
                ReleaseLease(job);
                await _store.UpdateAsync(job, _options.WorkerId, cancellationToken).ConfigureAwait(false);
                deferred++;
                continue;
            }

            admitted.Add(job);
        }

        var states = await Task.WhenAll(admitted.Select(job => AttemptAsync(job, cancellationToken))).ConfigureAwait(false);
        return new DeliveryRunSummary(
            jobs.Count,
            states.Count(s => s == DeliveryState.Delivered),
            states.Count(s => s == DeliveryState.Pending),
            states.Count(s => s == DeliveryState.Failed),
            states.Count(s => s == DeliveryState.Gone),
            deferred);
    }

    private async Task<DeliveryState> AttemptAsync(DeliveryJob job, CancellationToken cancellationToken)
    {
        var gate = _perHost.GetOrAdd(job.Host, _ => new HostGate(new SemaphoreSlim(Math.Max(1, _options.MaxConcurrentPerHost))));
        gate.LastUsed = _time.GetUtcNow();
        var hostGate = gate.Semaphore;
        await hostGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _total.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await DeliverAsync(job, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _total.Release();
            }
        }
        finally
        {
            hostGate.Release();
        }
    }

    /// <summary>
    /// Drops the concurrency gates of hosts idle for <see cref="DeliveryOptions.HostStateIdle"/> (at most once a
    /// minute): no attempt lasts that long, so none is using them.
    /// </summary>
    private void SweepGates(DateTimeOffset now)
    {
        if (now - _gatesSwept < TimeSpan.FromMinutes(1))
        {
            return;
        }

        _gatesSwept = now;
        foreach (var (host, gate) in _perHost)
        {
            // Not disposed: a concurrent run may just have taken it (a SemaphoreSlim whose wait handle is never asked
            // for holds nothing to release).
            if (now - gate.LastUsed >= _options.HostStateIdle && gate.Semaphore.CurrentCount == Math.Max(1, _options.MaxConcurrentPerHost))
            {
                _perHost.TryRemove(new KeyValuePair<string, HostGate>(host, gate));
            }
        }
    }

    private async Task<DeliveryState> DeliverAsync(DeliveryJob job, CancellationToken cancellationToken)
    {
        var key = await _keys.GetAsync(job.SigningKeyId, cancellationToken).ConfigureAwait(false);
        PostResult result;
        if (key is null)
        {
            result = new PostResult { Error = OutboundError.None, Reason = $"this node has no signing key {job.SigningKeyId}" };
        }
        else
        {
            try
            {
                result = await _client.PostActivityAsync(new Uri(job.Inbox), job.Body, key, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                result = new PostResult { Error = OutboundError.Network, Reason = e.Message };
            }
        }

        var now = _time.GetUtcNow();
        job.Attempts++;
        job.LastAttemptAt = now;
        job.LastStatus = result.StatusCode;
        job.LastError = result.IsSuccess ? null : result.Reason;

        var outcome = key is null ? Outcome.Permanent : Classify(result);
        switch (outcome)
        {
            case Outcome.Delivered:
                CircuitBreaker.RecordAnswer(job.Host);
                Finish(job, DeliveryState.Delivered, now);
                break;
            case Outcome.Gone:
                CircuitBreaker.RecordAnswer(job.Host);
                Finish(job, DeliveryState.Gone, now);
                break;
            case Outcome.Permanent:
                if (result.StatusCode is not null)
                {
                    CircuitBreaker.RecordAnswer(job.Host);
                }

                Finish(job, DeliveryState.Failed, now);
                break;
            default:
                if (outcome == Outcome.HostFailure)
                {
                    CircuitBreaker.RecordFailure(job.Host);
                }
                else
                {
                    CircuitBreaker.RecordAnswer(job.Host);
                }

                var delay = _schedule.DelayAfter(job.Attempts);
                if (result.RetryAfter is { } asked && asked > delay)
                {
                    delay = asked < _options.MaxRetryDelay ? asked : _options.MaxRetryDelay;
                }

                var next = now + delay;
                if (next - job.CreatedAt > _options.GiveUpAfter)
                {
                    job.LastError = $"gave up after {job.Attempts} attempts over {(now - job.CreatedAt).TotalDays:0.#} days; last: {job.LastError}";
                    job.GaveUp = true;
                    Finish(job, DeliveryState.Failed, now);
                }
                else
                {
                    job.NextAttemptAt = next;
                    DeliveryMetrics.Failed.Add(1, new KeyValuePair<string, object?>("outcome", "retry"));
                    LogRetrying(_logger, job.Host, job.Attempts, job.LastStatus, job.LastError, next, job.ActivityId);
                }

                break;
        }

        ReleaseLease(job);
        if (!await _store.UpdateAsync(job, _options.WorkerId, cancellationToken).ConfigureAwait(false))
        {
            LogLeaseLost(_logger, job.Id);
            return DeliveryState.Pending;
        }

        if (job.State != DeliveryState.Pending && _observer is not null)
        {
            await _observer.OnFinishedAsync(job.Clone(), cancellationToken).ConfigureAwait(false);
        }

        return job.State;
    }

    public void Dispose()
    {
        _total.Dispose();
        _wake.Dispose();
        foreach (var gate in _perHost.Values)
        {
            gate.Semaphore.Dispose();
        }
    }

    private static Outcome Classify(PostResult result) => result.StatusCode switch
    {
        >= 200 and < 300 => Outcome.Delivered,
        410 => Outcome.Gone,
        401 => Outcome.RetryHostUp,
        408 or 429 => Outcome.HostFailure,
        >= 500 => Outcome.HostFailure,
        >= 300 => Outcome.Permanent,
        _ => result.Error is OutboundError.AddressRefused or OutboundError.SchemeRefused ? Outcome.Permanent : Outcome.HostFailure,
    };

    private void Finish(DeliveryJob job, DeliveryState state, DateTimeOffset now)
    {
        job.State = state;
        job.FinishedAt = now;
        if (state == DeliveryState.Delivered)
        {
            DeliveryMetrics.Sent.Add(1);
            LogDelivered(_logger, job.Host, job.Attempts, job.LastStatus, job.ActivityId);
        }
        else
        {
            DeliveryMetrics.Failed.Add(1, new KeyValuePair<string, object?>("outcome", state == DeliveryState.Gone ? "gone" : "failed"));
            LogEnded(_logger, job.Host, state, job.Attempts, job.LastStatus, job.LastError, job.ActivityId);
        }
    }

    private static void ReleaseLease(DeliveryJob job)
    {
        job.LeaseExpiresAt = null;
    }

    // Event ids 3xxx: delivery.
    [LoggerMessage(EventId = 3001, EventName = "DeliveryRunFailed", Level = LogLevel.Error, Message = "Delivery run failed")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3002, EventName = "Delivered", Level = LogLevel.Information, Message = "Delivered to {TargetHost} at attempt {Attempt} (status {Status}): {ActivityId}")]
    private static partial void LogDelivered(ILogger logger, string targetHost, int attempt, int? status, string activityId);

    [LoggerMessage(EventId = 3003, EventName = "DeliveryRetrying", Level = LogLevel.Information, Message = "Delivery to {TargetHost} failed at attempt {Attempt} (status {Status}: {Reason}); next retry at {NextRetry}: {ActivityId}")]
    private static partial void LogRetrying(ILogger logger, string targetHost, int attempt, int? status, string? reason, DateTimeOffset nextRetry, string activityId);

    [LoggerMessage(EventId = 3004, EventName = "DeliveryEnded", Level = LogLevel.Warning, Message = "Delivery to {TargetHost} ended {Outcome} at attempt {Attempt} (status {Status}: {Reason}): {ActivityId}")]
    private static partial void LogEnded(ILogger logger, string targetHost, DeliveryState outcome, int attempt, int? status, string? reason, string activityId);

    [LoggerMessage(EventId = 3005, EventName = "DeliveryLeaseLost", Level = LogLevel.Warning, Message = "The lease on delivery {JobId} ran out before its outcome was saved; another worker has it")]
    private static partial void LogLeaseLost(ILogger logger, string jobId);

    private enum Outcome
    {
        Delivered,
        Gone,
        Permanent,
        RetryHostUp,
        HostFailure,
    }

    /// <summary>A host's concurrency gate, and when a delivery last went through it.</summary>
    private sealed class HostGate(SemaphoreSlim semaphore)
    {
        public SemaphoreSlim Semaphore { get; } = semaphore;

        public DateTimeOffset LastUsed { get; set; }
    }
}
