using System.Text;
using ChatonsFed.Federation.Keys;
using LiteDB;

namespace ChatonsFed.Hosting.Storage;

/// <summary>The bounds of the remote key and actor cache in the store.</summary>
public sealed record RemoteCacheBounds
{
    /// <summary>Keys kept at most, and actor documents kept at most (each).</summary>
    public int MaxEntries { get; init; } = 5000;

    /// <summary>Bytes of actor documents (their JSON, UTF-8) kept at most.</summary>
    public long MaxBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>An entry that has verified nothing for this long is dropped (it would be fetched again to be used anyway).</summary>
    public TimeSpan IdleExpiry { get; init; } = TimeSpan.FromDays(7);
}

/// <summary>
/// Remote actors and their keys, cached in the data folder's LiteDB file within <see cref="RemoteCacheBounds"/>: past a
/// bound the entries least recently used go first (those that never verified anything, from older files, before any
/// that did). The resolver gives it only what verified a request, so strangers' junk never reaches it.
/// </summary>
public sealed class LiteRemoteActorCache(DataStore store, RemoteCacheBounds bounds, TimeProvider time) : IRemoteActorCache
{
    private const int EvictionBatch = 64;

    // Serialises writes, so that the counts below stay exact; reads go straight to the store.
    private readonly Lock _writes = new();
    private long? _actorBytes;
    private long _evictedBytes;

    public RemoteCacheBounds Bounds => bounds;

    /// <summary>Bytes of actor documents dropped to stay within the bounds since <see cref="TakeEvictedBytes"/> was last called.</summary>
    public long EvictedBytes => Interlocked.Read(ref _evictedBytes);

    /// <summary>Bytes of actor documents held now.</summary>
    public long ActorBytes
    {
        get
        {
            lock (_writes)
            {
                return HeldActorBytes();
            }
        }
    }

    /// <summary>The bytes dropped since the last call, and starts counting again.</summary>
    public long TakeEvictedBytes() => Interlocked.Exchange(ref _evictedBytes, 0);

    public ValueTask<CachedRemoteKey?> GetKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        var record = store.RemoteKeys.FindById(keyId);
        return ValueTask.FromResult(record is null ? null : ToKey(record));
    }

    public ValueTask SetKeyAsync(CachedRemoteKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_writes)
        {
            if (store.RemoteKeys.Upsert(new RemoteKeyRecord { Id = key.KeyId, OwnerId = key.OwnerId, PublicKeyPem = key.PublicKeyPem, FetchedAt = key.FetchedAt, LastUsed = key.LastUsed }))
            {
                TrimKeys();
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<CachedRemoteActor?> GetActorAsync(string actorId, CancellationToken cancellationToken)
    {
        var record = store.RemoteActors.FindById(actorId);
        return ValueTask.FromResult(record is null ? null : new CachedRemoteActor { ActorId = record.Id, Json = record.Json, FetchedAt = record.Fetched, LastUsed = record.LastUsed });
    }

    public ValueTask SetActorAsync(CachedRemoteActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        lock (_writes)
        {
            var held = HeldActorBytes();
            var replaced = store.RemoteActors.FindById(actor.ActorId) is { } old ? SizeOf(old.Json) : 0;
            store.RemoteActors.Upsert(new RemoteActorRecord { Id = actor.ActorId, Json = actor.Json, Fetched = actor.FetchedAt, LastUsed = actor.LastUsed });
            _actorBytes = held - replaced + SizeOf(actor.Json);
            TrimActors();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<CachedRemoteKey>> GetKeysOwnedByAsync(string ownerId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<CachedRemoteKey>>([.. store.RemoteKeys.Find(k => k.OwnerId == ownerId).Select(ToKey)]);

    public ValueTask RemoveKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        store.RemoteKeys.Delete(keyId);
        return ValueTask.CompletedTask;
    }

    public ValueTask RemoveActorAsync(string actorId, CancellationToken cancellationToken)
    {
        lock (_writes)
        {
            DeleteActor(actorId, evicted: false);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Drops what has verified nothing for <see cref="RemoteCacheBounds.IdleExpiry"/> (and what an older version kept
    /// without ever seeing it verify), then whatever is beyond the bounds. Returns the entries dropped.
    /// </summary>
    public int Trim()
    {
        lock (_writes)
        {
            // Older files have no LastUsed: such entries never verified anything as far as this version knows.
            var cutoff = new BsonValue((time.GetUtcNow() - bounds.IdleExpiry).ToUnixTimeMilliseconds());
            BsonExpression[] idle = [BsonExpression.Create("$.LastUsed = null"), BsonExpression.Create("$.LastUsed < @0", cutoff)];
            var idleKeys = idle.SelectMany(when => store.RemoteKeys.Query(q => q.Where(when).Select(k => k.Id).ToList())).ToList();
            foreach (var id in idleKeys)
            {
                store.RemoteKeys.Delete(id);
            }

            var idleActors = idle.SelectMany(when => store.RemoteActors.Query(q => q.Where(when).Select(a => a.Id).ToList())).ToList();
            foreach (var id in idleActors)
            {
                DeleteActor(id, evicted: true);
            }

            return idleKeys.Count + idleActors.Count + TrimKeys() + TrimActors();
        }
    }

    private int TrimKeys()
    {
        var surplus = store.RemoteKeys.Count() - bounds.MaxEntries;
        if (surplus <= 0)
        {
            return 0;
        }

        var oldest = store.RemoteKeys.Query(q => q.OrderBy(k => k.LastUsed).Select(k => k.Id).Limit(surplus).ToList());
        foreach (var id in oldest)
        {
            store.RemoteKeys.Delete(id);
        }

        return oldest.Count;
    }

    private int TrimActors()
    {
        var dropped = 0;
        var count = store.RemoteActors.Count();
        while (count > bounds.MaxEntries || HeldActorBytes() > bounds.MaxBytes)
        {
            var oldest = store.RemoteActors.Query(q => q.OrderBy(a => a.LastUsed).Select(a => a.Id).Limit(EvictionBatch).ToList());
            foreach (var id in oldest)
            {
                DeleteActor(id, evicted: true);
                dropped++;
                if (--count <= bounds.MaxEntries && HeldActorBytes() <= bounds.MaxBytes)
                {
                    break;
                }
            }

            if (oldest.Count == 0)
            {
                break;
            }
        }

        return dropped;
    }

    private void DeleteActor(string actorId, bool evicted)
    {
        if (store.RemoteActors.FindById(actorId) is not { } record)
        {
            return;
        }

        var size = SizeOf(record.Json);
        store.RemoteActors.Delete(actorId);
        _actorBytes = HeldActorBytes() - size;
        if (evicted)
        {
            Interlocked.Add(ref _evictedBytes, size);
        }
    }

    /// <summary>The bytes of the documents held, summed once (at the first write after the start), then kept up to date.</summary>
    private long HeldActorBytes() => _actorBytes ??= store.RemoteActors.Query(q => q.ToEnumerable().Sum(a => SizeOf(a.Json)));

    private static long SizeOf(string json) => Encoding.UTF8.GetByteCount(json);

    private static CachedRemoteKey ToKey(RemoteKeyRecord record) =>
        new() { KeyId = record.Id, OwnerId = record.OwnerId, PublicKeyPem = record.PublicKeyPem, FetchedAt = record.FetchedAt, LastUsed = record.LastUsed };
}
