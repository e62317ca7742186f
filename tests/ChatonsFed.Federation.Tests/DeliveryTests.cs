using System.Collections.Concurrent;
using System.Text;
using ChatonsFed.Federation.Delivery;
using ChatonsFed.Federation.Signing;
using Microsoft.Extensions.Time.Testing;

namespace ChatonsFed.Federation.Tests;

public sealed class DeliveryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly InMemoryDeliveryStore _store = new();
    private readonly Observer _observer = new();
    private LoopbackServer _peer = null!;
    private RemoteActor _sender = null!;
    private int _status = 202;

    public async Task InitializeAsync()
    {
        _peer = await LoopbackServer.StartRecordingAsync();
        _sender = new RemoteActor(_peer, "sender");
        _peer.Handler = (context, _) =>
        {
            context.Response.StatusCode = Volatile.Read(ref _status);
            return Task.CompletedTask;
        };
    }

    public async Task DisposeAsync() => await _peer.DisposeAsync();

    private DeliveryWorker Worker(DeliveryOptions? options = null, ISigningKeySource? keys = null)
    {
        options ??= new DeliveryOptions();
        options.Jitter = 0;
        return new DeliveryWorker(_store, Clients.Create(time: _time), keys ?? new StaticSigningKeySource(_sender.SigningKey), _time, options, _observer);
    }

    private async Task<DeliveryJob> EnqueueAsync(string inboxPath = "users/bob/inbox")
    {
        var jobs = await new DeliveryQueue(_store, _time).EnqueueAsync(
            _sender.Id + "/activities/1", SignedRequests.Follow(_sender), _sender.MainKeyId, [new DeliveryRecipient(_peer.Address(inboxPath))], CancellationToken.None);
        return Assert.Single(jobs);
    }

    private async Task<DeliveryJob> Reload(DeliveryJob job) => (await _store.GetAsync(job.Id, CancellationToken.None))!;

    private int Posts => _peer.Requests.Count(r => r.Method == "POST");

    [Fact]
    public async Task Retries_with_exponential_back_off_until_delivered()
    {
        using var worker = Worker();
        _status = 503;
        var job = await EnqueueAsync();

        var first = await worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(new DeliveryRunSummary(1, 0, 1, 0, 0, 0), first);
        Assert.Equal(Start.AddSeconds(30), (await Reload(job)).NextAttemptAt);

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, (await worker.RunOnceAsync(CancellationToken.None)).Claimed);

        _time.Advance(TimeSpan.FromSeconds(1));
        await worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(Start.AddSeconds(30 + 60), (await Reload(job)).NextAttemptAt);

        _time.Advance(TimeSpan.FromSeconds(60));
        await worker.RunOnceAsync(CancellationToken.None);
        var third = await Reload(job);
        Assert.Equal(Start.AddSeconds(30 + 60 + 120), third.NextAttemptAt);
        Assert.Equal(3, third.Attempts);
        Assert.Equal(503, third.LastStatus);
        Assert.Equal(DeliveryState.Pending, third.State);

        _status = 202;
        _time.Advance(TimeSpan.FromSeconds(120));
        var last = await worker.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, last.Delivered);
        var delivered = await Reload(job);
        Assert.Equal(DeliveryState.Delivered, delivered.State);
        Assert.Equal(4, delivered.Attempts);
        Assert.Equal(4, Posts);
        Assert.Equal(delivered.Id, Assert.Single(_observer.Finished).Id);
    }

    [Fact]
    public void Back_off_doubles_from_30_seconds_and_is_capped_at_6_hours()
    {
        var schedule = new RetrySchedule(new DeliveryOptions { Jitter = 0 });

        var delays = Enumerable.Range(1, 12).Select(n => schedule.DelayAfter(n).TotalSeconds).ToArray();

        Assert.Equal(new double[] { 30, 60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 21600, 21600 }, delays);
    }

    [Fact]
    public void Jitter_spreads_delays_within_a_fifth_either_way()
    {
        var schedule = new RetrySchedule(new DeliveryOptions(), new Random(42));

        var delays = Enumerable.Range(0, 200).Select(_ => schedule.DelayAfter(3).TotalSeconds).ToArray();

        Assert.All(delays, d => Assert.InRange(d, 96, 144));
        Assert.True(delays.Distinct().Count() > 100);
        Assert.All(Enumerable.Range(0, 50), _ => Assert.True(schedule.DelayAfter(20) <= TimeSpan.FromHours(6)));
    }

    [Fact]
    public async Task Gives_up_when_the_next_attempt_would_fall_past_the_give_up_window()
    {
        using var worker = Worker(new DeliveryOptions { GiveUpAfter = TimeSpan.FromMinutes(2) });
        _peer.Handler = (context, _) =>
        {
            context.Response.StatusCode = 502;
            return Task.CompletedTask;
        };
        var job = await EnqueueAsync();

        await worker.RunOnceAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(30));
        await worker.RunOnceAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(60));
        var last = await worker.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, last.Failed);
        var failed = await Reload(job);
        Assert.Equal(DeliveryState.Failed, failed.State);
        Assert.Equal(3, failed.Attempts);
        Assert.Contains("gave up after 3 attempts", failed.LastError);
        Assert.True(failed.GaveUp);
        var finished = Assert.Single(_observer.Finished);
        Assert.Equal((DeliveryState.Failed, true), (finished.State, finished.GaveUp));
    }

    [Theory]
    [InlineData(400, 2)]
    [InlineData(403, 2)]
    [InlineData(404, 1)]
    [InlineData(422, 1)]
    public async Task Client_errors_fail_permanently(int status, int requests)
    {
        using var worker = Worker();
        _status = status;
        var job = await EnqueueAsync();

        var run = await worker.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, run.Failed);
        var failed = await Reload(job);
        Assert.Equal(DeliveryState.Failed, failed.State);
        // A refusal is not a server gone for good: the job did not give up after retries.
        Assert.False(failed.GaveUp);
        Assert.Equal(requests, Posts);
    }

    [Fact]
    public async Task Gone_inbox_is_reported()
    {
        using var worker = Worker();
        _status = 410;
        var job = await EnqueueAsync();

        var run = await worker.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, run.Gone);
        var gone = Assert.Single(_observer.Finished);
        Assert.Equal(DeliveryState.Gone, gone.State);
        Assert.Equal(job.Inbox, gone.Inbox);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(408)]
    [InlineData(429)]
    public async Task Unauthorized_timeout_and_throttling_are_retried(int status)
    {
        using var worker = Worker();
        _status = status;
        var job = await EnqueueAsync();

        var run = await worker.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, run.Retrying);
        Assert.Equal(DeliveryState.Pending, (await Reload(job)).State);
    }

    [Fact]
    public async Task Retry_after_is_honoured_when_longer_than_the_back_off()
    {
        using var worker = Worker();
        _peer.Handler = (context, _) =>
        {
            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = "600";
            return Task.CompletedTask;
        };
        var job = await EnqueueAsync();

        await worker.RunOnceAsync(CancellationToken.None);

        Assert.Equal(Start.AddSeconds(600), (await Reload(job)).NextAttemptAt);
    }

    [Fact]
    public async Task Missing_signing_key_fails_without_sending()
    {
        using var worker = Worker(keys: new StaticSigningKeySource());
        var job = await EnqueueAsync();

        await worker.RunOnceAsync(CancellationToken.None);

        Assert.Equal(DeliveryState.Failed, (await Reload(job)).State);
        Assert.Equal(0, Posts);
    }

    [Fact]
    public async Task Circuit_breaker_holds_a_failing_host_then_probes_it()
    {
        using var worker = Worker(new DeliveryOptions { CircuitFailureThreshold = 2, CircuitCooldown = TimeSpan.FromMinutes(5), MaxConcurrentPerHost = 1 });
        _status = 503;
        await EnqueueAsync("users/a/inbox");
        await EnqueueAsync("users/b/inbox");
        var host = _peer.BaseUri.Authority;

        await worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(CircuitState.Open, worker.CircuitBreaker.GetState(host));
        Assert.Equal(2, Posts);

        await EnqueueAsync("users/c/inbox");
        _time.Advance(TimeSpan.FromSeconds(30));
        var held = await worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(3, held.Deferred);
        Assert.Equal(2, Posts);
        Assert.All(await _store.ListAsync(DeliveryState.Pending, CancellationToken.None), j => Assert.Equal(Start.AddMinutes(5), j.NextAttemptAt));

        _status = 202;
        _time.Advance(TimeSpan.FromMinutes(4.5));
        var probe = await worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(1, probe.Delivered);
        Assert.Equal(2, probe.Deferred);
        Assert.Equal(CircuitState.Closed, worker.CircuitBreaker.GetState(host));

        _time.Advance(TimeSpan.FromMinutes(5));
        var rest = await worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(2, rest.Delivered);
        Assert.Equal(5, Posts);
    }

    [Fact]
    public void Failed_probe_holds_the_host_twice_as_long()
    {
        var options = new DeliveryOptions { CircuitFailureThreshold = 1, CircuitCooldown = TimeSpan.FromMinutes(5) };
        var breaker = new HostCircuitBreaker(options, _time);

        breaker.RecordFailure("h");
        Assert.False(breaker.TryAcquire("h", out var retryAt));
        Assert.Equal(Start.AddMinutes(5), retryAt);

        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.True(breaker.TryAcquire("h", out _));
        Assert.Equal(CircuitState.HalfOpen, breaker.GetState("h"));
        Assert.False(breaker.TryAcquire("h", out _));
        breaker.RecordFailure("h");

        Assert.Equal(CircuitState.Open, breaker.GetState("h"));
        Assert.False(breaker.TryAcquire("h", out retryAt));
        Assert.Equal(Start.AddMinutes(15), retryAt);
    }

    [Fact]
    public async Task Per_host_state_is_forgotten_once_idle()
    {
        var options = new DeliveryOptions { CircuitFailureThreshold = 1, CircuitCooldown = TimeSpan.FromMinutes(5), HostStateIdle = TimeSpan.FromHours(1) };
        var breaker = new HostCircuitBreaker(options, _time);
        for (var i = 0; i < 100; i++)
        {
            breaker.RecordFailure($"gone{i}.example");
        }

        Assert.Equal(100, breaker.TrackedHosts);

        // Held five minutes, then kept an hour after the hold ended.
        _time.Advance(TimeSpan.FromMinutes(64));
        Assert.True(breaker.TryAcquire("other.example", out _));
        Assert.Equal(100, breaker.TrackedHosts);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(breaker.TryAcquire("other.example", out _));
        Assert.Equal(0, breaker.TrackedHosts);
        Assert.Equal(CircuitState.Closed, breaker.GetState("gone0.example"));

        // The worker's per-host concurrency gates go the same way.
        using var worker = Worker(new DeliveryOptions { HostStateIdle = TimeSpan.FromHours(1) });
        await EnqueueAsync();
        Assert.Equal(1, (await worker.RunOnceAsync(CancellationToken.None)).Delivered);
        Assert.Equal(1, worker.GatedHosts);
        _time.Advance(TimeSpan.FromMinutes(59));
        await worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(1, worker.GatedHosts);
        _time.Advance(TimeSpan.FromMinutes(1));
        await worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(0, worker.GatedHosts);
    }

    [Fact]
    public async Task Recipients_sharing_an_inbox_get_one_delivery()
    {
        using var worker = Worker();
        var shared = _peer.Address("inbox");
        var body = SignedRequests.Follow(_sender);
        var jobs = await new DeliveryQueue(_store, _time).EnqueueAsync(_sender.Id + "/activities/2", body, _sender.MainKeyId,
        [
            new DeliveryRecipient(_peer.Address("users/a/inbox"), shared),
            new DeliveryRecipient(_peer.Address("users/b/inbox"), shared),
            new DeliveryRecipient(_peer.Address("users/c/inbox")),
            new DeliveryRecipient(_peer.Address("users/c/inbox")),
        ], CancellationToken.None);

        var run = await worker.RunOnceAsync(CancellationToken.None);

        Assert.Equal(2, jobs.Count);
        Assert.Equal(2, run.Delivered);
        Assert.Equal(["/inbox", "/users/c/inbox"], _peer.Requests.Select(r => r.PathAndQuery).Order().ToArray());
        Assert.All(_peer.Requests, r => Assert.Equal(body, r.Body));
    }

    [Fact]
    public async Task A_job_whose_worker_died_is_delivered_when_its_lease_runs_out()
    {
        using var worker = Worker(new DeliveryOptions { Lease = TimeSpan.FromMinutes(5) });
        var job = await EnqueueAsync();
        var crashed = await _store.ClaimDueAsync(_time.GetUtcNow(), 10, TimeSpan.FromMinutes(5), "crashed-worker", CancellationToken.None);
        Assert.Single(crashed);

        Assert.Equal(0, (await worker.RunOnceAsync(CancellationToken.None)).Claimed);
        _time.Advance(TimeSpan.FromMinutes(5));
        var run = await worker.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, run.Delivered);
        Assert.Equal(DeliveryState.Delivered, (await Reload(job)).State);
        crashed[0].State = DeliveryState.Failed;
        Assert.False(await _store.UpdateAsync(crashed[0], "crashed-worker", CancellationToken.None));
        Assert.Equal(DeliveryState.Delivered, (await Reload(job)).State);
    }

    [Fact]
    public async Task An_idle_worker_sleeps_until_woken_then_until_the_next_retry_is_due()
    {
        using var worker = Worker(new DeliveryOptions { PollInterval = TimeSpan.FromDays(1) });
        using var stop = new CancellationTokenSource();
        var running = worker.RunAsync(stop.Token);
        await Task.Delay(300);

        // Queued without telling the worker: it sleeps on (fake time does not move).
        _status = 503;
        var job = await EnqueueAsync();
        await Task.Delay(300);
        Assert.Equal(0, Posts);

        worker.Wake();
        await WaitUntilAsync(() => Task.FromResult(Posts >= 1));
        await WaitUntilAsync(async () => await Reload(job) is { Attempts: 1, LeaseExpiresAt: null });
        Assert.Equal(Start.AddSeconds(30), await _store.NextDueAsync(CancellationToken.None));

        // The retry is due in 30 s: the worker wakes for it on its own, not after the day-long poll.
        _status = 202;
        await Task.Delay(200);
        _time.Advance(TimeSpan.FromSeconds(30));
        await WaitUntilAsync(async () => (await Reload(job)).State == DeliveryState.Delivered);
        Assert.Null(await _store.NextDueAsync(CancellationToken.None));

        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task Next_due_counts_a_running_lease()
    {
        var job = await EnqueueAsync();
        Assert.Equal(Start, await _store.NextDueAsync(CancellationToken.None));
        await _store.ClaimDueAsync(Start, 10, TimeSpan.FromMinutes(5), "other", CancellationToken.None);
        Assert.Equal(Start.AddMinutes(5), await _store.NextDueAsync(CancellationToken.None));
        Assert.Equal(DeliveryState.Pending, (await Reload(job)).State);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 200 && !await condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(await condition(), "the condition did not hold within 10 s");
    }

    [Fact]
    public async Task At_most_the_configured_number_of_deliveries_go_to_one_host_at_once()
    {
        using var worker = Worker(new DeliveryOptions { MaxConcurrentPerHost = 2, MaxConcurrency = 8 });
        var current = 0;
        var highest = 0;
        _peer.Handler = async (context, _) =>
        {
            var now = Interlocked.Increment(ref current);
            InterlockedMax(ref highest, now);
            await Task.Delay(150);
            Interlocked.Decrement(ref current);
            context.Response.StatusCode = 202;
        };
        for (var i = 0; i < 6; i++)
        {
            await EnqueueAsync($"users/u{i}/inbox");
        }

        var run = await worker.RunOnceAsync(CancellationToken.None);

        Assert.Equal(6, run.Delivered);
        Assert.Equal(2, highest);
    }

    [Fact]
    public async Task Unreachable_host_is_retried()
    {
        using var worker = Worker();
        var port = _peer.BaseUri.Port;
        await _peer.DisposeAsync();
        _peer = await LoopbackServer.StartRecordingAsync();
        var jobs = await new DeliveryQueue(_store, _time).EnqueueAsync("https://x/1", Encoding.UTF8.GetBytes("{}"), _sender.MainKeyId, [new DeliveryRecipient(new Uri($"http://127.0.0.1:{port}/inbox"))], CancellationToken.None);

        var run = await worker.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, run.Retrying);
        Assert.Null((await Reload(jobs[0])).LastStatus);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private sealed class Observer : IDeliveryObserver
    {
        public ConcurrentQueue<DeliveryJob> Finished { get; } = new();

        public ValueTask OnFinishedAsync(DeliveryJob job, CancellationToken cancellationToken)
        {
            Finished.Enqueue(job);
            return ValueTask.CompletedTask;
        }
    }
}
