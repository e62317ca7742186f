namespace ChatonsFed.Federation.Delivery;

public enum CircuitState
{
    Closed,

    /// <summary>Held: no delivery to the host until the cooldown ends.</summary>
    Open,

    /// <summary>The cooldown ended and one probe delivery is under way.</summary>
    HalfOpen,
}

/// <summary>
/// Per-host circuit breaker: after <see cref="DeliveryOptions.CircuitFailureThreshold"/> consecutive failures a host
/// is held for a cooldown; then one probe goes through; its success closes the circuit, its failure holds the host
/// again for twice as long. Kept in memory: after a restart every host starts closed, which costs at most a few probes.
/// A host's state is forgotten once it has been idle (no delivery tried, its hold over) for
/// <see cref="DeliveryOptions.HostStateIdle"/>, so that hosts long given up do not accumulate.
/// </summary>
public sealed class HostCircuitBreaker(DeliveryOptions options, TimeProvider timeProvider)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HostState> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private DateTimeOffset _swept = DateTimeOffset.MinValue;

    /// <summary>Hosts whose state is held now (not closed and forgotten).</summary>
    public int TrackedHosts
    {
        get
        {
            lock (_lock)
            {
                return _hosts.Count;
            }
        }
    }

    public CircuitState GetState(string host)
    {
        lock (_lock)
        {
            return _hosts.TryGetValue(host, out var state) ? state.State : CircuitState.Closed;
        }
    }

    /// <summary>Whether a delivery to <paramref name="host"/> may go now; when not, the time to try again.</summary>
    public bool TryAcquire(string host, out DateTimeOffset retryAt)
    {
        var now = timeProvider.GetUtcNow();
        lock (_lock)
        {
            Sweep(now);
            retryAt = now;
            if (!_hosts.TryGetValue(host, out var state) || state.State == CircuitState.Closed)
            {
                return true;
            }

            state.LastSeen = now;

            if (state.State == CircuitState.Open && now >= state.OpenUntil)
            {
                state.State = CircuitState.HalfOpen;
                return true;
            }

            retryAt = state.State == CircuitState.Open ? state.OpenUntil : now + state.Cooldown;
            return false;
        }
    }

    /// <summary>The host answered (success, or a refusal that proves it is up).</summary>
    public void RecordAnswer(string host)
    {
        lock (_lock)
        {
            _hosts.Remove(host);
        }
    }

    /// <summary>The host did not answer usefully: no connection, timeout, 5xx, 408 or 429.</summary>
    public void RecordFailure(string host)
    {
        var now = timeProvider.GetUtcNow();
        lock (_lock)
        {
            Sweep(now);
            if (!_hosts.TryGetValue(host, out var state))
            {
                state = new HostState { Cooldown = options.CircuitCooldown };
                _hosts[host] = state;
            }

            state.LastSeen = now;
            state.ConsecutiveFailures++;
            if (state.State == CircuitState.HalfOpen)
            {
                state.Cooldown = TimeSpan.FromTicks(Math.Min(state.Cooldown.Ticks * 2, options.MaxCircuitCooldown.Ticks));
                Open(state, now);
            }
            else if (state.State == CircuitState.Closed && state.ConsecutiveFailures >= options.CircuitFailureThreshold)
            {
                Open(state, now);
            }
        }
    }

    /// <summary>Forgets the hosts idle for <see cref="DeliveryOptions.HostStateIdle"/> past their hold; at most once a minute.</summary>
    private void Sweep(DateTimeOffset now)
    {
        if (now - _swept < TimeSpan.FromMinutes(1))
        {
            return;
        }

        _swept = now;
        foreach (var (host, _) in _hosts.Where(h => now - Max(h.Value.LastSeen, h.Value.OpenUntil) >= options.HostStateIdle).ToList())
        {
            _hosts.Remove(host);
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static void Open(HostState state, DateTimeOffset now)
    {
        state.State = CircuitState.Open;
        state.OpenUntil = now + state.Cooldown;
    }

    private sealed class HostState
    {
        public CircuitState State { get; set; }

        public int ConsecutiveFailures { get; set; }

        public DateTimeOffset OpenUntil { get; set; }

        public TimeSpan Cooldown { get; set; }

        public DateTimeOffset LastSeen { get; set; }
    }
}
