using System.Globalization;
using ChatonsFed.Aggregator.Storage;
using ChatonsFed.Aggregator.Verification;
using ChatonsFed.Protocol.Json;

namespace ChatonsFed.Aggregator.Merging;

/// <summary>
/// What wins when verified documents meet what the directory holds. A fetched copy newer than the version held takes
/// its place; an older one is refused as rolled back; one not newer than a recorded deletion is refused as deleted,
/// a newer one lifts the deletion. Two copies of the same version settle on the same one whatever the order they come
/// in, and a copy already held changes nothing. A service the chaton no longer lists is deleted. Every decision is a
/// value: nothing is read or written here, and the time is given.
/// </summary>
internal static class MergePolicy
{
    /// <summary>The verified documents of <paramref name="verification"/> in the order they are merged: actor, services, attestation, services collection.</summary>
    public static IEnumerable<VerifiedDocument> DocumentsOf(ChatonVerification verification)
    {
        ArgumentNullException.ThrowIfNull(verification);
        if (verification.Actor is { } actor)
        {
            yield return actor;
        }

        foreach (var service in verification.Services)
        {
            yield return service;
        }

        if (verification.Attestation is { } attestation)
        {
            yield return attestation;
        }

        if (verification.ServicesCollection is { } collection)
        {
            yield return collection;
        }
    }

    /// <summary>
    /// Decides, document by document, what <paramref name="fetched"/> does to <paramref name="held"/>. Each document is
    /// weighed against the version current at its turn (held, or taken earlier from the same copy). When the actor is
    /// neither held nor taken the chaton is refused and the rest is not weighed.
    /// </summary>
    /// <param name="now">When the copy is merged: the time recorded for the deletion of services no longer listed.</param>
    /// <exception cref="ArgumentException">The actor of <paramref name="fetched"/> did not verify.</exception>
    public static MergePlan Merge(HeldState held, ChatonVerification fetched, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(fetched);
        if (fetched.Actor is not { } actor)
        {
            throw new ArgumentException("Only a copy whose actor verified can be merged.", nameof(fetched));
        }

        var listed = held.TryFind(actor.Id, out _);
        var refusals = new List<DocumentRejection>(fetched.Rejections);
        var decisions = new List<MergeDecision>(fetched.Services.Count + 3);
        var changed = false;
        foreach (var document in DocumentsOf(fetched))
        {
            var decision = Decide(document, held, decisions);
            decisions.Add(decision);
            changed |= decision.Action == MergeAction.Take;
            if (decision.Refusal is { } refusal)
            {
                refusals.Add(refusal);
            }

            if (!listed && decision.Action == MergeAction.Refuse && ReferenceEquals(document, actor))
            {
                return new MergePlan(ApplyOutcome.Refused, decisions, refusals);
            }
        }

        if (fetched.ListedServiceIds is { } listedIds)
        {
            changed |= DeleteUnlisted(held, fetched, listedIds, decisions);
        }

        var outcome = !listed ? ApplyOutcome.Added : changed ? ApplyOutcome.Updated : ApplyOutcome.Unchanged;
        return new MergePlan(outcome, decisions, refusals);
    }

    /// <summary>
    /// Decides whether a verified <c>Delete</c> of <paramref name="held"/>, deleted at <paramref name="deleted"/>, takes
    /// it out: unless the version held is newer than the deletion (a late or replayed <c>Delete</c>).
    /// </summary>
    public static MergeDecision Delete(HeldDocument held, DateTimeOffset deleted)
    {
        if (held.Version > deleted.UtcTicks)
        {
            var what = held.Kind == DocumentKind.Actor ? "the actor held" : "the version held";
            var refusal = new DocumentRejection(held.Kind, held.Id, RejectionReason.RolledBack, $"the deletion of {Format(deleted.UtcTicks)} is older than {what} ({Format(held.Version)})");
            return new MergeDecision(MergeAction.Refuse, MergeReason.HeldNewerThanDeletion, held.Kind, held.Id, null, refusal);
        }

        return new MergeDecision(MergeAction.Delete, MergeReason.DeletedByOwner, held.Kind, held.Id, null);
    }

    /// <summary>An instant (UTC ticks) as refusal messages write it.</summary>
    public static string Format(long? ticks) => ticks is { } t
        ? new DateTime(t, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)
        : "no date";

