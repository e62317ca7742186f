using System.Text.Json.Serialization;
using ChatonsFed.Aggregator.ChatonsInfosSource;
using ChatonsFed.Aggregator.Listing;
using ChatonsFed.Aggregator.Search;
using ChatonsFed.Directory.Node;

namespace ChatonsFed.Aggregator.Api;

/// <summary>One chaton as the directory API gives it: what it publishes, its declaration, and what this aggregator saw.</summary>
public sealed record DirectoryEntry(
    string Id,
    string Name,
    string? PreferredUsername,
    string Summary,
    string? Website,
    string? StructureType,
    EntryMembership? Membership,
    string? Country,
    EntryLocation? Location,
    string? Contact,
    string? LegalNotice,
    string? Icon,
    DateTimeOffset? Updated,
    IReadOnlyList<EntryService> Services,
    EntryCharter? Charter,
    EntryVerification Verification)
{
    /// <summary>The distance from the search's centre, in km.</summary>
    public double? DistanceKm { get; init; }

    /// <summary>The services that matched the search's service criteria.</summary>
    public IReadOnlyList<string>? MatchingServices { get; init; }

    /// <summary><c>signed</c>: read from the chaton's signed documents; <c>chatonsinfos</c>: an unsigned entry, read from a ChatonsInfos file.</summary>
    public string Source { get; init; } = SignedSource;

    /// <summary>For an unsigned entry: the federation file that listed it and the organization file it was read from.</summary>
    public EntryChatonsInfos? ChatonsInfos { get; init; }

    /// <summary>
    /// A verified chaton and an unsigned entry that give the same website while nothing proves they are the same (the
    /// organization file does not name the actor, the actor does not live on the website's host): both are listed, and
    /// each entry names the other here. Null when there is none.
    /// </summary>
    public IReadOnlyList<WebsiteConflict>? WebsiteConflicts { get; init; }

    /// <summary>
    /// This aggregator's view of the chaton's membership, from its trust roots and quorum; left out when it has no
    /// trust root (and for unsigned entries).
    /// </summary>
    public EntryAdmission? Admission { get; init; }

    /// <summary>This aggregator's observatory: the website and legal notice as last checked, and the discrepancies; left out when nothing was observed.</summary>
    public Observatory.EntryObservation? Observation { get; init; }

    public const string SignedSource = "signed";
    public const string ChatonsInfosSource = "chatonsinfos";
    public const string UnsignedState = "Unsigned";

    /// <summary>An unsigned entry: what an organization file says, marked as such.</summary>
    public static DirectoryEntry FromUnsigned(ChatonListing listing, UnsignedOrigin origin, CharterCriteriaCatalog criteria, ServiceCategoryCatalog categories)
    {
        ArgumentNullException.ThrowIfNull(origin);
        return From(listing, criteria, categories) with
        {
            Verification = new EntryVerification(UnsignedState, false, origin.Read, origin.Read),
            Source = ChatonsInfosSource,
            ChatonsInfos = new EntryChatonsInfos(origin.Federation, origin.OrganizationFile),
        };
    }

    public static DirectoryEntry From(ChatonListing listing, CharterCriteriaCatalog criteria, ServiceCategoryCatalog categories)
    {
        ArgumentNullException.ThrowIfNull(listing);
        ArgumentNullException.ThrowIfNull(criteria);
        ArgumentNullException.ThrowIfNull(categories);
        var observation = listing.Observation;
        return new DirectoryEntry(
            listing.ActorId,
            listing.Name,
            listing.PreferredUsername,
            listing.Summary,
            listing.Website,
            listing.StructureType,
            listing.MembershipStatus is null && listing.MemberSince is null && listing.MemberUntil is null ? null : new EntryMembership(listing.MembershipStatus, listing.MemberSince, listing.MemberUntil),
            listing.Country,
            listing.Location is { } place ? new EntryLocation(place.Name, place.Latitude, place.Longitude) : null,
            listing.Contact,
            listing.LegalNotice,
            listing.Icon,
            listing.LastUpdated,
            [.. listing.Services.Select(s => EntryService.From(s, categories))],
            listing.Attestation is { } attestation
                ? new EntryCharter(attestation.Id, attestation.CharterVersion, attestation.CharterUrl, attestation.Met, attestation.NotMet, listing.DeclaresAllRequiredCriteria(criteria), attestation.Updated)
                : null,
            new EntryVerification(observation.State.ToString(), observation.Stale, observation.FirstSeen, observation.LastSeen));
    }

    public static DirectoryEntry From(SearchHit hit, CharterCriteriaCatalog criteria, ServiceCategoryCatalog categories)
    {
        ArgumentNullException.ThrowIfNull(hit);
        return From(hit.Chaton, criteria, categories) with { DistanceKm = hit.DistanceKm, MatchingServices = hit.MatchingServiceIds };
    }
}

