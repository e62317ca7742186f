using System.Text.Json.Nodes;
using ChatonsFed.Hosting.Storage;
using ChatonsFed.Node.Storage;

namespace ChatonsFed.Node.Features;

/// <summary>
/// The chaton's followers, as received activities change them. Each change records its activity id in the same
/// transaction, under the store's write lock, so that a repeated activity is recognised (<see cref="IsProcessed"/>).
/// </summary>
public sealed class FollowersService(NodeOutbox outbox, BlockList blocks, TimeProvider time)
{
    private NodeStore Store => outbox.Store;

    /// <summary>Whether the activity <paramref name="activityId"/> was already applied.</summary>
    public bool IsProcessed(string activityId) => Store.ProcessedActivities.FindById(activityId) is not null;

    public FollowerRecord? Find(string actor) => Store.Followers.FindById(actor);

    /// <summary>The followers, the earliest first.</summary>
    public IReadOnlyList<FollowerRecord> List() => [.. Store.Followers.FindAll().OrderBy(f => f.Since).ThenBy(f => f.Id, StringComparer.Ordinal)];

    /// <summary>
    /// Answers a follow request: the follower is stored and an <c>Accept</c> queued for its inbox, or only a
    /// <c>Reject</c> when its domain is blocked. Returns whether it was accepted.
    /// </summary>
    public async Task<bool> FollowAsync(string activityId, JsonObject follow, string actor, string inbox, string? sharedInbox, CancellationToken cancellationToken)
    {
        var accepted = !blocks.IsBlocked(actor);
        var reply = outbox.Builder.FollowReply(accepted, follow, actor, outbox.Keys);
        await ApplyAsync(activityId, () =>
        {
            if (accepted)
            {
                Store.Followers.Upsert(new FollowerRecord { Id = actor, Inbox = inbox, SharedInbox = sharedInbox, FollowActivityId = activityId, Since = time.GetUtcNow() });
            }

            outbox.EnqueueDirect(reply, inbox);
        }, cancellationToken);
        return accepted;
    }

    /// <summary>Takes a follower's new inboxes, if it follows; the activity is recorded either way.</summary>
    public Task UpdateInboxAsync(string activityId, string actor, string? inbox, string? sharedInbox, CancellationToken cancellationToken) =>
        ApplyAsync(activityId, () =>
        {
            if (inbox is not null && Store.Followers.FindById(actor) is { } follower)
            {
                follower.Inbox = inbox;
                follower.SharedInbox = sharedInbox;
                Store.Followers.Update(follower);
            }
        }, cancellationToken);

    /// <summary>Removes the follower <paramref name="actor"/> when <paramref name="remove"/>; returns whether it followed.</summary>
    public async Task<bool> RemoveAsync(string activityId, string actor, bool remove, CancellationToken cancellationToken)
    {
        var removed = false;
        await ApplyAsync(activityId, () => removed = remove && Store.Followers.Delete(actor), cancellationToken);
        return removed;
    }

    /// <summary>Drops an actor whose origin says it is gone, outside any activity.</summary>
    public void Forget(string actor) => Store.Followers.Delete(actor);

    /// <summary>Records an activity that changes nothing here, so that a repeat is recognised.</summary>
    public void Remember(string activityId) =>
        Store.ProcessedActivities.Upsert(new ProcessedActivityRecord { Id = activityId, Received = time.GetUtcNow() });

    private async Task ApplyAsync(string activityId, Action change, CancellationToken cancellationToken)
    {
        await Store.WriteLock.WaitAsync(cancellationToken);
        try
        {
            Store.InTransaction(() =>
            {
                change();
                Remember(activityId);
            });
        }
        finally
        {
            Store.WriteLock.Release();
        }
    }
}
