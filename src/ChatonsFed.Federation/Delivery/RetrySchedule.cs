namespace ChatonsFed.Federation.Delivery;

/// <summary>Exponential back-off with jitter: 30 s, 1 min, 2 min, 4 min … capped at 6 h (with the default options).</summary>
public sealed class RetrySchedule(DeliveryOptions options, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;

    /// <summary>The delay after the <paramref name="attempts"/>-th failed attempt (1 for the first).</summary>
    public TimeSpan DelayAfter(int attempts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        var seconds = options.FirstRetryDelay.TotalSeconds * Math.Pow(options.BackoffFactor, Math.Min(attempts - 1, 60));
        var cap = options.MaxRetryDelay.TotalSeconds;
        seconds = Math.Min(seconds, cap);
        if (options.Jitter > 0)
        {
            seconds *= 1 + (options.Jitter * ((2 * _random.NextDouble()) - 1));
        }

        return TimeSpan.FromSeconds(Math.Min(seconds, cap));
    }
}
