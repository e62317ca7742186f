namespace ChatonsFed.Node.Admin;

/// <summary>Changes to the charter declaration, criterion by criterion.</summary>
/// <remarks>
/// Settable rather than init-only: generated JSON code sets every init-only member, null when the request omits it,
/// while a settable member the request omits keeps its empty default.
/// </remarks>
public sealed record AttestationChanges
{
    public IReadOnlyList<string> Met { get; set; } = [];
    public IReadOnlyList<string> NotMet { get; set; } = [];
    public IReadOnlyDictionary<string, string> Notes { get; set; } = new Dictionary<string, string>();

    /// <summary>Marks every required criterion of the charter as met.</summary>
    public bool AllRequiredMet { get; init; }
}

/// <summary>What a change did: warnings worth showing, the service slug concerned, how many deliveries were queued and for how many followers.</summary>
public sealed record ChangeResult
{
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public string? Slug { get; init; }
    public int DeliveriesQueued { get; init; }

    /// <summary>The followers the change's activities were queued for.</summary>
    public int FollowersNotified { get; init; }

    public IReadOnlyList<string> Activities { get; init; } = [];
}

/// <summary>A charter criterion's label in French and English.</summary>
public sealed record CriterionLabel(string French, string English);

/// <summary>An endorsement to issue: the subject (an actor URL, <c>acct:NAME@HOST</c> or <c>@NAME@HOST</c>), for how long, what was checked.</summary>
/// <remarks>Settable members, for the same reason as <see cref="AttestationChanges"/>.</remarks>
public sealed record EndorseRequest
{
    public string? Subject { get; set; }

    /// <summary>Days of validity, 1 to 400; 365 when absent.</summary>
    public int? ValidDays { get; set; }

    /// <summary>The criteria the issuer checked itself: <c>all</c> (every criterion of the charter list), or ids separated by commas.</summary>
    public string? Criteria { get; set; }

    /// <summary>Public plain text, such as the address of the review on the collective's forum.</summary>
    public string? Note { get; set; }
}

/// <summary>The owner's new password for the web page (at least 12 characters); it is stored only as a slow salted hash.</summary>
/// <remarks>Settable, for the same reason as <see cref="AttestationChanges"/>.</remarks>
public sealed record AdminPasswordRequest
{
    public string? Password { get; set; }
}

/// <summary>The credential to revoke, by its id.</summary>
public sealed record RevokeRequest
{
    public string? Id { get; set; }
}

/// <summary>What an endorsement made: the credential's id and validity, and the <c>Add</c> that announces it.</summary>
public sealed record EndorseResult
{
    public string Id { get; init; } = string.Empty;
    public string Subject { get; init; } = string.Empty;
    public DateTimeOffset ValidFrom { get; init; }
    public DateTimeOffset ValidUntil { get; init; }
    public int DeliveriesQueued { get; init; }

    /// <summary>The followers the <c>Add</c> was queued for (besides the subject).</summary>
    public int FollowersNotified { get; init; }

    public IReadOnlyList<string> Activities { get; init; } = [];
}

/// <summary>What a revocation did; nothing when the credential was already revoked.</summary>
public sealed record RevokeResult
{
    public string Id { get; init; } = string.Empty;
    public bool AlreadyRevoked { get; init; }
    public DateTimeOffset? Revoked { get; init; }
    public int DeliveriesQueued { get; init; }

    /// <summary>The followers the list's <c>Update</c> was queued for (besides the subject).</summary>
    public int FollowersNotified { get; init; }

    public IReadOnlyList<string> Activities { get; init; } = [];
}

/// <summary>One membership credential as the owner's list shows it; <see cref="State"/> is valid, expired, revoked, notYetValid or statusUnavailable.</summary>
public sealed record CredentialEntry(string Id, string Issuer, string Subject, DateTimeOffset ValidFrom, DateTimeOffset ValidUntil, string State);

/// <summary>The credentials the chaton issued, then those about it that it holds.</summary>
public sealed record MembershipOverview(IReadOnlyList<CredentialEntry> Issued, IReadOnlyList<CredentialEntry> Held);
