using ChatonsFed.Node.Admin;

namespace ChatonsFed.Node.Features;

/// <summary>
/// The chaton leaves the network: every document answers 410 Gone from now on, follows are refused, and followers
/// get a signed <c>Delete</c> of the actor. The keys and the delivery queue stay, so that the Delete still goes out.
/// </summary>
public sealed class Leaving(NodeOutbox outbox)
{
    public async Task<ChangeResult> LeaveAsync(CancellationToken cancellationToken = default)
    {
        var profile = outbox.Profile();
        NodeOutbox.EnsureActive(profile);
        return await outbox.PublishAsync(now =>
        {
            profile.Updated = NodeOutbox.Bump(profile.Updated, now);
            profile.Deleted = profile.Updated;
            outbox.Store.Profiles.Upsert(profile);
            return [outbox.Builder.DeleteActor(outbox.Keys)];
        }, cancellationToken);
    }
}
