namespace ChatonsFed.Hosting.Configuration;

/// <summary>The aggregator role: section <c>ChatonsFed:Aggregator</c> of the settings.</summary>
public sealed class AggregatorOptions
{
    public const string Section = "Aggregator";

    /// <summary>Runs the aggregator: its <c>Application</c> actor, the crawler, the poller and the directory API.</summary>
    public bool Enabled { get; set; }

    /// <summary>The aggregator actor's preferred username, the NAME in acct:NAME@HOST.</summary>
    public string Handle { get; set; } = "directory";

    /// <summary>The aggregator actor's display name.</summary>
    public string Name { get; set; } = "Annuaire des CHATONS";

    /// <summary>Chatons to start from: acct: handles (<c>acct:name@host</c>, <c>@name@host</c>) or actor URLs.</summary>
    public IList<string> Seeds { get; } = [];

    /// <summary>The directory's LiteDB file, relative to the data folder. A cache: it can be deleted and rebuilt.</summary>
    public string Database { get; set; } = "directory.db";

    /// <summary>How often every followed chaton is polled (conditional requests), so that missed deliveries heal.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A chaton not seen (no answer from its node) for this long is flagged stale; it stays listed.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromHours(6);

    /// <summary>A chaton whose actor answers 404 or 410 for this long is removed (a verified <c>Delete</c> removes it at once).</summary>
    public TimeSpan RemoveAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>
    /// An actor found by discovery or in a bundle (not a seed) and not listed (never verified, or removed) that has
    /// answered nothing, or 404/410, for this long is no longer tracked nor polled. A chaton's <c>following</c> that still
    /// names it brings it back.
    /// </summary>
    public TimeSpan ForgetAfter { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Sends a <c>Follow</c> to each chaton listed, so that its changes arrive as they happen.</summary>
    public bool FollowChatons { get; set; } = true;

    public AggregatorDiscoveryOptions Discovery { get; set; } = new();

    /// <summary>The directory website served at <c>/</c>.</summary>
    public AggregatorWebsiteOptions Website { get; set; } = new();

    /// <summary>ChatonsInfos federation files read as a source at each poll and rebuild.</summary>
    public AggregatorChatonsInfosOptions ChatonsInfos { get; set; } = new();

    /// <summary>Verifiable membership: the trust roots and the quorum this aggregator admits members with.</summary>
    public AggregatorMembershipOptions Membership { get; set; } = new();

    /// <summary>The notes the aggregator's actor posts about the directory's news (spec/aggregator.md section 9).</summary>
    public AggregatorNotesOptions Notes { get; set; } = new();

    /// <summary>The service observatory: what the chatons' services, websites and legal notices actually serve.</summary>
    public AggregatorObservatoryOptions Observatory { get; set; } = new();
}

/// <summary>
/// Section <c>ChatonsFed:Aggregator:Notes</c>: the public notes about the directory's news (a chaton listed, a service
/// added or removed, an admission, a departure) that the aggregator's actor posts to its followers, its outbox and its
/// Atom feed.
/// </summary>
public sealed class AggregatorNotesOptions
{
    /// <summary>
    /// Posts the notes. Unset: on when the node's public URL is on a public host, off when it is loopback, a private
    /// address or localhost (a test or a closed network), see <see cref="IsEnabled"/>.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>A round of news with more events than this is posted as one digest note instead of one note each; at least 1.</summary>
    public int DigestAbove { get; set; } = 10;

    /// <summary>Whether notes are posted by an aggregator whose public URL is <paramref name="baseUrl"/>: <see cref="Enabled"/> when set, else whether its host is public.</summary>
    public bool IsEnabled(string baseUrl) =>
        Enabled ?? (Uri.TryCreate(baseUrl, UriKind.Absolute, out var url) && !NodeOptionsValidator.IsPrivateHost(url.Host));
}

/// <summary>
/// Section <c>ChatonsFed:Aggregator:Observatory</c>: polite GETs of every listed service URL, website and legal notice,
/// shown beside what the chatons declare (spec/aggregator.md, "Service observatory").
/// </summary>
public sealed class AggregatorObservatoryOptions
{
    /// <summary>The shortest <see cref="Interval"/> accepted (tests run with it).</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(5);