/// <summary>Where an unsigned entry was read: the federation file (as configured) and the organization file.</summary>
public sealed record EntryChatonsInfos(string Federation, string OrganizationFile);

public sealed record EntryMembership(string? Status, DateOnly? Since, DateOnly? Until);

public sealed record EntryLocation(string? Name, double Latitude, double Longitude);

/// <summary>One hosted service; <see cref="CategoryLabel"/> is the shared list's French label (or "autre").</summary>
public sealed record EntryService(
    string Id,
    string Name,
    string Summary,
    string? Url,
    string? Category,
    string CategoryLabel,
    EntrySoftware? Software,
    string? Registration,
    string? Capacity,
    string? Status,
    bool OpenToNewAccounts,
    DateTimeOffset? Updated)
{
    /// <summary>The service's URL as this aggregator's observatory last checked it; left out when it was not checked yet.</summary>
    public Observatory.ObservationView? Observation { get; init; }

    public static EntryService From(ServiceListing service, ServiceCategoryCatalog categories)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(categories);
        var label = service.Category is { } id ? categories.Describe(id).LabelFr : "autre";
        var software = service.SoftwareName is null ? null : new EntrySoftware(service.SoftwareName, service.SoftwareVersion, service.License, service.SourceCode);
        return new EntryService(service.Id, service.Name, service.Summary, service.Url, service.Category, label, software, service.Registration, service.Capacity, service.Status, service.OpenToNewAccounts, service.Updated);
    }
}

public sealed record EntrySoftware(string Name, string? Version, string? License, string? SourceCode);

/// <summary>The chaton's own declaration on the charter, and whether it declares every required criterion met.</summary>
public sealed record EntryCharter(string Id, string? Version, string? Url, IReadOnlyList<string> Met, IReadOnlyList<string> NotMet, bool DeclaresAllRequiredCriteria, DateTimeOffset? Updated);

/// <summary>What this aggregator saw: the last check's outcome, staleness, first and last sighting.</summary>
public sealed record EntryVerification(string State, bool Stale, DateTimeOffset FirstSeen, DateTimeOffset LastSeen);

/// <summary>
/// A chaton's admission as this aggregator computes it: <see cref="Status"/> (admitted, candidate, lapsed, revoked),
/// whether it is one of the trust roots, its endorsements counted (distinct hosts of admitted issuers), the quorum, the
/// issuers counted, until when the credentials counted keep it at the quorum, and every authentic credential about it.
/// </summary>
public sealed record EntryAdmission(
    string Status,
    bool Root,
    int Endorsements,
    int Quorum,
    IReadOnlyList<string> EndorsedBy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? Until,
    IReadOnlyList<EntryCredential> Credentials);

/// <summary>
/// One authentic credential about a chaton: its issuer and id, its <c>validUntil</c>, its state now (valid,
/// notYetValid, statusUnavailable, revoked, expired), whether it counts, and whether the attestation its issuer reviewed
/// is the one the chaton publishes now.
/// </summary>
public sealed record EntryCredential(string Issuer, string Id, DateTimeOffset ValidUntil, string State, bool Counted, bool CurrentAttestation);

/// <summary>A page of search results.</summary>
public sealed record DirectorySearchPage(int Total, IReadOnlyList<DirectoryEntry> Items, string? NextCursor);
