using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Aggregator.Verification;

/// <summary>A document whose proof verified against its owner's key, with the bytes as received and what was read from them.</summary>
public sealed class VerifiedDocument
{
    private byte[]? _bytes;

    internal VerifiedDocument(DocumentKind kind, string id, ReceivedDocument received, JsonLdNode parsed, DateTimeOffset? version, DateTimeOffset? proofCreated)
    {
        Kind = kind;
        Id = id;
        Received = received;
        Parsed = parsed;
        Version = version;
        ProofCreated = proofCreated;
    }

    public DocumentKind Kind { get; }

    public string Id { get; }

    /// <summary>The bytes and HTTP validators as received.</summary>
    public ReceivedDocument Received { get; }

    /// <summary>The document read into the vocabulary (<see cref="Organization"/>, <see cref="HostedService"/>, <see cref="CharterAttestation"/> or <see cref="OrderedCollection"/>).</summary>
    public JsonLdNode Parsed { get; }

    /// <summary>The document's <c>updated</c>, else its <c>published</c>, else its proof's <c>created</c>: what roll-back checks compare.</summary>
    public DateTimeOffset? Version { get; }

    /// <summary>When the (first) proof was created; breaks ties between two copies of the same version.</summary>
    public DateTimeOffset? ProofCreated { get; }

    /// <summary>The received bytes as one array of their own, copied once whoever asks first.</summary>
    internal byte[] Bytes
    {
        get
        {
            if (Volatile.Read(ref _bytes) is { } bytes)
            {
                return bytes;
            }

            Interlocked.CompareExchange(ref _bytes, Received.Utf8Json.ToArray(), null);
            return _bytes;
        }
    }
}

/// <summary>
/// The outcome of verifying a <see cref="ChatonDocumentSet"/>: the documents that passed, and a rejection for each
/// one that did not. The chaton can be listed when its actor passed; a refused service or attestation is left out
/// (the version held, if any, stays) without keeping the rest from being listed.
/// </summary>
public sealed class ChatonVerification
{
    internal ChatonVerification(string? actorId, VerifiedDocument? actor, IReadOnlyList<VerifiedDocument> services, VerifiedDocument? attestation, VerifiedDocument? servicesCollection, IReadOnlyCollection<string>? listedServiceIds, IReadOnlyList<DocumentRejection> rejections)
    {
        ActorId = actorId;
        Actor = actor;
        Services = services;
        Attestation = attestation;
        ServicesCollection = servicesCollection;
        ListedServiceIds = listedServiceIds;
        Rejections = rejections;
    }

    /// <summary>The actor's id when the actor document had one (even if it was refused).</summary>
    public string? ActorId { get; }

    /// <summary>Whether the actor passed, so that the chaton can be listed.</summary>
    public bool IsListable => Actor is not null;

    public VerifiedDocument? Actor { get; }

    public IReadOnlyList<VerifiedDocument> Services { get; }

    public VerifiedDocument? Attestation { get; }

    public VerifiedDocument? ServicesCollection { get; }

    /// <summary>As given in the set: when not null, held services missing from it are removed.</summary>
    public IReadOnlyCollection<string>? ListedServiceIds { get; }

    public IReadOnlyList<DocumentRejection> Rejections { get; }

    /// <summary>The ids of the services that were refused, so that their held versions are kept.</summary>
    internal IEnumerable<string> RejectedServiceIds =>
        Rejections.Where(r => r.Kind == DocumentKind.Service && r.DocumentId is not null).Select(r => r.DocumentId!);
}

/// <summary>A verified <c>Delete</c>: which of the chaton's documents is gone, and since when.</summary>
public sealed class DeleteVerification
{
    internal DeleteVerification(string? actorId, string? objectId, DocumentKind? kind, DateTimeOffset? deleted, DocumentRejection? rejection)
    {
        ActorId = actorId;
        ObjectId = objectId;
        Kind = kind;
        Deleted = deleted;
        Rejection = rejection;
    }

    public bool IsValid => Rejection is null;

    public string? ActorId { get; }

    /// <summary>The deleted object's id; the actor's id when the chaton leaves the network.</summary>
    public string? ObjectId { get; }

    /// <summary>What was deleted, from the tombstone's <c>formerType</c>; <c>null</c> when it does not say.</summary>
    public DocumentKind? Kind { get; }

    /// <summary>The tombstone's <c>deleted</c>, else the activity's <c>published</c>.</summary>
    public DateTimeOffset? Deleted { get; }

    public DocumentRejection? Rejection { get; }
}
