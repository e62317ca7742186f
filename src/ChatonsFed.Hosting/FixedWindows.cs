using System.Collections.Concurrent;

namespace ChatonsFed.Hosting;

/// <summary>
/// Counts per key (a client address, a host) in fixed windows of 60 s, bounded in keys: past <paramref name="maxKeys"/>,
/// the windows that are over are forgotten, then the oldest ones.
/// </summary>
internal sealed class FixedWindows(int maxKeys)
{
    private const int Seconds = 60;

    private readonly ConcurrentDictionary<string, (long Start, int Count)> _windows = new(StringComparer.Ordinal);

    /// <summary>Counts one for <paramref name="key"/> at <paramref name="now"/> (Unix seconds) and returns the window's count.</summary>
    public int Add(string key, long now)
    {
        var entry = _windows.AddOrUpdate(key, _ => (now, 1), (_, e) => now - e.Start >= Seconds ? (now, 1) : (e.Start, e.Count + 1));
        if (_windows.Count > maxKeys)
        {
            Sweep(now);
        }

        return entry.Count;
    }

    /// <summary>Seconds until <paramref name="key"/> is under <paramref name="limit"/> again, or 0 when it is now.</summary>
    public int RetryAfter(string key, int limit, long now) =>
        _windows.TryGetValue(key, out var entry) && now - entry.Start < Seconds && entry.Count >= limit ? SecondsLeft(key, now) : 0;

    /// <summary>Seconds until the current window of <paramref name="key"/> ends, at least 1.</summary>
    public int SecondsLeft(string key, long now) =>
        _windows.TryGetValue(key, out var entry) ? Math.Max(1, (int)(Seconds - (now - entry.Start))) : 1;

    private void Sweep(long now)
    {
        foreach (var stale in _windows.Where(w => now - w.Value.Start >= Seconds).Select(w => w.Key).ToList())
        {
            _windows.TryRemove(stale, out _);
        }

        // Still full: that many keys within a minute. Forgetting the oldest windows lets them count afresh, which is
        // better than memory growing without bound.
        var surplus = _windows.Count - (maxKeys / 2);
        if (surplus > 0)
        {
            foreach (var old in _windows.OrderBy(w => w.Value.Start).Take(surplus).Select(w => w.Key).ToList())
            {
                _windows.TryRemove(old, out _);
            }
        }
    }
}
