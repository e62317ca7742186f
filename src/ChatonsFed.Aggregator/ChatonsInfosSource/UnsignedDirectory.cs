using System.Text.Json;
using ChatonsFed.Aggregator.Listing;
using ChatonsFed.Aggregator.Search;
using ChatonsFed.Aggregator.Storage;
using ChatonsFed.Aggregator.Tracking;
using ChatonsFed.Directory.Node;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Hosting.Storage;

namespace ChatonsFed.Aggregator.ChatonsInfosSource;

/// <summary>Where an unsigned entry comes from: the federation file that listed it and the organization file read.</summary>
public sealed record UnsignedOrigin(string Federation, string OrganizationFile, DateTimeOffset Read);

/// <summary>What became of one organization of a federation file.</summary>
public sealed record FederationOrganizationOutcome(string File, string Name, string Outcome, string? Actor);

/// <summary>
/// A verified chaton and an organization of a federation file that give the same website, when the organization's file
/// does not name the chaton's actor and the actor does not live on the website's host: nothing proves that they are
/// the same, so both are listed and each shows the other.
/// </summary>
public sealed record WebsiteConflict(string Website, string Chaton, string ChatonName, string OrganizationFile, string OrganizationName);

/// <summary>
/// One federation file: when it was read, how many organizations had each outcome (<c>unsigned</c>, <c>actor</c>,
/// <c>website</c>, <c>duplicate</c>), the organizations and what became of each, its problems.
/// </summary>
public sealed record FederationReport(string Source, string? Name, DateTimeOffset Read, int ListedUnsigned, IReadOnlyDictionary<string, int> Outcomes, IReadOnlyList<FederationOrganizationOutcome> Organizations, IReadOnlyList<string> Problems);

/// <summary>
/// Entries read from ChatonsInfos federation files, for organizations that run no ChatonsFed node: kept apart from the
/// verified directory (their own index and their own collection of the node's database, never the directory store),
/// searchable on their own, never exported with the verified entries. An organization that names its actor, or whose
/// website is that of a verified chaton living on the website's host (or under it), is not listed here: the verified
/// entry wins, and the outcome says so. A verified chaton elsewhere that gives the same website proves nothing: both
/// are listed, and the conflict is shown (<see cref="Conflicts"/>).
/// </summary>
public sealed class UnsignedDirectory
{
    public const string Outcome = "unsigned";
    public const string OutcomeActor = "actor";
    public const string OutcomeActorNotListed = "actor-not-listed";
    public const string OutcomeWebsite = "website";
    public const string OutcomeDuplicate = "duplicate";
    public const string OutcomeConflict = "website-conflict";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private readonly Lock _gate = new();
    private readonly StoreTable<ChatonsInfosReadRecord> _store;
    private IReadOnlyList<FederationRead> _reads = [];
    private Dictionary<string, UnsignedOrigin> _origins = new(StringComparer.Ordinal);
    private Dictionary<string, List<WebsiteConflict>> _conflicts = new(StringComparer.Ordinal);

