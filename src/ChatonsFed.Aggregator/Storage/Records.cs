using ChatonsFed.Aggregator.Listing;
using ChatonsFed.Aggregator.Merging;
using ChatonsFed.Aggregator.Verification;

namespace ChatonsFed.Aggregator.Storage;

// Records as LiteDB stores them: plain classes with settable members. Instants are UTC ticks.

/// <summary>One listed chaton: its listing (JSON), what is known of each held document, and local observations.</summary>
internal sealed class ChatonRecord
{
    /// <summary>The actor id.</summary>
    public string Id { get; set; } = "";

    /// <summary>The <see cref="ChatonListing"/> as JSON, without the observation.</summary>
    public string Listing { get; set; } = "";

    /// <summary>The held documents, in the order of their bytes in the chaton's <see cref="BlobRecord"/>.</summary>
    public List<DocumentRecord> Documents { get; set; } = [];

    public long FirstSeen { get; set; }

    public long LastSeen { get; set; }

    public bool Stale { get; set; }

    public VerificationState State { get; set; }
}

/// <summary>What is known of one held document besides its bytes.</summary>
internal sealed class DocumentRecord
{
    public string Id { get; set; } = "";

    public DocumentKind Kind { get; set; }

    public long? Version { get; set; }

    public long? ProofCreated { get; set; }

    public string? ETag { get; set; }

    public string? LastModified { get; set; }

    public long Received { get; set; }

    /// <summary>The length of the document's bytes within the blob.</summary>
    public int Length { get; set; }

    /// <summary>The document as the merge policy weighs it, with <paramref name="bytes"/> when they are at hand.</summary>
    public HeldDocument ToHeld(ReadOnlyMemory<byte> bytes = default) => new(Kind, Id, Version, ProofCreated, bytes, ETag, LastModified);
}

/// <summary>The verbatim bytes of a chaton's held documents, one after the other, compressed together (Brotli).</summary>
internal sealed class BlobRecord
{
    public string Id { get; set; } = "";

    public byte[] Data { get; set; } = [];
}

/// <summary>A deleted actor or object: copies not newer than <see cref="Deleted"/> are refused.</summary>
internal sealed class TombstoneRecord
{
    /// <summary>The deleted document's id.</summary>
    public string Id { get; set; } = "";

    public string ActorId { get; set; } = "";

    public long Deleted { get; set; }
}

internal sealed class DiagnosticRecord
{
    public int Id { get; set; }

    public long At { get; set; }

    public string? ActorId { get; set; }

    public string? DocumentId { get; set; }

    public DocumentKind Kind { get; set; }

    public RejectionReason Reason { get; set; }

    public string Message { get; set; } = "";
}
