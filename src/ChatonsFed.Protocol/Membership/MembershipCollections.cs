namespace ChatonsFed.Protocol.Membership;

/// <summary>
/// Where ChatonsFed serves membership documents under an actor's base URL, how long credentials stay listed, how
/// many items an aggregator reads, and how long a held status list counts when its issuer cannot be reached
/// (spec/membership.md §3 and §6).
/// </summary>
public static class MembershipCollections
{
    /// <summary>The subject's <c>endorsements</c>: the credentials it holds.</summary>
    public const string HeldPath = "/membership/endorsements";

    /// <summary>The issuer's <c>issuedEndorsements</c>; each credential is served at <c>{IssuedPath}/{random}</c>.</summary>
    public const string IssuedPath = "/membership/issued";

    /// <summary>The issuer's revocation list.</summary>
    public const string StatusPath = "/membership/status";

    /// <summary>The most items an aggregator reads from an <c>endorsements</c> collection.</summary>
    public const int MaxHeldItems = 200;

    /// <summary>The most items an aggregator reads from an <c>issuedEndorsements</c> collection.</summary>
    public const int MaxIssuedItems = 1000;

    /// <summary>How long after its <c>validUntil</c> a credential, revoked or expired, stays in the collections.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(400);

    /// <summary>How long the last verified copy of a status list keeps counting while no fetch of it succeeds.</summary>
    public static readonly TimeSpan HeldStatusListLifetime = TimeSpan.FromDays(7);

    /// <summary>
    /// Whether the bits held for a list, last verified at <paramref name="lastVerified"/> (a fetch that passed §5.2,
    /// changed or not), still count at <paramref name="now"/>; when false, pass no list to
    /// <see cref="CredentialVerifier.StateAt(MembershipCredential, DateTimeOffset, StatusListBits)"/> (StatusUnavailable).
    /// </summary>
    public static bool HeldStatusListCounts(DateTimeOffset lastVerified, DateTimeOffset now) => now < lastVerified + HeldStatusListLifetime;
}
