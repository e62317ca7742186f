using System.Text.Json.Nodes;
using ChatonsFed.Federation.Inbox;
using ChatonsFed.Federation.Keys;
using ChatonsFed.Hosting.Inbox;
using ChatonsFed.Node.Features;
using ChatonsFed.Protocol.Vocabulary;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Node.Inbox;

/// <summary>
/// Verifies a received activity (HTTP signature or object proof) and applies it: Follow → follower stored and an
/// Accept queued (a Reject when the follower's domain is blocked); Undo of a Follow → follower removed; Update of the
/// sending actor → its cached document and keys refreshed (never rolled back); Delete of the sending actor → follower
/// removed and its cached document and keys dropped; Add of a membership credential by its issuer → fetched, verified
/// and held (<see cref="HeldEndorsements"/>); Update of the status list of an issuer of credentials held → the list read
/// again and revoked credentials marked. Idempotent by activity id (only activities that change something are recorded). Remote fetches happen before the
/// store is locked, never while it is.
/// </summary>
public sealed class InboxProcessor(InboxRequestVerifier verifier, RemoteKeyResolver resolver, NodeOutbox outbox, FollowersService followers, HeldEndorsements endorsements) : IInboxProcessor
{
    public async Task<InboxOutcome> ProcessAsync(HttpRequest request, InboxDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var (verification, refusal) = await InboxOutcome.VerifyAsync(verifier, request, document, cancellationToken);
        if (refusal is not null)
        {
            if (InboxOutcome.GoneSignersOwnDelete(verification, document) is { } gone)
            {
                // Its origin says the actor is gone: it follows no more.
                await resolver.ForgetActorAsync(gone, cancellationToken);
                followers.Forget(gone);
            }

            return refusal;
        }

        if (document.Activity is not { } activity)
        {
            return InboxOutcome.BadRequest($"the activity cannot be read: {document.ActivityProblem}");
        }

        var id = activity.Id;
        var type = activity.Type?.First;
        var actor = InboxDocument.IdOf(activity.Actor);
        if (id is null || type is null || actor is null)
        {
            return InboxOutcome.BadRequest("the activity lacks an id, a type or an actor");
        }

        if (actor != verification.ActorId)
        {
            return InboxOutcome.Unauthorized($"the activity's actor {actor} is not the signer {verification.ActorId}");
        }

        if (followers.IsProcessed(id))
        {
            return InboxOutcome.Accepted("already processed");
        }

        return activity switch
        {
            Follow follow => await FollowAsync(id, actor, follow, document, cancellationToken),
            Undo undo => await UndoAsync(id, actor, undo, cancellationToken),
            Update update when InboxDocument.IdOf(update.Object) == actor => await UpdateActorAsync(id, actor, update, cancellationToken),
            Delete delete when InboxDocument.IdOf(delete.Object) == actor => await DeleteActorAsync(id, actor, cancellationToken),
            Add add => Applied(id, await endorsements.AddAsync(actor, InboxDocument.IdOf(add.Object), InboxDocument.IdOf(add.Target), cancellationToken)),
            Update update when await endorsements.UpdateStatusListAsync(actor, InboxDocument.IdOf(update.Object), cancellationToken) is { } read => Applied(id, read),
            // Nothing changes for other activities, so there is nothing to make idempotent and nothing is written:
            // a node can take them as fast as it verifies signatures, without a durable write each.
            _ => InboxOutcome.Accepted($"{type} noted; nothing to do"),
        };
    }

