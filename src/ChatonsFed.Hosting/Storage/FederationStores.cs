using ChatonsFed.Federation.Delivery;
using ChatonsFed.Federation.Keys;
using ChatonsFed.Federation.Signing;
using ChatonsFed.Protocol.HttpSignatures;

namespace ChatonsFed.Hosting.Storage;

/// <summary>The delivery queue in the data folder's LiteDB file: nothing queued is lost across a restart.</summary>
public sealed class LiteDeliveryStore(DataStore store) : IDeliveryStore
{
    private readonly Lock _claim = new();

    public ValueTask AddAsync(IReadOnlyCollection<DeliveryJob> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        store.DeliveryJobs.InsertBulk(jobs);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<DeliveryJob>> ClaimDueAsync(DateTimeOffset now, int max, TimeSpan lease, string owner, CancellationToken cancellationToken)
    {
        lock (_claim)
        {
            var due = store.DeliveryJobs.Find(j => j.State == DeliveryState.Pending && j.NextAttemptAt <= now)
                .Where(j => j.LeaseExpiresAt is null || j.LeaseExpiresAt <= now)
                .OrderBy(j => j.NextAttemptAt)
                .Take(max)
                .ToList();
            foreach (var job in due)
            {
                job.LeaseOwner = owner;
                job.LeaseExpiresAt = now + lease;
                store.DeliveryJobs.Update(job);
            }

            return ValueTask.FromResult<IReadOnlyList<DeliveryJob>>(due);
        }
    }

    public ValueTask<bool> UpdateAsync(DeliveryJob job, string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        lock (_claim)
        {
            var current = store.DeliveryJobs.FindById(job.Id);
            if (current is null || current.LeaseOwner != owner)
            {
                return ValueTask.FromResult(false);
            }

            store.DeliveryJobs.Update(job);
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(DeliveryJob.EarliestDue(store.DeliveryJobs.Find(j => j.State == DeliveryState.Pending)));

    public ValueTask<DeliveryJob?> GetAsync(string id, CancellationToken cancellationToken)
    {
        return ValueTask.FromResult<DeliveryJob?>(store.DeliveryJobs.FindById(id));
    }

    public ValueTask<IReadOnlyList<DeliveryJob>> ListAsync(DeliveryState? state, CancellationToken cancellationToken)
    {
        var jobs = state is null ? store.DeliveryJobs.FindAll() : store.DeliveryJobs.Find(j => j.State == state.Value);
        return ValueTask.FromResult<IReadOnlyList<DeliveryJob>>([.. jobs]);
    }
}

/// <summary>Remote actors and their keys, cached in the data folder's LiteDB file.</summary>
public sealed class LiteRemoteActorCache(DataStore store) : IRemoteActorCache
{
    public ValueTask<CachedRemoteKey?> GetKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        var record = store.RemoteKeys.FindById(keyId);
        return ValueTask.FromResult(record is null ? null : ToKey(record));
    }

    public ValueTask SetKeyAsync(CachedRemoteKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        store.RemoteKeys.Upsert(new RemoteKeyRecord { Id = key.KeyId, OwnerId = key.OwnerId, PublicKeyPem = key.PublicKeyPem, FetchedAt = key.FetchedAt });
        return ValueTask.CompletedTask;
    }

    public ValueTask<CachedRemoteActor?> GetActorAsync(string actorId, CancellationToken cancellationToken)
    {
        var record = store.RemoteActors.FindById(actorId);
        return ValueTask.FromResult(record is null ? null : new CachedRemoteActor { ActorId = record.Id, Json = record.Json, FetchedAt = record.Fetched });
    }

    public ValueTask SetActorAsync(CachedRemoteActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        store.RemoteActors.Upsert(new RemoteActorRecord { Id = actor.ActorId, Json = actor.Json, Fetched = actor.FetchedAt });
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
        store.RemoteActors.Delete(actorId);
        return ValueTask.CompletedTask;
    }

    private static CachedRemoteKey ToKey(RemoteKeyRecord record) =>
        new() { KeyId = record.Id, OwnerId = record.OwnerId, PublicKeyPem = record.PublicKeyPem, FetchedAt = record.FetchedAt };
}

/// <summary>Which HTTP signature flavour each origin accepted, kept across restarts.</summary>
public sealed class LiteSignatureFlavourMemory(DataStore store, TimeProvider time) : ISignatureFlavourMemory
{
    public ValueTask<HttpSignatureFlavour?> GetAsync(string origin, CancellationToken cancellationToken)
    {
        var record = store.SignatureFlavours.FindById(origin);
        return ValueTask.FromResult(record is not null && Enum.TryParse<HttpSignatureFlavour>(record.Flavour, out var flavour) ? flavour : (HttpSignatureFlavour?)null);
    }

    public ValueTask RememberAsync(string origin, HttpSignatureFlavour flavour, CancellationToken cancellationToken)
    {
        store.SignatureFlavours.Upsert(new SignatureFlavourRecord { Id = origin, Flavour = flavour.ToString(), Learned = time.GetUtcNow() });
        return ValueTask.CompletedTask;
    }
}
