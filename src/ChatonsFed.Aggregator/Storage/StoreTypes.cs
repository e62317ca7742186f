using ChatonsFed.Aggregator.Verification;
using ChatonsFed.Directory.Node;

namespace ChatonsFed.Aggregator.Storage;

/// <summary>How a store is set up.</summary>
public sealed record DirectoryStoreOptions
{
    /// <summary>How many diagnostics are kept; the oldest go first.</summary>
    public int MaxDiagnostics { get; init; } = 10_000;

    /// <summary>The service categories for labels and families; the embedded list when absent.</summary>
    public ServiceCategoryCatalog? Categories { get; init; }

    /// <summary>The charter criteria for "declares all required criteria"; the embedded list when absent.</summary>
    public CharterCriteriaCatalog? Criteria { get; init; }
}

/// <summary>What a change did to the directory.</summary>
public enum ApplyOutcome
{
    /// <summary>The chaton was not listed and now is.</summary>
    Added,

    /// <summary>Some of the chaton's documents changed.</summary>
    Updated,

    /// <summary>Nothing the chaton publishes changed (it was seen, and its validators may have been refreshed).</summary>
    Unchanged,

    /// <summary>The chaton, or the object, is no longer listed.</summary>
    Removed,

    /// <summary>There was nothing to remove (the deletion is recorded all the same).</summary>
    NotFound,

    /// <summary>Nothing was taken: the actor did not verify, or the change was older than what is held.</summary>
    Refused,
}

/// <summary>The outcome of one change, with every document that was refused (by verification or as a roll-back).</summary>
public sealed record ApplyResult(string? ActorId, ApplyOutcome Outcome, IReadOnlyList<DocumentRejection> Refusals);

/// <summary>A held document: its bytes exactly as received, and the validators of the response that carried them.</summary>
public sealed record StoredDocument(DocumentKind Kind, string Id, ReadOnlyMemory<byte> Utf8Json, DateTimeOffset? Version, string? ETag, string? LastModified, DateTimeOffset Received)
{
    /// <summary>The document as it can be verified again.</summary>
    public ReceivedDocument ToReceived() => new(Utf8Json) { ETag = ETag, LastModified = LastModified };
}

/// <summary>All documents held for one chaton.</summary>
public sealed record StoredChaton(StoredDocument Actor, IReadOnlyList<StoredDocument> Services, StoredDocument? Attestation, StoredDocument? ServicesCollection)
{
    /// <summary>The documents as a set to verify again (no <see cref="ChatonDocumentSet.ListedServiceIds"/>: nothing is removed by it).</summary>
    public ChatonDocumentSet ToDocumentSet() => new(Actor.ToReceived())
    {
        Services = [.. Services.Select(s => s.ToReceived())],
        Attestation = Attestation?.ToReceived(),
        ServicesCollection = ServicesCollection?.ToReceived(),
    };
}

/// <summary>The validators of one held document, for a conditional request (<c>If-None-Match</c>, <c>If-Modified-Since</c>).</summary>
public sealed record DocumentValidators(DocumentKind Kind, string Id, string? ETag, string? LastModified);

/// <summary>A refusal kept in the store's bounded log.</summary>
public sealed record DirectoryDiagnostic(int Sequence, DateTimeOffset At, string? ActorId, DocumentKind Kind, string? DocumentId, RejectionReason Reason, string Message);