    /// <summary>Runs the observatory in the background; the directory then carries observations.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often each target is checked, jittered by ±10 %; at least 5 seconds.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// For a private certificate authority only (a closed test network, an intranet directory): PEM files of root
    /// certificates (absolute paths) trusted, besides the system's, when checking the certificates of the pages observed.
    /// </summary>
    public IList<string> PrivateRootCertificates { get; } = [];
}

/// <summary>
/// Section <c>ChatonsFed:Aggregator:Membership</c>: who this aggregator trusts to admit members. Without a trust root
/// admission is not computed at all (entries carry no <c>admission</c>).
/// </summary>
public sealed class AggregatorMembershipOptions
{
    public const string Section = "Membership";

    /// <summary>
    /// The trust roots, admitted members by definition (chatons or not): actor URLs, or handles (<c>acct:NAME@HOST</c>,
    /// <c>@NAME@HOST</c>) resolved through WebFinger at each poll.
    /// </summary>
    public IList<string> TrustRoots { get; } = [];

    /// <summary>
    /// How many endorsements from admitted members, on distinct hosts other than the chaton's own, admit a chaton; at
    /// least 1.
    /// </summary>
    public int Quorum { get; set; } = 2;
}

/// <summary>The directory website: section <c>ChatonsFed:Aggregator:Website</c>.</summary>
public sealed class AggregatorWebsiteOptions
{
    /// <summary>Serves the website (search, map, a page per chaton) at <c>/</c>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// A tile server's URL template (<c>https://tiles.example/{z}/{x}/{y}.png</c>) drawn under the map; empty (the
    /// default): no tile is asked for anywhere, the map shows the bundled country outlines only.
    /// </summary>
    public string TileUrl { get; set; } = "";

    /// <summary>The tiles' attribution, shown on the map (plain text), e.g. "© OpenStreetMap contributors".</summary>
    public string TileAttribution { get; set; } = "";
}

/// <summary>Section <c>ChatonsFed:Aggregator:ChatonsInfos</c>: federation files taken as a source.</summary>
public sealed class AggregatorChatonsInfosOptions
{
    /// <summary>
    /// Federation files: http(s) URLs fetched under the node's address policy, or paths (relative to the data folder).
    /// An organization that names its ChatonsFed actor, or whose website is that of a verified chaton living on the
    /// website's host (or under it), is listed from its signed actor; the others are listed apart, as unsigned entries.
    /// </summary>
    public IList<string> Federations { get; } = [];

    /// <summary>The longest time spent reading one federation file and the files it points to, at each poll.</summary>
    public TimeSpan MaxReadTime { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>Bounds of discovery through the <c>following</c> collections of verified chatons, and of crawling.</summary>
public sealed class AggregatorDiscoveryOptions
{
    /// <summary>Hops from a seed: 0 lists the seeds only, 1 also the chatons they follow, and so on.</summary>
    public int MaxDepth { get; set; } = 3;

    /// <summary>
    /// The most actors the aggregator tracks. Seeds and chatons listed are always kept; past the cap, the other actors
    /// (unreachable, gone, not a chaton, refused) are no longer tracked, those that never answered first, and discovery
    /// adds no more than the room left.
    /// </summary>
    public int MaxChatons { get; set; } = 5000;

    /// <summary>
    /// Actors not tracked yet that the <c>following</c> collection of one chaton may add in one crawl; the others it
    /// names wait for the next crawls, so that one chaton naming thousands of junk URLs cannot fill the tracking cap.
    /// </summary>
    public int MaxNewPerSource { get; set; } = 50;

    /// <summary>Requests in flight to one host (scheme, name and port) at a time.</summary>
    public int PerHostConcurrency { get; set; } = 4;

    /// <summary>Requests in flight in all at a time.</summary>
    public int Concurrency { get; set; } = 32;

    /// <summary>Pages of one <c>following</c> collection read at most.</summary>
    public int MaxFollowingPages { get; set; } = 20;
}