    /// <summary>
    /// Keeps what the federation files gave in the aggregator's table of their reads, and starts from what it holds,
    /// reconciled with the verified chatons <paramref name="directory"/> holds now.
    /// </summary>
    public UnsignedDirectory(ServiceCategoryCatalog categories, AggregatorTables tables, DirectoryStore directory)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(directory);
        Index = new DirectoryIndex(categories);
        _store = tables.ChatonsInfosReads;
        _reads = [.. _store.FindAll().OrderBy(r => r.Order).Select(Deserialize).Where(r => r is not null).Select(r => r!)];
        if (_reads.Count > 0)
        {
            Reconcile(directory.Listings);
        }
    }

    public DirectoryIndex Index { get; }

    public IReadOnlyList<FederationReport> Reports { get; private set; } = [];

    /// <summary>Whether any federation file gave anything to match against the verified chatons.</summary>
    public bool HasReads
    {
        get
        {
            lock (_gate)
            {
                return _reads.Count > 0;
            }
        }
    }

    /// <summary>Where the unsigned entry <paramref name="id"/> (its organization file's URL) comes from; null when it is not listed.</summary>
    public UnsignedOrigin? Origin(string id)
    {
        lock (_gate)
        {
            return _origins.GetValueOrDefault(id);
        }
    }

    /// <summary>
    /// The website conflicts of a verified chaton (by actor id) or of an unsigned entry (by organization file URL): the
    /// other side gives the same website and nothing proves they are the same. Empty when there is none.
    /// </summary>
    public IReadOnlyList<WebsiteConflict> Conflicts(string id)
    {
        lock (_gate)
        {
            return _conflicts.TryGetValue(id, out var conflicts) ? conflicts : [];
        }
    }

    /// <summary>
    /// Takes what the federation files gave now; call <see cref="Reconcile"/> once the verified directory is known. A
    /// file that could not be read at all keeps the organizations read from it before (a cache), with the new problems.
    /// </summary>
    public void Replace(IReadOnlyList<FederationRead> reads)
    {
        ArgumentNullException.ThrowIfNull(reads);
        lock (_gate)
        {
            Keep([.. reads.Select(read => read.Name is null && _reads.FirstOrDefault(r => r.Source == read.Source && r.Name is not null) is { } before
                ? before with { Problems = [.. read.Problems, $"the organizations read at {before.Read:yyyy-MM-dd'T'HH:mm:ss'Z'} are kept"] }
                : read)]);
        }
    }

    /// <summary>Adds or replaces what one federation file gave.</summary>
    public void Put(FederationRead read)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (_gate)
        {
            Keep(_reads.Any(r => r.Source == read.Source) ? [.. _reads.Select(r => r.Source == read.Source ? read : r)] : [.. _reads, read]);
        }
    }

    /// <summary>The actors the organizations name (<c>organization.chatonsfed.actor</c>): seeds of the next crawl.</summary>
    public IReadOnlyList<string> NamedActors()
    {
        lock (_gate)
        {
            return [.. _reads.SelectMany(r => r.Organizations).Select(o => o.Actor).Where(NodeOptionsValidator.IsSeed).Distinct(StringComparer.Ordinal)!];
        }
    }

    /// <summary>
    /// Lists, apart, the organizations that are no verified chaton: those that name no actor, whose website is not that
    /// of a verified chaton on the website's host, and whose file is not listed already (the first federation file, in
    /// the settings' order, wins). A verified chaton elsewhere with the same website is a conflict: both are listed.
    /// </summary>
    public void Reconcile(IReadOnlyList<ChatonListing> verified)
    {
        ArgumentNullException.ThrowIfNull(verified);
        var byWebsite = new Dictionary<string, List<ChatonListing>>(StringComparer.Ordinal);
        foreach (var listing in verified)
        {
            if (WebsiteKey(listing.Website) is { } key)
            {
                if (!byWebsite.TryGetValue(key, out var same))
                {
                    byWebsite[key] = same = [];
                }

                same.Add(listing);
            }
        }

        var verifiedIds = verified.Select(l => l.ActorId).ToHashSet(StringComparer.Ordinal);
        var handles = verified.Where(l => l.PreferredUsername is not null && Uri.TryCreate(l.ActorId, UriKind.Absolute, out _))
            .Select(l => $"{l.PreferredUsername}@{new Uri(l.ActorId).Authority}".ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        lock (_gate)
        {
            var origins = new Dictionary<string, UnsignedOrigin>(StringComparer.Ordinal);
            var conflicts = new Dictionary<string, List<WebsiteConflict>>(StringComparer.Ordinal);
            var listings = new List<ChatonListing>();
            var reports = new List<FederationReport>();
            foreach (var read in _reads)
            {
                var outcomes = new List<FederationOrganizationOutcome>();
                foreach (var organization in read.Organizations)
                {
                    var (file, name) = (organization.FileUrl, organization.Name);
                    var claimants = Claimants(byWebsite, organization.Website);
                    if (organization.Actor is { } actor)
                    {
                        var listed = verifiedIds.Contains(actor) || handles.Contains(actor.TrimStart('@').Replace("acct:", string.Empty, StringComparison.OrdinalIgnoreCase).ToLowerInvariant());
                        outcomes.Add(new(file, name, listed ? OutcomeActor : OutcomeActorNotListed, actor));
                    }
                    else if (claimants.FirstOrDefault(c => LivesOnWebsiteHost(c.ActorId, organization.Website)) is { } owner)
                    {
                        outcomes.Add(new(file, name, OutcomeWebsite, owner.ActorId));
                    }
                    else if (verifiedIds.Contains(file))
                    {
                        outcomes.Add(new(file, name, OutcomeActor, file));
                    }
                    else if (origins.ContainsKey(file))
                    {
                        outcomes.Add(new(file, name, OutcomeDuplicate, null));
                    }
                    else
                    {
                        origins[file] = new UnsignedOrigin(read.Source, file, read.Read);
                        listings.Add(organization.Listing with { ActorId = file, Observation = new ChatonObservation(read.Read, read.Read, false, VerificationState.Verified) });
                        outcomes.Add(new(file, name, claimants.Count > 0 ? OutcomeConflict : Outcome, claimants.Count > 0 ? claimants[0].ActorId : null));
                        foreach (var claimant in claimants)
                        {
                            var conflict = new WebsiteConflict(organization.Website!, claimant.ActorId, claimant.Name, file, name);
                            Add(conflicts, claimant.ActorId, conflict);
                            Add(conflicts, file, conflict);
                        }
                    }
                }

                var counts = outcomes.GroupBy(o => o.Outcome, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
                reports.Add(new FederationReport(read.Source, read.Name, read.Read, outcomes.Count(o => o.Outcome is Outcome or OutcomeConflict), counts, outcomes, read.Problems));
            }

            Index.Load(listings);
            _origins = origins;
            _conflicts = conflicts;
            Reports = reports;
        }

        static void Add(Dictionary<string, List<WebsiteConflict>> conflicts, string id, WebsiteConflict conflict)
        {
            if (!conflicts.TryGetValue(id, out var list))
            {
                conflicts[id] = list = [];
            }

            list.Add(conflict);
        }
    }

    /// <summary>The verified chatons whose website is <paramref name="website"/> (compared as <see cref="WebsiteKey"/> does).</summary>
    private static List<ChatonListing> Claimants(Dictionary<string, List<ChatonListing>> byWebsite, string? website) =>
        WebsiteKey(website) is { } key && byWebsite.TryGetValue(key, out var same) ? same : [];

    /// <summary>
    /// Whether the actor <paramref name="actorId"/> lives on the host of <paramref name="website"/> or under it (a
    /// subdomain), port aside: whoever runs that host runs the website. A leading <c>www.</c> of the website is dropped,
    /// unless what is left is a single label.
    /// </summary>
    public static bool LivesOnWebsiteHost(string actorId, string? website)
    {
        if (!Uri.TryCreate(actorId, UriKind.Absolute, out var actor) || !Uri.TryCreate(website, UriKind.Absolute, out var site)
            || site.Scheme is not ("http" or "https") || actor.Scheme is not ("http" or "https"))
        {
            return false;
        }

        var host = site.IdnHost.ToLowerInvariant().TrimEnd('.');
        if (host.StartsWith("www.", StringComparison.Ordinal) && host.IndexOf('.', 4) > 0)
        {
            host = host[4..];
        }

        var actorHost = actor.IdnHost.ToLowerInvariant().TrimEnd('.');
        return actorHost == host
            || (site.HostNameType == UriHostNameType.Dns && actor.HostNameType == UriHostNameType.Dns && host.Contains('.', StringComparison.Ordinal)
                && actorHost.EndsWith("." + host, StringComparison.Ordinal));
    }

    /// <summary>A website compared without scheme, <c>www.</c>, port, query or final slash, and without case in the host.</summary>
    public static string? WebsiteKey(string? website)
    {
        if (!Uri.TryCreate(website, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            return null;
        }

        var host = url.IdnHost.ToLowerInvariant();
        if (host.StartsWith("www.", StringComparison.Ordinal))
        {
            host = host[4..];
        }

        return host + url.AbsolutePath.TrimEnd('/');
    }

    /// <summary>Holds <paramref name="reads"/>, and writes them to the store (one record per federation file, in order).</summary>
    private void Keep(IReadOnlyList<FederationRead> reads)
    {
        _reads = reads;
        var order = 0;
        foreach (var read in reads)
        {
            _store.Upsert(new ChatonsInfosReadRecord { Id = read.Source, Order = order++, Json = JsonSerializer.Serialize(read, Json) });
        }

        foreach (var gone in _store.FindAll().Where(r => !reads.Any(read => read.Source == r.Id)))
        {
            _store.Delete(gone.Id);
        }
    }

    /// <summary>A record written by an earlier version that cannot be read any more is a cache: it is dropped.</summary>
    private static FederationRead? Deserialize(ChatonsInfosReadRecord record)
    {
        try
        {
            return JsonSerializer.Deserialize<FederationRead>(record.Json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
