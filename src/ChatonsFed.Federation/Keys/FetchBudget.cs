namespace ChatonsFed.Federation.Keys;

/// <summary>
/// A budget of network fetches per minute for the whole process: a token bucket that holds at most a minute's worth
/// and refills evenly over the minute. A fetch the budget cannot pay for is not made; the caller is told how long to
/// wait. Zero or less: no limit.
/// </summary>
public sealed class FetchBudget
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private double _tokens;
    private DateTimeOffset _updated;

    public FetchBudget(int perMinute, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        PerMinute = perMinute;
        _time = timeProvider;
        _tokens = Math.Max(0, perMinute);
        _updated = timeProvider.GetUtcNow();
    }

    public int PerMinute { get; }

    /// <summary>Takes one fetch; false when the budget is spent, with the time until the next one is available.</summary>
    public bool TryTake(out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (PerMinute <= 0)
        {
            return true;
        }

        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (now > _updated)
            {
                _tokens = Math.Min(PerMinute, _tokens + ((now - _updated).TotalMinutes * PerMinute));
                _updated = now;
            }

            if (_tokens >= 1)
            {
                _tokens--;
                return true;
            }

            retryAfter = TimeSpan.FromMinutes((1 - _tokens) / PerMinute);
            return false;
        }
    }
}
