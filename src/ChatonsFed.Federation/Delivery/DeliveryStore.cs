namespace ChatonsFed.Federation.Delivery;

/// <summary>
/// Durable storage of delivery jobs. Claiming is atomic: a due job is handed to one worker under a lease, and
/// becomes due again when the lease runs out, so a worker that dies mid-delivery loses nothing.
/// </summary>
public interface IDeliveryStore
{
    ValueTask AddAsync(IReadOnlyCollection<DeliveryJob> jobs, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="max"/> pending jobs with <c>NextAttemptAt &lt;= now</c> and no lease in force, earliest
    /// first; each is leased to <paramref name="owner"/> until <c>now + lease</c> before it is returned.
    /// </summary>
    ValueTask<IReadOnlyList<DeliveryJob>> ClaimDueAsync(DateTimeOffset now, int max, TimeSpan lease, string owner, CancellationToken cancellationToken);

    /// <summary>
    /// Saves the job as the worker left it, only while <paramref name="owner"/> still holds its lease (a lease that
    /// ran out may have been claimed by another worker). False when it did not save.
    /// </summary>
    ValueTask<bool> UpdateAsync(DeliveryJob job, string owner, CancellationToken cancellationToken);

    ValueTask<DeliveryJob?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>When the earliest pending job can next be claimed (its next attempt, or the end of its lease), or null when none is pending.</summary>
    ValueTask<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken);

    /// <summary>Every job, or only those in <paramref name="state"/>.</summary>
    ValueTask<IReadOnlyList<DeliveryJob>> ListAsync(DeliveryState? state, CancellationToken cancellationToken);
}

/// <summary>Jobs in memory; for tests and for the server until it provides its own.</summary>
public sealed class InMemoryDeliveryStore : IDeliveryStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, DeliveryJob> _jobs = new(StringComparer.Ordinal);

    public ValueTask AddAsync(IReadOnlyCollection<DeliveryJob> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        lock (_lock)
        {
            foreach (var job in jobs)
            {
                _jobs.Add(job.Id, job.Clone());
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<DeliveryJob>> ClaimDueAsync(DateTimeOffset now, int max, TimeSpan lease, string owner, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var due = _jobs.Values
                .Where(j => j.State == DeliveryState.Pending && j.NextAttemptAt <= now && (j.LeaseExpiresAt is null || j.LeaseExpiresAt <= now))
                .OrderBy(j => j.NextAttemptAt)
                .ThenBy(j => j.Id, StringComparer.Ordinal)
                .Take(max)
                .ToList();
            foreach (var job in due)
            {
                job.LeaseOwner = owner;
                job.LeaseExpiresAt = now + lease;
            }

            return ValueTask.FromResult<IReadOnlyList<DeliveryJob>>([.. due.Select(j => j.Clone())]);
        }
    }

    public ValueTask<bool> UpdateAsync(DeliveryJob job, string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        lock (_lock)
        {
            if (!_jobs.TryGetValue(job.Id, out var stored) || stored.LeaseOwner != owner)
            {
                return ValueTask.FromResult(false);
            }

            _jobs[job.Id] = job.Clone();
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(DeliveryJob.EarliestDue(_jobs.Values));
        }
    }

    public ValueTask<DeliveryJob?> GetAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_jobs.TryGetValue(id, out var job) ? job.Clone() : null);
        }
    }

    public ValueTask<IReadOnlyList<DeliveryJob>> ListAsync(DeliveryState? state, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<DeliveryJob>>(
                [.. _jobs.Values.Where(j => state is null || j.State == state).OrderBy(j => j.CreatedAt).ThenBy(j => j.Id, StringComparer.Ordinal).Select(j => j.Clone())]);
        }
    }
}
