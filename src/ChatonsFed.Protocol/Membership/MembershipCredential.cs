using System.Text.Json.Nodes;

namespace ChatonsFed.Protocol.Membership;

/// <summary>One entry of a credential's <c>criteria</c>: a criterion id the issuer checked itself, and whether it is met.</summary>
public sealed record CriterionCheck(string Id, bool Met, string? Note);

/// <summary>The fields of a credential that passed steps 1–10, read as received (the document is never re-serialised).</summary>
public sealed record MembershipCredential(
    string Id,
    string Issuer,
    string Subject,
    DateTimeOffset ValidFrom,
    DateTimeOffset ValidUntil,
    string CharterVersion,
    string? CharterDigest,
    string AttestationId,
    string AttestationDigest,
    IReadOnlyList<CriterionCheck> Criteria,
    string? Note,
    string StatusListUrl,
    int StatusListIndex,
    string VerificationMethod,
    DateTimeOffset ProofCreated)
{
    /// <summary>When it stops counting, whatever its status: the earlier of <c>validUntil</c> and <c>validFrom</c> + 400 days (step 16).</summary>
    public DateTimeOffset CountsUntil
    {
        get
        {
            var limit = ValidFrom + CredentialVerifier.MaxValidity;
            return ValidUntil < limit ? ValidUntil : limit;
        }
    }

    /// <summary>
    /// Whether an issuer or holder still lists it in its collections at <paramref name="now"/>: until
    /// <see cref="MembershipCollections.Retention"/> after <see cref="ValidUntil"/>, revoked or not.
    /// </summary>
    public bool IsRetainedAt(DateTimeOffset now) => now < ValidUntil + MembershipCollections.Retention;
}

/// <summary>Where a credential was read from (step 5).</summary>
public enum CredentialSourceKind
{
    /// <summary>Fetched from its own id, or received otherwise than in a collection.</summary>
    Direct,

    /// <summary>Embedded in an actor's <c>issuedEndorsements</c>: the issuer must be that actor.</summary>
    Issued,

    /// <summary>Embedded in an actor's <c>endorsements</c>: the subject must be that actor.</summary>
    Held,
}

/// <summary>Where a credential was read from, and the actor whose collection held it.</summary>
public readonly record struct CredentialSource(CredentialSourceKind Kind, string? CollectionOwner)
{
    public static CredentialSource Direct { get; } = new(CredentialSourceKind.Direct, null);

    /// <summary>Read from the <c>issuedEndorsements</c> of <paramref name="actorId"/>.</summary>
    public static CredentialSource IssuedBy(string actorId)
    {
        ArgumentException.ThrowIfNullOrEmpty(actorId);
        return new(CredentialSourceKind.Issued, actorId);
    }

    /// <summary>Read from the <c>endorsements</c> of <paramref name="actorId"/>.</summary>
    public static CredentialSource HeldBy(string actorId)
    {
        ArgumentException.ThrowIfNullOrEmpty(actorId);
        return new(CredentialSourceKind.Held, actorId);
    }
}

/// <summary>The result of steps 1–10, which need no key: the document and its fields, or the first failing step.</summary>
public sealed record CredentialParse(JsonObject? Document, MembershipCredential? Credential, CredentialFailure? Failure, string? Detail)
{
    public bool Succeeded => Failure is null;

    /// <summary>How many of steps 1–10 passed (10 when it succeeded).</summary>
    public int StepsPassed { get; init; } = 10;
}

/// <summary>
/// A credential's full verdict. <see cref="Authentic"/>: steps 1–12 passed, and <see cref="State"/> is then set;
/// <see cref="Failure"/> is the first failing step (for an authentic credential, the one its state names).
/// </summary>
public sealed record CredentialVerdict(
    MembershipCredential? Credential,
    bool Authentic,
    CredentialState? State,
    CredentialFailure? Failure,
    string? Detail)
{
    /// <summary>Authentic and valid now.</summary>
    public bool Accepted => Authentic && State == CredentialState.Valid;

    /// <summary>How many of the 16 steps passed in order (16 when accepted), to choose between two copies of one id.</summary>
    public int StepsPassed { get; init; }
}

/// <summary>What an issuer fills in to make a credential (<see cref="MembershipCredentialBuilder.Build"/>).</summary>
public sealed record CredentialDraft(
    string Id,
    string Issuer,
    string Subject,
    DateTimeOffset ValidFrom,
    DateTimeOffset ValidUntil,
    string CharterVersion,
    string? CharterDigest,
    string AttestationId,
    string AttestationDigest,
    IReadOnlyList<CriterionCheck> Criteria,
    string? Note,
    string StatusListUrl,
    int StatusListIndex);
