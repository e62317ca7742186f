namespace ChatonsFed.Federation.Delivery;

public enum DeliveryState
{
    /// <summary>Waiting for its next attempt (or being attempted, while a lease is held).</summary>
    Pending,

    Delivered,

    /// <summary>Given up: a permanent refusal, or retries ran out.</summary>
    Failed,

    /// <summary>The inbox answered 410 Gone: its owner left; the server should drop it as a recipient.</summary>
    Gone,
}

/// <summary>One activity to deliver to one inbox. Plain data, so a store can persist it as it is.</summary>
public sealed class DeliveryJob
{
    public required string Id { get; init; }

    public required string ActivityId { get; init; }

    /// <summary>The activity exactly as signed; sent byte for byte.</summary>
    public required byte[] Body { get; init; }

    /// <summary>The inbox (a shared inbox where the recipient has one).</summary>
    public required string Inbox { get; init; }

    /// <summary>The inbox's host and port, the unit of circuit breaking and concurrency.</summary>
    public required string Host { get; init; }

    /// <summary>The id of this node's key to sign with.</summary>
    public required string SigningKeyId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DeliveryState State { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }

    public int? LastStatus { get; set; }

    public string? LastError { get; set; }

    /// <summary>The worker holding the job while it attempts it.</summary>
    public string? LeaseOwner { get; set; }

    /// <summary>When the lease runs out; after that the job is due again, whatever became of the worker.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Set when the job failed because its retries ran out (<see cref="DeliveryOptions.GiveUpAfter"/>), not at a permanent refusal.</summary>
    public bool GaveUp { get; set; }

    public DeliveryJob Clone() => (DeliveryJob)MemberwiseClone();

    /// <summary>When the earliest pending job of <paramref name="jobs"/> can be claimed: its next attempt, or the end of its lease if later.</summary>
    public static DateTimeOffset? EarliestDue(IEnumerable<DeliveryJob> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        DateTimeOffset? earliest = null;
        foreach (var job in jobs)
        {
            if (job.State != DeliveryState.Pending)
            {
                continue;
            }

            var due = job.LeaseExpiresAt is { } lease && lease > job.NextAttemptAt ? lease : job.NextAttemptAt;
            if (earliest is null || due < earliest)
            {
                earliest = due;
            }
        }

        return earliest;
    }

    public override string ToString() => $"{ActivityId} → {Inbox}: {State}, {Attempts} attempts{(LastError is null ? string.Empty : $", {LastError}")}";
}

/// <summary>A recipient of an activity: its inbox, and its server's shared inbox when it has one.</summary>
public sealed record DeliveryRecipient(Uri Inbox, Uri? SharedInbox = null)
{
    /// <summary>Where to deliver: the shared inbox when given.</summary>
    public Uri Target => SharedInbox ?? Inbox;
}
