namespace ChatonsFed.Federation.Keys;

/// <summary>
/// An in-memory map bounded in entries and in bytes (as <c>sizeOf</c> counts them), whose entries expire a time to
/// live after they were set. When full, the least recently used entries go first. Thread-safe.
/// </summary>
internal sealed class BoundedCache<T>(int maxEntries, long maxBytes, TimeSpan timeToLive, Func<T, long> sizeOf, TimeProvider time)
    where T : class
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);

    // Most recently used first.
    private readonly LinkedList<Entry> _order = new();
    private long _bytes;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>The value under <paramref name="key"/> while it has not expired; null otherwise.</summary>
    public T? Get(string key)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var node))
            {
                return null;
            }

            if (now >= node.Value.Expires)
            {
                RemoveNode(node);
                return null;
            }

            _order.Remove(node);
            _order.AddFirst(node);
            return node.Value.Value;
        }
    }

    /// <summary>Sets <paramref name="key"/>, dropping the least recently used entries beyond the bounds; a value larger than the whole byte bound is not kept.</summary>
    public void Set(string key, T value)
    {
        var size = sizeOf(value);
        var expires = time.GetUtcNow() + timeToLive;
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var old))
            {
                RemoveNode(old);
            }

            if (size > maxBytes || maxEntries <= 0)
            {
                return;
            }

            _entries[key] = _order.AddFirst(new Entry(key, value, size, expires));
            _bytes += size;
            while (_entries.Count > maxEntries || _bytes > maxBytes)
            {
                RemoveNode(_order.Last!);
            }
        }
    }

    public void Remove(string key)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                RemoveNode(node);
            }
        }
    }

    public void RemoveWhere(Func<T, bool> match)
    {
        lock (_lock)
        {
            foreach (var node in _entries.Values.Where(n => match(n.Value.Value)).ToList())
            {
                RemoveNode(node);
            }
        }
    }

    private void RemoveNode(LinkedListNode<Entry> node)
    {
        _order.Remove(node);
        _entries.Remove(node.Value.Key);
        _bytes -= node.Value.Size;
    }

    private sealed record Entry(string Key, T Value, long Size, DateTimeOffset Expires);
}
