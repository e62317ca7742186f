using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Aggregator.Actor;
using ChatonsFed.Aggregator.Tracking;
using ChatonsFed.Federation.Delivery;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Protocol.Proofs;
using ChatonsFed.Protocol.Vocabulary;
using Microsoft.Extensions.Logging;

namespace ChatonsFed.Aggregator.News;

/// <summary>
/// The actors that follow the aggregator, kept in chatonsfed.db: a <c>Follow</c> is accepted (an <c>Accept</c>, signed,
/// queued for the follower's inbox), an <c>Undo</c> of it or the follower's own <c>Delete</c> removes it, and so does the
/// delivery queue giving up on its inbox (410 Gone, or retries run out: its server is gone for good).
/// </summary>
public sealed partial class AggregatorFollowers(AggregatorTables tables, AggregatorActor actor, AggregatorUrls urls, TimeProvider time, ILogger<AggregatorFollowers> logger)
    : IDeliveryObserver
{
    public AggregatorFollowerRecord? Find(string actorId) => tables.Followers.FindById(actorId);

    /// <summary>The followers' ids, in ordinal order.</summary>
    public IReadOnlyList<string> Ids() => [.. tables.Followers.FindAll().Select(f => f.Id).Order(StringComparer.Ordinal)];

    /// <summary>Keeps the follower and queues the <c>Accept</c> of <paramref name="follow"/> (as received) for its inbox.</summary>
    public void Accept(string follower, string followId, JsonObject follow, string inbox, string? sharedInbox)
    {
        ArgumentNullException.ThrowIfNull(follow);
        var now = time.GetUtcNow();
        var accept = actor.Signer().Sign(new JsonObject
        {
            ["@context"] = ChatonsContext.ToJsonNode(),
            ["id"] = urls.AcceptActivity(Guid.NewGuid()),
            ["type"] = "Accept",
            ["actor"] = urls.Actor,
            ["object"] = follow.DeepClone(),
            ["to"] = new JsonArray(follower),
            ["published"] = ProofSigner.FormatCreated(now),
        }, now);
        var id = accept["id"]!.GetValue<string>();
        var jobs = DeliveryQueue.CreateJobs(id, Encoding.UTF8.GetBytes(accept.ToJsonString()), urls.RsaKeyId, [new DeliveryRecipient(new Uri(inbox, UriKind.Absolute))], now);
        tables.Store.InTransaction(() =>
        {
            var since = tables.Followers.FindById(follower)?.Since ?? now;
            tables.Followers.Upsert(new AggregatorFollowerRecord { Id = follower, Inbox = inbox, SharedInbox = sharedInbox, FollowActivityId = followId, Since = since });
            tables.Store.DeliveryJobs.InsertBulk(jobs);
        });
        LogFollowed(logger, follower);
    }

    /// <summary>Removes the follower; returns whether it followed.</summary>
    public bool Remove(string follower, string why)
    {
        var removed = tables.Followers.Delete(follower);
        if (removed)
        {
            LogRemoved(logger, follower, why);
        }

        return removed;
    }

    /// <summary>
    /// A delivery of the aggregator's ended: when its inbox answered 410 Gone, or the queue gave up after its retries,
    /// the followers delivered to through that inbox are dropped.
    /// </summary>
    public ValueTask OnFinishedAsync(DeliveryJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.SigningKeyId != urls.RsaKeyId || !(job.State == DeliveryState.Gone || job.GaveUp))
        {
            return ValueTask.CompletedTask;
        }

        var why = job.State == DeliveryState.Gone ? "its inbox answered 410 Gone" : $"deliveries to {job.Inbox} were given up";
        foreach (var follower in tables.Followers.Find(f => f.Inbox == job.Inbox || f.SharedInbox == job.Inbox))
        {
            Remove(follower.Id, why);
        }

        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 4052, EventName = "AggregatorFollowed", Level = LogLevel.Information, Message = "{Follower} follows the aggregator; Accept queued")]
    private static partial void LogFollowed(ILogger logger, string follower);

    [LoggerMessage(EventId = 4053, EventName = "AggregatorFollowerRemoved", Level = LogLevel.Information, Message = "{Follower} no longer follows the aggregator: {Why}")]
    private static partial void LogRemoved(ILogger logger, string follower, string why);
}
