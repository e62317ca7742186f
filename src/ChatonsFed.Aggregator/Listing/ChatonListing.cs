using System.Text.Json.Serialization;
using ChatonsFed.Directory.Node;

namespace ChatonsFed.Aggregator.Listing;

/// <summary>
/// What the directory shows of one chaton, read from its verified documents. Enumerated values are kept as written on
/// the wire (an unknown value is kept, not dropped); <see cref="Observation"/> is what this aggregator saw locally.
/// </summary>
public sealed record ChatonListing
{
    public required string ActorId { get; init; }

    public string? PreferredUsername { get; init; }

    public required string Name { get; init; }

    /// <summary>The actor's summary as plain text (its HTML paragraphs become blank-line separated text).</summary>
    public string Summary { get; init; } = "";

    public string? Website { get; init; }

    /// <summary>The wire value of <c>structureType</c>, such as <c>ASSOCIATION</c>.</summary>
    public string? StructureType { get; init; }

    /// <summary>The wire value of <c>membership.status</c>, such as <c>ACTIVE</c>.</summary>
    public string? MembershipStatus { get; init; }

    public DateOnly? MemberSince { get; init; }

    public DateOnly? MemberUntil { get; init; }

    public string? Country { get; init; }

    public PlaceListing? Location { get; init; }

    public string? Contact { get; init; }

    public string? LegalNotice { get; init; }

    public string? Icon { get; init; }

    /// <summary>The actor's own <c>updated</c> (or <c>published</c>).</summary>
    public DateTimeOffset? ActorUpdated { get; init; }

    /// <summary>The chaton's services, ordered by id (ordinal).</summary>
    public IReadOnlyList<ServiceListing> Services { get; init; } = [];

    public AttestationListing? Attestation { get; init; }

    /// <summary>What this aggregator observed: first and last sighting, staleness, the last check's outcome. Not exported.</summary>
    [JsonIgnore]
    public ChatonObservation Observation { get; init; } = ChatonObservation.None;

    /// <summary>The latest <c>updated</c> among the actor, its services and its attestation.</summary>
    [JsonIgnore]
    public DateTimeOffset? LastUpdated =>
        Services.Select(s => s.Updated).Append(ActorUpdated).Append(Attestation?.Updated).Max();

    /// <summary>Whether the attestation declares every criterion that <paramref name="criteria"/> marks required as met.</summary>
    public bool DeclaresAllRequiredCriteria(CharterCriteriaCatalog criteria)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        if (Attestation is null)
        {
            return false;
        }

        var met = Attestation.Met.ToHashSet(StringComparer.Ordinal);
        return criteria.Criteria.Where(c => c.Level == CriterionLevel.Required).All(c => met.Contains(c.Id));
    }
}

/// <summary>Where a chaton is: decimal degrees, checked to be in range when read.</summary>
public sealed record PlaceListing(string? Name, double Latitude, double Longitude);

/// <summary>One hosted service as the directory shows it; enumerated values as written on the wire.</summary>
public sealed record ServiceListing
{
    public required string Id { get; init; }

    public string Name { get; init; } = "";

    public string Summary { get; init; } = "";

    public string? Url { get; init; }

    /// <summary>The category id as written; an id the shared list does not know is kept.</summary>
    public string? Category { get; init; }

    public string? SoftwareName { get; init; }

    public string? SoftwareVersion { get; init; }

    public string? License { get; init; }

    public string? SourceCode { get; init; }

    /// <summary><c>none</c>, <c>free</c>, <c>member</c> or <c>client</c>.</summary>
    public string? Registration { get; init; }

    /// <summary><c>open</c> or <c>full</c>.</summary>
    public string? Capacity { get; init; }

    /// <summary><c>ok</c>, <c>degraded</c>, <c>down</c> or <c>closed</c>.</summary>
    public string? Status { get; init; }

    public DateTimeOffset? Updated { get; init; }

    /// <summary>Whether people can open an account now: capacity <c>open</c> and status not <c>closed</c>.</summary>
    [JsonIgnore]
    public bool OpenToNewAccounts =>
        Capacity == WireNames.ToWire(Directory.Node.Capacity.Open) && Status != WireNames.ToWire(ServiceStatus.Closed);
}

/// <summary>A chaton's declaration on the charter: the criteria it says it meets and those it says it does not.</summary>
public sealed record AttestationListing
{
    public required string Id { get; init; }

    public string? CharterVersion { get; init; }

    public string? CharterUrl { get; init; }

    /// <summary>Criterion ids declared met, in the attestation's order.</summary>
    public IReadOnlyList<string> Met { get; init; } = [];

    /// <summary>Criterion ids declared not met, in the attestation's order.</summary>
    public IReadOnlyList<string> NotMet { get; init; } = [];

    public DateTimeOffset? Updated { get; init; }

    /// <summary>
    /// The attestation's digest as membership credentials name the one reviewed (SHA-256 of its canonical form without
    /// its proof); null for a listing stored before it was kept, or read from elsewhere than a signed attestation.
    /// </summary>
    public string? Digest { get; init; }
}

/// <summary>The outcome of the last check of a chaton's documents.</summary>
public enum VerificationState
{
    /// <summary>Every document of the last check verified.</summary>
    Verified,

    /// <summary>The last check refused some services or the attestation; the rest is listed, the refused ones keep their previous version.</summary>
    PartlyRejected,

    /// <summary>The last check refused the actor; the listing shows the documents verified before.</summary>
    LastCheckRejected,
}

/// <summary>What this aggregator saw of a chaton: local facts, never exported (two aggregators see them differently).</summary>
public sealed record ChatonObservation(DateTimeOffset FirstSeen, DateTimeOffset LastSeen, bool Stale, VerificationState State)
{
    public static ChatonObservation None { get; } = new(default, default, false, VerificationState.Verified);
}
