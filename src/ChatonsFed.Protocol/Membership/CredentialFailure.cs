using System.Diagnostics.CodeAnalysis;

namespace ChatonsFed.Protocol.Membership;

/// <summary>
/// The first failing step of a credential's (or a status list's) verification; the enum name is the wire and
/// diagnostic name (spec/membership.md §5).
/// </summary>
public enum CredentialFailure
{
    TooLarge,
    Malformed,
    WrongType,
    MissingId,
    WrongOwner,
    WrongSubject,
    SelfEndorsement,
    MissingProof,
    InvalidProof,
    CrossOrigin,
    KeyNotOwned,
    NotYetValid,
    StatusUnavailable,
    Revoked,
    Expired,
    UnexpectedId,
}

/// <summary>The state of an authentic credential (steps 13–16).</summary>
public enum CredentialState
{
    Valid,
    NotYetValid,
    StatusUnavailable,
    Revoked,
    Expired,
}

/// <summary>Wire names of <see cref="CredentialState"/>: valid, notYetValid, statusUnavailable, revoked, expired.</summary>
public static class CredentialStates
{
    public static string WireName(CredentialState s) => s switch
    {
        CredentialState.Valid => "valid",
        CredentialState.NotYetValid => "notYetValid",
        CredentialState.StatusUnavailable => "statusUnavailable",
        CredentialState.Revoked => "revoked",
        CredentialState.Expired => "expired",
        _ => throw new ArgumentOutOfRangeException(nameof(s), s, "not a credential state"),
    };

    /// <summary>Parses a wire name, exactly as <see cref="WireName"/> writes it (case-sensitive).</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, out CredentialState state)
    {
        foreach (var candidate in Enum.GetValues<CredentialState>())
        {
            if (string.Equals(WireName(candidate), s, StringComparison.Ordinal))
            {
                state = candidate;
                return true;
            }
        }

        state = default;
        return false;
    }

    /// <summary>The failure that names a state other than <see cref="CredentialState.Valid"/>; null for valid.</summary>
    public static CredentialFailure? FailureOf(CredentialState s) => s switch
    {
        CredentialState.NotYetValid => CredentialFailure.NotYetValid,
        CredentialState.StatusUnavailable => CredentialFailure.StatusUnavailable,
        CredentialState.Revoked => CredentialFailure.Revoked,
        CredentialState.Expired => CredentialFailure.Expired,
        _ => null,
    };
}