    private static MergeDecision Decide(VerifiedDocument document, HeldState held, List<MergeDecision> earlier)
    {
        var version = document.Version?.UtcTicks;
        var lifts = false;
        if (held.DeletedAt(document.Id) is { } deleted)
        {
            if (version is not { } v || v <= deleted)
            {
                return Refuse(document, MergeReason.NotNewerThanDeletion, RejectionReason.Deleted, $"deleted at {Format(deleted)}; this copy is of {Format(version)}");
            }

            lifts = true;
        }

        if (!TryFindCurrent(document.Id, held, earlier, out var current))
        {
            return Take(document, MergeReason.NotHeld, lifts);
        }

        if (current.Version is { } heldVersion && (version is null || version < heldVersion))
        {
            return Refuse(document, MergeReason.Older, RejectionReason.RolledBack, $"this copy is of {Format(version)}, older than the version held ({Format(heldVersion)})") with { LiftsDeletion = lifts };
        }

        if (version != current.Version)
        {
            return Take(document, MergeReason.Newer, lifts);
        }

        var bytes = document.Received.Utf8Json.Span;
        if (bytes.SequenceEqual(current.Utf8Json.Span))
        {
            return Keep(document, MergeReason.SameCopy, current, lifts);
        }

        // The same version signed twice (a key rotation re-signs): the later proof wins, then the greater canonical form.
        var created = (document.ProofCreated?.UtcTicks ?? long.MinValue).CompareTo(current.ProofCreated ?? long.MinValue);
        if (created != 0)
        {
            return created > 0 ? Take(document, MergeReason.LaterProof, lifts) : Keep(document, MergeReason.EarlierProof, current, lifts);
        }

        return JsonCanonicalizer.Canonicalize(bytes).AsSpan().SequenceCompareTo(JsonCanonicalizer.Canonicalize(current.Utf8Json.Span)) > 0
            ? Take(document, MergeReason.GreaterCanonicalForm, lifts)
            : Keep(document, MergeReason.CanonicalFormNotGreater, current, lifts);
    }

    /// <summary>The version of <paramref name="id"/> current at this turn: the latest taken from this copy, else the one held.</summary>
    private static bool TryFindCurrent(string id, HeldState held, List<MergeDecision> earlier, out HeldDocument current)
    {
        for (var i = earlier.Count - 1; i >= 0; i--)
        {
            if (earlier[i].Action == MergeAction.Take && string.Equals(earlier[i].Id, id, StringComparison.Ordinal))
            {
                current = HeldDocument.Of(earlier[i].Document!);
                return true;
            }
        }

        return held.TryFind(id, out current);
    }

    /// <summary>Deletes the held services that are neither listed nor in the copy; returns whether there were any.</summary>
    private static bool DeleteUnlisted(HeldState held, ChatonVerification fetched, IReadOnlyCollection<string> listedIds, List<MergeDecision> decisions)
    {
        HashSet<string>? keep = null;
        var count = decisions.Count;
        foreach (var document in held.Documents)
        {
            if (document.Kind != DocumentKind.Service)
            {
                continue;
            }

            if (keep is null)
            {
                keep = new HashSet<string>(listedIds, StringComparer.Ordinal);
                keep.UnionWith(fetched.Services.Select(s => s.Id));
            }

            // A service whose id another document of the copy took is no longer held as a service.
            if (!keep.Contains(document.Id) && !TryFindCurrent(document.Id, HeldState.Empty, decisions, out _))
            {
                decisions.Add(new MergeDecision(MergeAction.Delete, MergeReason.NoLongerListed, document.Kind, document.Id, null));
            }
        }

        return decisions.Count > count;
    }

    private static MergeDecision Take(VerifiedDocument document, MergeReason reason, bool lifts) =>
        new(MergeAction.Take, reason, document.Kind, document.Id, document, LiftsDeletion: lifts);

    /// <summary>Keeps <paramref name="current"/>, with the validators of the response that carried the copy when it has any.</summary>
    private static MergeDecision Keep(VerifiedDocument document, MergeReason reason, HeldDocument current, bool lifts)
    {
        var received = document.Received;
        var refreshes = (received.ETag is not null || received.LastModified is not null)
            && (current.ETag != received.ETag || current.LastModified != received.LastModified);
        return new(MergeAction.Keep, reason, document.Kind, document.Id, document, LiftsDeletion: lifts, RefreshesValidators: refreshes);
    }

    private static MergeDecision Refuse(VerifiedDocument document, MergeReason reason, RejectionReason rejection, string message) =>
        new(MergeAction.Refuse, reason, document.Kind, document.Id, document, new DocumentRejection(document.Kind, document.Id, rejection, message));
}
