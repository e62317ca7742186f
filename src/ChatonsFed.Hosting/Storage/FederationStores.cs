using ChatonsFed.Federation.Delivery;
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

/// <summary>
/// Which HTTP signature flavour each origin accepted, kept across restarts. Only the exceptions are written: an origin
/// that takes RFC 9421, which is tried first anyway, needs no record. At most <see cref="MaxOrigins"/> are kept (the
/// oldest go first), since any server this node fetched a key from may be one.
/// </summary>
public sealed class LiteSignatureFlavourMemory(DataStore store, TimeProvider time) : ISignatureFlavourMemory
{
    public const int MaxOrigins = 5000;

    public ValueTask<HttpSignatureFlavour?> GetAsync(string origin, CancellationToken cancellationToken)
    {
        var record = store.SignatureFlavours.FindById(origin);
        return ValueTask.FromResult(record is not null && Enum.TryParse<HttpSignatureFlavour>(record.Flavour, out var flavour) ? flavour : (HttpSignatureFlavour?)null);
    }

    public ValueTask RememberAsync(string origin, HttpSignatureFlavour flavour, CancellationToken cancellationToken)
    {
        var held = store.SignatureFlavours.FindById(origin);
        if (flavour == HttpSignatureFlavour.Rfc9421)
        {
            if (held is not null)
            {
                store.SignatureFlavours.Delete(origin);
            }
        }
        else if (held?.Flavour != flavour.ToString()
            && store.SignatureFlavours.Upsert(new SignatureFlavourRecord { Id = origin, Flavour = flavour.ToString(), Learned = time.GetUtcNow() })
            && store.SignatureFlavours.Count() > MaxOrigins)
        {
            var surplus = store.SignatureFlavours.Count() - MaxOrigins;
            var oldest = store.SignatureFlavours.Query(q => q.OrderBy(r => r.Learned).Select(r => r.Id).Limit(surplus).ToList());
            foreach (var id in oldest)
            {
                store.SignatureFlavours.Delete(id);
            }
        }

        return ValueTask.CompletedTask;
    }
}
