using System.Text;

namespace ChatonsFed.Aggregator.Verification;

/// <summary>Which of a chaton's documents a document is.</summary>
public enum DocumentKind
{
    Actor,
    Service,
    Attestation,

    /// <summary>The <c>OrderedCollection</c> that lists the chaton's services (signed by ChatonsFed nodes).</summary>
    ServicesCollection,

    /// <summary>An activity about one of the chaton's documents, such as a <c>Delete</c>.</summary>
    Activity,

    /// <summary>A membership credential: an issuer's signed endorsement of a chaton.</summary>
    Credential,

    /// <summary>An issuer's signed revocation list (a bitstring status list) of the credentials it issued.</summary>
    StatusList,
}

/// <summary>
/// One document exactly as received (fetched, found in an activity, or read from a bundle), with the HTTP
/// validators it came with, so that the next poll can be conditional.
/// </summary>
/// <param name="Utf8Json">The bytes as received; they are stored and verified as they are.</param>
public sealed record ReceivedDocument(ReadOnlyMemory<byte> Utf8Json)
{
    /// <summary>The <c>ETag</c> response header, verbatim.</summary>
    public string? ETag { get; init; }

    /// <summary>The <c>Last-Modified</c> response header, verbatim (an HTTP date, echoed in <c>If-Modified-Since</c>).</summary>
    public string? LastModified { get; init; }

    public static ReceivedDocument FromString(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return new ReceivedDocument(Encoding.UTF8.GetBytes(json));
    }
}

/// <summary>
/// Everything received about one chaton in one go: its actor and whichever of its other documents the caller has.
/// A full poll passes every document and <see cref="ListedServiceIds"/>; an inbox activity passes the actor and the
/// one object it carries; a bundle passes what the bundle holds.
/// </summary>
public sealed record ChatonDocumentSet(ReceivedDocument Actor)
{
    public IReadOnlyList<ReceivedDocument> Services { get; init; } = [];

    public ReceivedDocument? Attestation { get; init; }

    public ReceivedDocument? ServicesCollection { get; init; }

    /// <summary>
    /// The ids of every service the chaton lists now (its services collection as fetched from its origin). When given,
    /// a held service that is not in it is removed; when <c>null</c>, nothing is removed. A listed service whose
    /// document is not in <see cref="Services"/> (its fetch failed) keeps the version held.
    /// </summary>
    public IReadOnlyCollection<string>? ListedServiceIds { get; init; }

    /// <summary>The actor id the caller asked for (the URL it fetched); an actor with another id is refused.</summary>
    public string? ExpectedActorId { get; init; }
}

/// <summary>Why a document was not taken into the directory.</summary>
public enum RejectionReason
{
    /// <summary>Not a JSON object, or not readable as the ActivityStreams type it claims.</summary>
    Malformed,

    /// <summary>Larger than <see cref="ChatonVerifierOptions.MaxDocumentBytes"/>.</summary>
    TooLarge,

    /// <summary>Not an <c>Organization</c>, <c>HostedService</c>, <c>CharterAttestation</c> or <c>OrderedCollection</c> where one is expected.</summary>
    WrongType,

    /// <summary>The actor's <c>@context</c> does not define the chatons terms, or the actor has no <c>structureType</c>.</summary>
    MissingChatonsTerms,

    /// <summary>The document has no http(s) <c>id</c>.</summary>
    MissingId,

    /// <summary>The actor's id is not the one asked for, or the key actor is another actor.</summary>
    UnexpectedId,

    /// <summary>The document, or the key that signs it, is not on the actor's origin.</summary>
    CrossOrigin,

    /// <summary>The document's owner (<c>attributedTo</c>) is missing, ambiguous, or not the actor.</summary>
    WrongOwner,

    /// <summary>The document carries no proof.</summary>
    MissingProof,

    /// <summary>The proof is malformed or its signature does not match the document.</summary>
    InvalidProof,

    /// <summary>The proof names a key that is not an <c>assertionMethod</c> Multikey controlled by the owner.</summary>
    KeyNotOwned,

    /// <summary>The same service id appears twice in one set.</summary>
    Duplicate,

    /// <summary>More services than <see cref="ChatonVerifierOptions.MaxServices"/>.</summary>
    TooManyServices,

    /// <summary>The document is older (<c>updated</c>) than the version held: a replay or a stale copy.</summary>
    RolledBack,

    /// <summary>The document is not newer than a deletion the directory has recorded for it.</summary>
    Deleted,

    /// <summary>A credential read from a chaton's <c>endorsements</c> is about another actor.</summary>
    WrongSubject,

    /// <summary>A credential's issuer is its own subject.</summary>
    SelfEndorsement,

    /// <summary>A status list whose <c>validFrom</c> is still to come.</summary>
    NotYetValid,

    /// <summary>A status list whose own <c>validUntil</c> has passed.</summary>
    Expired,

    /// <summary>No verified status list is held for a credential.</summary>
    StatusUnavailable,

    /// <summary>A credential whose bit is set in its issuer's status list.</summary>
    Revoked,

    /// <summary>More credentials from one issuer than an aggregator holds (a flood); the others are not taken.</summary>
    TooManyCredentials,
}

/// <summary>A document refused, with the reason as a value and as a sentence.</summary>
public sealed record DocumentRejection(DocumentKind Kind, string? DocumentId, RejectionReason Reason, string Message)
{
    public override string ToString() => $"{Kind} {DocumentId ?? "(no id)"}: {Reason}: {Message}";
}