    private async Task<InboxOutcome> FollowAsync(string id, string actor, Follow follow, InboxDocument received, CancellationToken cancellationToken)
    {
        if (InboxDocument.IdOf(follow.Object) != outbox.Builder.Urls.Actor)
        {
            return InboxOutcome.BadRequest($"this node's only actor is {outbox.Builder.Urls.Actor}");
        }

        var document = await resolver.ResolveActorAsync(new Uri(actor), cancellationToken);
        var inbox = document is null ? null : ActorText(document, "inbox");
        if (inbox is null || !Uri.TryCreate(inbox, UriKind.Absolute, out _))
        {
            return InboxOutcome.BadRequest($"the follower's actor {actor} could not be fetched or has no inbox URL");
        }

        var sharedInbox = SharedInbox(document!);
        var accepted = await followers.FollowAsync(id, received.Json, actor, inbox, sharedInbox, cancellationToken);
        return InboxOutcome.Accepted(accepted ? "follow accepted" : "follow rejected: the follower's domain is blocked");
    }

    private async Task<InboxOutcome> UndoAsync(string id, string actor, Undo undo, CancellationToken cancellationToken)
    {
        if (undo.Object is null && !undo.HadExplicitNull("object"))
        {
            return InboxOutcome.BadRequest("the Undo has no object");
        }

        var innerId = InboxDocument.IdOf(undo.Object);
        var follower = followers.Find(actor);
        var undoesFollow = InboxDocument.EmbeddedIn(undo.Object) is Follow || (follower is not null && innerId is not null && follower.FollowActivityId == innerId);
        await followers.RemoveAsync(id, actor, undoesFollow, cancellationToken);
        return InboxOutcome.Accepted(undoesFollow ? "follow undone" : "undo noted");
    }

    private async Task<InboxOutcome> UpdateActorAsync(string id, string actor, Update update, CancellationToken cancellationToken)
    {
        // The embedded copy is only as trustworthy as what authenticated the activity: an object proof has no clock
        // window, so an old Update can be replayed for ever, and a key since rotated away (perhaps leaked) can still
        // sign one. So the stored document and its keys come from the actor's origin, as every key this node uses
        // does; the embedded `updated` only lets a stale replay be refused, or a repeat ignored, without a fetch.
        var claimed = InboxDocument.EmbeddedIn(update.Object) is AsObject { Updated: { } updated } ? updated.Text : null;
        var refresh = await resolver.RefreshActorAsync(actor, claimed, cancellationToken);
        switch (refresh.Status)
        {
            case ActorRefreshStatus.RolledBack:
                return InboxOutcome.Conflict(refresh.Reason);
            case ActorRefreshStatus.Failed:
                return InboxOutcome.BadRequest(refresh.Reason);
            case ActorRefreshStatus.Unchanged:
                return Remember(id, $"actor update ignored: {refresh.Reason}");
        }

        var document = refresh.Document!;
        var inbox = ActorText(document, "inbox");
        var sharedInbox = SharedInbox(document);
        await followers.UpdateInboxAsync(id, actor, inbox, sharedInbox, cancellationToken);
        return InboxOutcome.Accepted("actor updated: its document and keys were fetched again from its origin");
    }

    private async Task<InboxOutcome> DeleteActorAsync(string id, string actor, CancellationToken cancellationToken)
    {
        await resolver.ForgetActorAsync(actor, cancellationToken);
        var removed = await followers.RemoveAsync(id, actor, remove: true, cancellationToken);
        return InboxOutcome.Accepted(removed ? "actor deleted: follower removed, cached keys dropped" : "actor deleted: cached keys dropped");
    }

    private static string? SharedInbox(JsonObject actor) => actor["endpoints"] is JsonObject endpoints ? ActorText(endpoints, "sharedInbox") : null;

    private static string? ActorText(JsonObject document, string name) =>
        document[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>A membership activity's outcome: always 202; recorded as processed when it changed something.</summary>
    private InboxOutcome Applied(string id, (string Reason, bool Changed) outcome)
    {
        if (outcome.Changed)
        {
            followers.Remember(id);
        }

        return InboxOutcome.Accepted(outcome.Reason);
    }

    private InboxOutcome Remember(string id, string reason)
    {
        followers.Remember(id);
        return InboxOutcome.Accepted(reason);
    }
}
