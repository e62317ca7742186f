namespace ChatonsFed.Hosting.Admin;

/// <summary>
/// Failed web page sign-ins per client address: after <paramref name="limit"/> failures within
/// <paramref name="window"/>, the address may not try again until <paramref name="window"/> has passed since the last
/// of them. An attempt counts as a failure from the moment it starts until it is known to be right, so that tries sent
/// at once cannot pass the limit together. Bounded in addresses: past <paramref name="maxClients"/>, those with nothing
/// left to count are forgotten, then the oldest.
/// </summary>
internal sealed class SignInFailures(int limit, TimeSpan window, int maxClients)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _clients = new(StringComparer.Ordinal);

    /// <summary>Seconds until <paramref name="client"/> may try again, or 0 when it may now.</summary>
    public int RetryAfter(string client, DateTimeOffset now)
    {
        lock (_gate)
        {
            return _clients.TryGetValue(client, out var entry) ? Wait(entry, now) : 0;
        }
    }

    /// <summary>Starts an attempt of <paramref name="client"/>; false, with the seconds to wait, when it may not try now.</summary>
    public bool TryBegin(string client, DateTimeOffset now, out int retryAfter)
    {
        lock (_gate)
        {
            if (!_clients.TryGetValue(client, out var entry))
            {
                if (_clients.Count >= maxClients)
                {
                    Sweep(now);
                }

                entry = new Entry();
                _clients[client] = entry;
            }

            retryAfter = Wait(entry, now);
            if (retryAfter > 0)
            {
                return false;
            }

            entry.Pending++;
            return true;
        }
    }

    /// <summary>Ends an attempt that was right: the address's failures are forgotten.</summary>
    public void Succeeded(string client)
    {
        lock (_gate)
        {
            _clients.Remove(client);
        }
    }

    /// <summary>Ends an attempt that failed; returns the failures of <paramref name="client"/> within the window.</summary>
    public int Failed(string client, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_clients.TryGetValue(client, out var entry))
            {
                entry = new Entry();
                _clients[client] = entry;
            }

            entry.Pending = Math.Max(0, entry.Pending - 1);
            entry.Failures.Enqueue(now);
            if (entry.Failures.Count >= limit)
            {
                entry.LockedUntil = now + window;
            }

            return entry.Failures.Count;
        }
    }

    private int Wait(Entry entry, DateTimeOffset now)
    {
        Forget(entry, now);
        if (entry.LockedUntil is { } until)
        {
            return Math.Max(1, (int)Math.Ceiling((until - now).TotalSeconds));
        }

        // Attempts under way would reach the limit if they failed: wait for them.
        return entry.Failures.Count + entry.Pending >= limit ? 1 : 0;
    }

    private void Forget(Entry entry, DateTimeOffset now)
    {
        if (entry.LockedUntil is { } until && until <= now)
        {
            entry.LockedUntil = null;
            entry.Failures.Clear();
        }

        while (entry.Failures.TryPeek(out var oldest) && now - oldest >= window)
        {
            entry.Failures.Dequeue();
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (client, entry) in _clients.ToList())
        {
            Forget(entry, now);
            if (entry.Failures.Count == 0 && entry.Pending == 0 && entry.LockedUntil is null)
            {
                _clients.Remove(client);
            }
        }

        // Still full: that many addresses failed within the window. Forgetting the oldest lets them count afresh,
        // which is better than memory growing without bound.
        var surplus = _clients.Count - (maxClients / 2);
        if (surplus > 0)
        {
            foreach (var client in _clients.Where(c => c.Value.Pending == 0).OrderBy(c => c.Value.Failures.LastOrDefault()).Take(surplus).Select(c => c.Key).ToList())
            {
                _clients.Remove(client);
            }
        }
    }

    private sealed class Entry
    {
        public Queue<DateTimeOffset> Failures { get; } = new();

        public int Pending { get; set; }

        public DateTimeOffset? LockedUntil { get; set; }
    }
}
