using ChatonsFed.Aggregator.Listing;
using ChatonsFed.Aggregator.Storage;
using ChatonsFed.Aggregator.Verification;

namespace ChatonsFed.Aggregator.Merging;

/// <summary>What the directory holds of one document: what a fetched copy of it is weighed against.</summary>
/// <param name="Version">The version (UTC ticks) as <see cref="VerifiedDocument.Version"/> read it when it was taken.</param>
/// <param name="ProofCreated">When its proof was created (UTC ticks).</param>
/// <param name="Utf8Json">Its bytes as received; empty where only a deletion is weighed against it.</param>
/// <param name="ETag">The validators of the response that carried it.</param>
internal readonly record struct HeldDocument(DocumentKind Kind, string Id, long? Version, long? ProofCreated, ReadOnlyMemory<byte> Utf8Json, string? ETag, string? LastModified)
{
    /// <summary>The document as held once <paramref name="document"/> is taken.</summary>
    public static HeldDocument Of(VerifiedDocument document) => new(
        document.Kind,
        document.Id,
        document.Version?.UtcTicks,
        document.ProofCreated?.UtcTicks,
        document.Received.Utf8Json,
        document.Received.ETag,
        document.Received.LastModified);
}

/// <summary>
/// What the directory holds of one chaton when a fetched copy comes in: its documents, and the deletions recorded for
/// the ids the copy carries (as UTC ticks).
/// </summary>
internal sealed class HeldState
{
    private readonly Dictionary<string, HeldDocument> _byId;
    private readonly IReadOnlyDictionary<string, long>? _deletions;

    public HeldState(IReadOnlyList<HeldDocument> documents, IReadOnlyDictionary<string, long>? deletions = null)
    {
        ArgumentNullException.ThrowIfNull(documents);
        Documents = documents;
        _byId = new Dictionary<string, HeldDocument>(documents.Count, StringComparer.Ordinal);
        foreach (var document in documents)
        {
            _byId[document.Id] = document;
        }

        _deletions = deletions;
    }

    /// <summary>Nothing held and nothing deleted.</summary>
    public static HeldState Empty { get; } = new([]);

    /// <summary>The held documents.</summary>
    public IReadOnlyList<HeldDocument> Documents { get; }

    public bool TryFind(string id, out HeldDocument document) => _byId.TryGetValue(id, out document);

    /// <summary>When the document <paramref name="id"/> was deleted (UTC ticks); <c>null</c> when no deletion is recorded.</summary>
    public long? DeletedAt(string id) => _deletions is not null && _deletions.TryGetValue(id, out var deleted) ? deleted : null;
}

/// <summary>What becomes of one document.</summary>
internal enum MergeAction
{
    /// <summary>The fetched copy takes the place of the version held, if any.</summary>
    Take,

    /// <summary>The version held stays; the fetched copy adds nothing (its validators may be kept, see <see cref="MergeDecision.RefreshesValidators"/>).</summary>
    Keep,

    /// <summary>The fetched copy is refused (<see cref="MergeDecision.Refusal"/>) and the version held, if any, stays.</summary>
    Refuse,

    /// <summary>The version held leaves the directory and its deletion is recorded.</summary>
    Delete,
}

/// <summary>Which rule settled a <see cref="MergeDecision"/>.</summary>
internal enum MergeReason
{
    /// <summary>Taken: nothing is held under its id.</summary>
    NotHeld,

    /// <summary>Taken: its version is newer than the version held, or the version held has none.</summary>
    Newer,

    /// <summary>Kept: the fetched copy has the very bytes held.</summary>
    SameCopy,

    /// <summary>Same version, other bytes: taken, its proof was created later than the held one's.</summary>
    LaterProof,

    /// <summary>Same version, other bytes: kept, the held proof was created later.</summary>
    EarlierProof,

    /// <summary>Same version, proofs of the same instant: taken, its canonical form sorts after the held one's.</summary>
    GreaterCanonicalForm,

    /// <summary>Same version, proofs of the same instant: kept, its canonical form does not sort after the held one's.</summary>
    CanonicalFormNotGreater,

    /// <summary>Refused as <see cref="RejectionReason.RolledBack"/>: older than the version held, or of no version where the held one has one.</summary>
    Older,

    /// <summary>Refused as <see cref="RejectionReason.Deleted"/>: not newer than the deletion recorded for its id.</summary>
    NotNewerThanDeletion,

    /// <summary>Deleted: a service no longer among those the chaton lists.</summary>
    NoLongerListed,

    /// <summary>Deleted: a verified <c>Delete</c> not older than the version held.</summary>
    DeletedByOwner,

    /// <summary>A verified <c>Delete</c> refused as <see cref="RejectionReason.RolledBack"/>: the version held is newer.</summary>
    HeldNewerThanDeletion,
}

/// <summary>The decision on one document, and the rule behind it.</summary>
/// <param name="Document">The fetched copy; <c>null</c> for a <see cref="MergeAction.Delete"/>.</param>
/// <param name="Refusal">The rejection reported for a <see cref="MergeAction.Refuse"/>.</param>
/// <param name="LiftsDeletion">The copy is newer than the deletion recorded for its id, which no longer holds.</param>
/// <param name="RefreshesValidators">A kept document whose validators (<c>ETag</c>, <c>Last-Modified</c>) are replaced by the fetched copy's.</param>
internal readonly record struct MergeDecision(
    MergeAction Action,
    MergeReason Reason,
    DocumentKind Kind,
    string Id,
    VerifiedDocument? Document,
    DocumentRejection? Refusal = null,
    bool LiftsDeletion = false,
    bool RefreshesValidators = false);

/// <summary>The decisions on one fetched copy of a chaton, in the order they apply, and what they add up to.</summary>
/// <param name="Outcome"><see cref="ApplyOutcome.Refused"/> when its actor is neither held nor taken (nothing of it can be listed), else <see cref="ApplyOutcome.Added"/>, <see cref="ApplyOutcome.Updated"/> or <see cref="ApplyOutcome.Unchanged"/>.</param>
/// <param name="Refusals">The refusals of verification, then those of the merge.</param>
internal sealed record MergePlan(ApplyOutcome Outcome, IReadOnlyList<MergeDecision> Decisions, IReadOnlyList<DocumentRejection> Refusals)
{
    /// <summary>Whether the documents held change (some taken or deleted).</summary>
    public bool ChangesDocuments => Outcome is ApplyOutcome.Added or ApplyOutcome.Updated;

    /// <summary>The chaton's state after this check, unless it is refused.</summary>
    public VerificationState State => Refusals.Count == 0 ? VerificationState.Verified : VerificationState.PartlyRejected;
}
