using System.Runtime.InteropServices;
using ChatonsFed.Aggregator.Aggregation;
using ChatonsFed.Aggregator.Crawling;
using ChatonsFed.Aggregator.News;
using ChatonsFed.Aggregator.Trust;
using ChatonsFed.Aggregator.Storage;
using ChatonsFed.Aggregator.Tracking;
using ChatonsFed.Aggregator.Verification;
using ChatonsFed.Federation.Inbox;
using ChatonsFed.Federation.Keys;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Hosting.Inbox;
using ChatonsFed.Protocol.Proofs;
using ChatonsFed.Protocol.Vocabulary;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Aggregator.Inbox;

/// <summary>
/// The aggregator's inbox. After the HTTP signature (the sender must be the activity's actor): <c>Accept</c>/<c>Reject</c>
/// of its <c>Follow</c>; <c>Create</c>/<c>Update</c> of a chaton's actor, service or attestation, whose embedded object is
/// verified by its own proof against the actor held (a chaton not held yet, an object given by id only, or an embedded
/// copy that does not verify makes it fetch the chaton whole from its node); <c>Delete</c> checked with
/// <see cref="ChatonVerifier.VerifyDelete(ReceivedDocument, ReceivedDocument)"/> against the actor held. A service
/// created or deleted changes the chaton's list of services, so its services collection is then fetched again
/// (conditional requests): the copy held, which the bundle passes on, lists the same services as the node. Everything
/// else is acknowledged. The activity is dispatched on its vocabulary type, read once with the body.
/// </summary>
public sealed class AggregatorInbox(
    InboxRequestVerifier verifier,
    DirectoryService directory,
    DirectoryStore store,
    ChatonVerifier chatonVerifier,
    DirectoryCrawler crawler,
    AggregatorTables tables,
    MembershipCrawler membership,
    AdmissionBook admission,
    TrustRoots roots,
    DirectoryNews news,
    AggregatorFollowers followers,
    RemoteKeyResolver resolver,
    AggregatorUrls urls,
    TimeProvider time) : IInboxProcessor
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
                followers.Remove(gone, "its actor is gone");
            }

            return refusal;
        }

        if (document.Activity is not { } activity)
        {
            return InboxOutcome.BadRequest($"the activity cannot be read: {document.ActivityProblem}");
        }

        var type = activity.Type?.First;
        var actor = InboxDocument.IdOf(activity.Actor);
        if (type is null || actor is null)
        {
            return InboxOutcome.BadRequest("the activity lacks a type or an actor");
        }

        if (actor != verification.ActorId)
        {
            return InboxOutcome.Unauthorized($"the activity's actor {actor} is not the signer {verification.ActorId}");
        }

        return activity switch
        {
            Accept or Reject => Answer(actor, activity, activity is Accept),
            Add => await AddAsync(actor, activity, cancellationToken),
            Update when HeldStatusList(actor, activity) is { } list => await StatusListChangedAsync(actor, list, cancellationToken),
            Create or Update => await ChangeAsync(actor, activity, document, activity is Create, cancellationToken),
            Delete => await DeleteAsync(actor, activity, document, cancellationToken),
            Follow follow when InboxDocument.IdOf(follow.Object) == urls.Actor => await FollowAsync(actor, follow, document, cancellationToken),
            Undo undo => Unfollow(actor, undo),
            _ => InboxOutcome.Accepted($"{type} noted; nothing to do"),
        };
    }

    /// <summary>
    /// An issuer announces a credential: an <c>Add</c> of its id to the issuer's own <c>issuedEndorsements</c>, by a chaton
    /// of the directory or a trust root. The credential is fetched from the issuer's origin, verified, held, and
    /// admission computed again at once. Any other <c>Add</c> is acknowledged and ignored.
    /// </summary>
    private async Task<InboxOutcome> AddAsync(string actor, Activity add, CancellationToken cancellationToken)
    {
        if (!admission.Enabled)
        {
            return InboxOutcome.Accepted("Add noted; this aggregator computes no admission (it has no trust root)");
        }

        var actorJson = store.GetDocuments(actor)?.Actor.Utf8Json ?? (roots.Known.Contains(actor, StringComparer.Ordinal) ? store.FindIssuerActor(actor)?.Utf8Json : null);
        if (actorJson is not { } json)
        {
            return InboxOutcome.Accepted("Add noted; its actor is neither a chaton of this directory nor a trust root");
        }

        var issued = IssuedEndorsementsOf(json);
        var target = InboxDocument.IdOf(add.Target);
        if (issued is null || !string.Equals(target, issued, StringComparison.Ordinal))
        {
            return InboxOutcome.Accepted("Add noted; its target is not the actor's issuedEndorsements, nothing to do");
        }

        var objectId = InboxDocument.IdOf(add.Object);
        if (!ProofVerifier.TryParseHttpUrl(objectId, out var credentialUrl) || !ProofVerifier.SameOrigin(credentialUrl, new Uri(actor)))
        {
            return InboxOutcome.Accepted("Add noted; its object is not a credential id on the issuer's origin, nothing to do");
        }

        var outcome = await membership.TakeAnnouncedAsync(actor, credentialUrl, cancellationToken);
        admission.Recompute();
        news.Announce();
        await directory.CheckEndorsedAsync(cancellationToken);
        return InboxOutcome.Accepted(outcome + "; admission computed again");
    }

    /// <summary>The status list an <c>Update</c> names, when one is held and the activity's actor is its issuer.</summary>
    private string? HeldStatusList(string actor, Activity update) =>
        admission.Enabled && update.ObjectId is { } id && store.FindStatusList(id) is { } list && list.Issuer == actor ? id : null;

    /// <summary>An issuer's status list changed: it is fetched again at once, and admission computed again.</summary>
    private async Task<InboxOutcome> StatusListChangedAsync(string actor, string list, CancellationToken cancellationToken)
    {
        var outcome = await membership.RefreshStatusListAsync(actor, list, cancellationToken);
        admission.Recompute();
        news.Announce();
        return InboxOutcome.Accepted(outcome + "; admission computed again");
    }

    private static string? IssuedEndorsementsOf(ReadOnlyMemory<byte> actor)
    {
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(actor);
            return json.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && json.RootElement.TryGetProperty("issuedEndorsements", out var link)
                ? ChatonChecker.IdOf(link)
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private InboxOutcome Answer(string actor, Activity answer, bool accepted)
    {
        var followId = InboxDocument.IdOf(answer.Object);
        return directory.RecordFollowAnswer(actor, followId, accepted)
            ? InboxOutcome.Accepted(accepted ? "follow accepted" : "follow rejected")
            : InboxOutcome.Accepted("no follow of this actor is pending");
    }

    private async Task<InboxOutcome> ChangeAsync(string actor, Activity change, InboxDocument document, bool created, CancellationToken cancellationToken)
    {
        var held = store.GetDocuments(actor);
        var target = InboxDocument.EmbeddedIn(change.Object);
        if (target is null || held is null)
        {
            // Only an id, or a chaton not held yet: fetch the chaton from its node.
            if (held is null && directory.Tracked(actor) is null)
            {
                return InboxOutcome.Accepted("not a chaton this aggregator follows");
            }

            return InboxOutcome.Accepted(await FetchAgainAsync(actor, conditional: true, cancellationToken));
        }

        // The embedded object is kept and verified as the bytes it was received as.
        var embedded = new ReceivedDocument(JsonMarshal.GetRawUtf8Value(document.Root.GetProperty("object")).ToArray());
        var kind = Kind(target, actor);
        var set = kind switch
        {
            DocumentKind.Actor => new ChatonDocumentSet(embedded) { ExpectedActorId = actor },
            DocumentKind.Service => new ChatonDocumentSet(held.Actor.ToReceived()) { ExpectedActorId = actor, Services = [embedded] },
            DocumentKind.Attestation => new ChatonDocumentSet(held.Actor.ToReceived()) { ExpectedActorId = actor, Attestation = embedded },
            _ => null,
        };
        if (set is null)
        {
            return InboxOutcome.Accepted("not a document of the directory; nothing to do");
        }

        var verification = chatonVerifier.Verify(set);
        var result = store.Apply(verification);
        if (verification.Rejections.Count > 0)
        {
            // The signer is the chaton, but the copy it embedded does not verify (the refusal is recorded). A sender may
            // serialise an embedded object again for the activity: Fedify drops the terms its vocabulary does not know,
            // the chatons terms among them, and the object's proof no longer matches. The node's own copy is fetched
            // instead, and verified as in a poll.
            var refused = string.Join("; ", verification.Rejections.Select(r => r.ToString()));
            return InboxOutcome.Accepted($"embedded copy refused ({refused}); {await FetchAgainAsync(actor, conditional: false, cancellationToken)}");
        }

        if (result.Outcome == ApplyOutcome.Refused || result.Refusals.Count > 0)
        {
            return InboxOutcome.Accepted("refused: " + string.Join("; ", result.Refusals.Select(r => r.ToString())));
        }

        if (created && kind == DocumentKind.Service && result.Outcome == ApplyOutcome.Updated)
        {
            await FetchAgainAsync(actor, conditional: true, cancellationToken);
        }

        if (kind == DocumentKind.Actor && result.Outcome is ApplyOutcome.Added or ApplyOutcome.Updated)
        {
            directory.ReconcileUnsigned();
        }

        if (result.Outcome == ApplyOutcome.Added)
        {
            // One chaton more among those admission is computed for.
            admission.Recompute();
        }

        // A chaton more may change others' admission: then every chaton is compared, else this one.
        news.Announce(result.Outcome == ApplyOutcome.Added && admission.Enabled ? null : [actor]);
        return InboxOutcome.Accepted($"directory {result.Outcome.ToString().ToLowerInvariant()}");
    }

    /// <summary>
    /// Fetches and checks the chaton from its node, as a poll does (with <paramref name="conditional"/> requests, what did
    /// not change answers 304); says what came of it.
    /// </summary>
    private async Task<string> FetchAgainAsync(string actor, bool conditional, CancellationToken cancellationToken)
    {
        var crawled = await crawler.CheckAsync(actor, 0, directory.Tracked(actor)?.Source ?? TrackedSource.Discovered, conditional, cancellationToken);
        if (crawled.Applied?.Outcome is ApplyOutcome.Added or ApplyOutcome.Updated)
        {
            directory.ReconcileUnsigned();
        }

        if (crawled.Applied?.Outcome == ApplyOutcome.Added)
        {
            admission.Recompute();
        }

        news.Announce(crawled.Applied?.Outcome == ApplyOutcome.Added && admission.Enabled ? null : [actor]);
        return crawled.Listed ? "the chaton was fetched again" : $"the chaton was fetched again and not listed: {crawled.Check.Problem}";
    }

    private async Task<InboxOutcome> DeleteAsync(string actor, Activity delete, InboxDocument document, CancellationToken cancellationToken)
    {
        var unfollowed = InboxDocument.IdOf(delete.Object) == actor && followers.Remove(actor, "it deleted its actor");
        var held = store.GetDocuments(actor);
        if (held is null)
        {
            return InboxOutcome.Accepted(unfollowed ? "follower removed: its actor was deleted" : "not a chaton of the directory; nothing to do");
        }

        var deletion = chatonVerifier.VerifyDelete(new ReceivedDocument(document.Body), document.Json, delete, held.Actor.ToReceived());
        var result = store.Apply(deletion);
        if (deletion.IsValid && deletion.Kind == DocumentKind.Actor && tables.TrackedActors.FindById(actor) is { } record)
        {
            record.Listed = false;
            record.GoneSince ??= time.GetUtcNow();
            record.Problem = "left the network (a signed Delete of the actor)";
            tables.TrackedActors.Update(record);
        }

        if (deletion.IsValid && deletion.Kind == DocumentKind.Actor)
        {
            // A removed actor counts for nobody: whoever it vouched for is computed again now.
            admission.Recompute();
            news.Announce(admission.Enabled ? null : [actor], departed: [actor]);
        }

        if (deletion.IsValid && deletion.Kind == DocumentKind.Service && result.Outcome != ApplyOutcome.Refused)
        {
            await FetchAgainAsync(actor, conditional: true, cancellationToken);
        }

        return deletion.IsValid
            ? InboxOutcome.Accepted($"directory {result.Outcome.ToString().ToLowerInvariant()}")
            : InboxOutcome.Accepted("refused: " + deletion.Rejection);
    }

    /// <summary>
    /// A <c>Follow</c> of the aggregator's actor: the follower's actor is fetched (through the key cache) for its inbox and
    /// shared inbox, kept, and sent an <c>Accept</c>.
    /// </summary>
    private async Task<InboxOutcome> FollowAsync(string actor, Follow follow, InboxDocument document, CancellationToken cancellationToken)
    {
        if (follow.Id is not { } followId)
        {
            return InboxOutcome.BadRequest("the Follow has no id");
        }

        var follower = await resolver.ResolveActorAsync(new Uri(actor), cancellationToken);
        var inbox = follower is null ? null : Text(follower, "inbox");
        if (inbox is null || !Uri.TryCreate(inbox, UriKind.Absolute, out var inboxUrl) || inboxUrl.Scheme is not ("http" or "https"))
        {
            return InboxOutcome.BadRequest($"the follower's actor {actor} could not be fetched or has no http(s) inbox");
        }

        var shared = follower!["endpoints"] is System.Text.Json.Nodes.JsonObject endpoints ? Text(endpoints, "sharedInbox") : null;
        if (shared is not null && !(Uri.TryCreate(shared, UriKind.Absolute, out var sharedUrl) && sharedUrl.Scheme is "http" or "https"))
        {
            shared = null;
        }

        followers.Accept(actor, followId, document.Json, inboxUrl.AbsoluteUri, shared);
        return InboxOutcome.Accepted("follow accepted");
    }

    /// <summary>An <c>Undo</c> of the follower's <c>Follow</c> (embedded, or named by the id it was received with) removes it.</summary>
    private InboxOutcome Unfollow(string actor, Undo undo)
    {
        var follower = followers.Find(actor);
        var innerId = InboxDocument.IdOf(undo.Object);
        var undoesFollow = follower is not null
            && (InboxDocument.EmbeddedIn(undo.Object) is Follow inner ? InboxDocument.IdOf(inner.Object) == urls.Actor : innerId is not null && innerId == follower.FollowActivityId);
        return undoesFollow && followers.Remove(actor, "it undid its Follow") ? InboxOutcome.Accepted("follow undone") : InboxOutcome.Accepted("Undo noted; nothing to do");
    }

    private static string? Text(System.Text.Json.Nodes.JsonObject document, string name) =>
        document[name] is System.Text.Json.Nodes.JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static DocumentKind? Kind(JsonLdNode target, string actor) => target switch
    {
        _ when target.Id == actor => DocumentKind.Actor,
        HostedService => DocumentKind.Service,
        CharterAttestation => DocumentKind.Attestation,
        _ => null,
    };
}
