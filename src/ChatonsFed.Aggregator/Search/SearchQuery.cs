using ChatonsFed.Aggregator.Listing;
using ChatonsFed.Directory.Node;
using ChatonsFed.Protocol.Membership;

namespace ChatonsFed.Aggregator.Search;

/// <summary>
/// A directory search. Every criterion given must hold (AND); the values of one criterion are alternatives (OR).
/// Service criteria (<see cref="Categories"/>, <see cref="Families"/>, <see cref="Software"/>, <see cref="Registrations"/>,
/// <see cref="OpenToNewAccounts"/>) must all hold for one and the same service of the chaton.
/// </summary>
public sealed record SearchQuery
{
    /// <summary>The largest page.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Category ids of the shared list; <c>other</c> stands for every id the list does not know.</summary>
    public IReadOnlyCollection<string>? Categories { get; init; }

    /// <summary>Family ids of the shared list (<c>communication</c>, …): any category of the family.</summary>
    public IReadOnlyCollection<string>? Families { get; init; }

    /// <summary>Software names, compared without case or accents (<c>etherpad</c> finds <c>Etherpad</c>).</summary>
    public IReadOnlyCollection<string>? Software { get; init; }

    public IReadOnlyCollection<Registration>? Registrations { get; init; }

    /// <summary>When true, a service must take new accounts (capacity open, status not closed).</summary>
    public bool OpenToNewAccounts { get; init; }

    /// <summary>
    /// Words to find, without case or accents, in the chaton's name, handle, summary and place, and its services'
    /// names, summaries, software and category labels (French and English). Each word must begin a word of the
    /// chaton's text ("ecri" finds "Écriture").
    /// </summary>
    public string? Text { get; init; }

    public GeoCircle? Near { get; init; }

    public GeoBox? Within { get; init; }

    public IReadOnlyCollection<StructureType>? StructureTypes { get; init; }

    public IReadOnlyCollection<MembershipStatus>? MembershipStatuses { get; init; }

    /// <summary>ISO 3166-1 alpha-2 code of the chaton's country.</summary>
    public string? Country { get; init; }

    /// <summary>True: only chatons whose attestation declares every required criterion met; false: only the others.</summary>
    public bool? DeclaresAllRequiredCriteria { get; init; }

    /// <summary>
    /// The admission status asked for (<c>admission=</c>); null for any. The index does not read it: whoever computes
    /// admission turns it into <see cref="Among"/>.
    /// </summary>
    public AdmissionStatus? Admission { get; init; }

    /// <summary>When given, only these actors are found (for instance the chatons with the admission asked for).</summary>
    public IReadOnlySet<string>? Among { get; init; }

    /// <summary>
    /// <c>observed=up</c>: only chatons whose services (those matching the service criteria, or all) were up at their
    /// last check. The index does not read it: the observatory turns it into <see cref="Observed"/>.
    /// </summary>
    public bool ObservedUp { get; init; }

    /// <summary><c>thirdParty=none</c>: only chatons whose website and services load no third-party host (see <see cref="ObservedUp"/>).</summary>
    public bool NoThirdParty { get; init; }

    /// <summary>
    /// When given, a chaton is found only if this holds for it, given the ids of the services that matched the service
    /// criteria (null when there is none): the observatory's test for <see cref="ObservedUp"/> and <see cref="NoThirdParty"/>.
    /// </summary>
    public Func<ChatonListing, IReadOnlyCollection<string>?, bool>? Observed { get; init; }

    /// <summary>Whether chatons not seen for a while (<see cref="ChatonObservation.Stale"/>) are found.</summary>
    public bool IncludeStale { get; init; } = true;

    public SearchSort Sort { get; init; } = SearchSort.Name;

    public int Limit { get; init; } = 20;

    /// <summary>Hits to skip (after the cursor, when there is one).</summary>
    public int Offset { get; init; }

    /// <summary>The <see cref="SearchPage.NextCursor"/> of the previous page: hits strictly after it, in the same sort.</summary>
    public string? Cursor { get; init; }
}

/// <summary>How hits are ordered; ties are broken by actor id (ordinal), so the order is always the same.</summary>
public enum SearchSort
{
    /// <summary>By name without case or accents.</summary>
    Name,

    /// <summary>Nearest first; needs <see cref="SearchQuery.Near"/>.</summary>
    Distance,

    /// <summary>Most recently updated first (the latest <c>updated</c> of the chaton's documents).</summary>
    LastUpdated,
}

/// <summary>A circle on the Earth: centre in decimal degrees, radius in kilometres (great-circle distance).</summary>
public sealed record GeoCircle(double Latitude, double Longitude, double RadiusKm);

/// <summary>A latitude/longitude box; <paramref name="West"/> greater than <paramref name="East"/> crosses the antimeridian.</summary>
public sealed record GeoBox(double South, double West, double North, double East);

/// <summary>One chaton found, its distance when the query had a centre, and which of its services matched the service criteria.</summary>
public sealed record SearchHit(ChatonListing Chaton, double? DistanceKm, IReadOnlyList<string> MatchingServiceIds);

/// <summary>A page of hits, the number of hits of the whole query, and the cursor of the next page (<c>null</c> on the last).</summary>
public sealed record SearchPage(IReadOnlyList<SearchHit> Hits, int Total, string? NextCursor);
