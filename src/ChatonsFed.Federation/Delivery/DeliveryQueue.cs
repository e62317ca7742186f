using System.Diagnostics.CodeAnalysis;

namespace ChatonsFed.Federation.Delivery;

/// <summary>Queues an activity for its recipients: one job per distinct target inbox (a shared inbox serves all its users).</summary>
[SuppressMessage("Naming", "CA1711", Justification = "It is a queue: the domain calls it the delivery queue.")]
public sealed class DeliveryQueue(IDeliveryStore store, TimeProvider timeProvider)
{
    /// <summary>Queues <paramref name="body"/> (the activity as signed) for every recipient; returns the jobs made.</summary>
    public async Task<IReadOnlyList<DeliveryJob>> EnqueueAsync(
        string activityId,
        ReadOnlyMemory<byte> body,
        string signingKeyId,
        IEnumerable<DeliveryRecipient> recipients,
        CancellationToken cancellationToken)
    {
        var jobs = CreateJobs(activityId, body, signingKeyId, recipients, timeProvider.GetUtcNow());
        await store.AddAsync(jobs, cancellationToken).ConfigureAwait(false);
        return jobs;
    }

    /// <summary>The jobs for <paramref name="body"/>, one per distinct target inbox, due at <paramref name="now"/>; stores nothing.</summary>
    public static List<DeliveryJob> CreateJobs(
        string activityId,
        ReadOnlyMemory<byte> body,
        string signingKeyId,
        IEnumerable<DeliveryRecipient> recipients,
        DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(activityId);
        ArgumentException.ThrowIfNullOrEmpty(signingKeyId);
        ArgumentNullException.ThrowIfNull(recipients);
        var bytes = body.ToArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var jobs = new List<DeliveryJob>();
        foreach (var recipient in recipients)
        {
            var target = recipient.Target;
            if (!target.IsAbsoluteUri || !seen.Add(target.AbsoluteUri))
            {
                continue;
            }

            jobs.Add(new DeliveryJob
            {
                Id = Guid.NewGuid().ToString("N"),
                ActivityId = activityId,
                Body = bytes,
                Inbox = target.AbsoluteUri,
                Host = target.Authority.ToLowerInvariant(),
                SigningKeyId = signingKeyId,
                CreatedAt = now,
                NextAttemptAt = now,
            });
        }

        DeliveryMetrics.Queued.Add(jobs.Count);
        return jobs;
    }
}
