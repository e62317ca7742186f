namespace ChatonsFed.Federation.Delivery;

public sealed class DeliveryOptions
{
    /// <summary>Delay before the first retry; each later one doubles it (see <see cref="BackoffFactor"/>).</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public double BackoffFactor { get; set; } = 2;

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(6);

    /// <summary>A job whose next attempt would fall later than this after it was queued is given up.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Each delay is spread by up to this fraction either way, so retries to one host do not all land at once.</summary>
    public double Jitter { get; set; } = 0.2;

    /// <summary>Jobs claimed per run.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>How long a claimed job stays with its worker before it is due again.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);

    public int MaxConcurrency { get; set; } = 8;

    public int MaxConcurrentPerHost { get; set; } = 2;

    /// <summary>Consecutive failures (no answer, 5xx, 408, 429) after which a host is held.</summary>
    public int CircuitFailureThreshold { get; set; } = 5;

    /// <summary>How long a host is held before one probe delivery is let through; doubled each time the probe fails.</summary>
    public TimeSpan CircuitCooldown { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan MaxCircuitCooldown { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// How long a host's state (circuit, failure count, concurrency gate) is kept after its last delivery attempt and
    /// the end of its hold; then it is forgotten, as if the host had never failed.
    /// </summary>
    public TimeSpan HostStateIdle { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Longest pause of <see cref="DeliveryWorker.RunAsync"/> when nothing is due: it wakes earlier for the next due
    /// job or when told that jobs were queued (<see cref="DeliveryWorker.Wake"/>).
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Pause of <see cref="DeliveryWorker.RunAsync"/> after the store failed.</summary>
    public TimeSpan FailurePause { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>This worker's name in leases.</summary>
    public string WorkerId { get; set; } = $"worker-{Guid.NewGuid():N}";
}
