using System.Text.Json;
using ChatonsFed.Aggregator.Listing;
using ChatonsFed.Aggregator.Search;
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
/// One federation file: when it was read, how many organizations had each outcome (<c>unsigned</c>, <c>actor</c>,
/// <c>website</c>, <c>duplicate</c>), the organizations and what became of each, its problems.
/// </summary>
public sealed record FederationReport(string Source, string? Name, DateTimeOffset Read, int ListedUnsigned, IReadOnlyDictionary<string, int> Outcomes, IReadOnlyList<FederationOrganizationOutcome> Organizations, IReadOnlyList<string> Problems);

/// <summary>
/// Entries read from ChatonsInfos federation files, for organizations that run no ChatonsFed node: kept apart from the
/// verified directory (their own index and their own collection of the node's database, never the directory store),
/// searchable on their own, never exported with the verified entries. An organization that names its actor, or whose
/// website (or file) is a verified chaton's, is not listed here: the verified entry wins, and the outcome says so.
/// </summary>
public sealed class UnsignedDirectory
{
    public const string Outcome = "unsigned";
    public const string OutcomeActor = "actor";
    public const string OutcomeActorNotListed = "actor-not-listed";
    public const string OutcomeWebsite = "website";
    public const string OutcomeDuplicate = "duplicate";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private readonly Lock _gate = new();
    private readonly StoreTable<ChatonsInfosReadRecord> _store;
    private IReadOnlyList<FederationRead> _reads = [];
    private Dictionary<string, UnsignedOrigin> _origins = new(StringComparer.Ordinal);

    /// <summary>Keeps what the federation files gave in the aggregator's table of their reads, and starts from what it holds.</summary>
    public UnsignedDirectory(ServiceCategoryCatalog categories, AggregatorTables tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        Index = new DirectoryIndex(categories);
        _store = tables.ChatonsInfosReads;
        _reads = [.. _store.FindAll().OrderBy(r => r.Order).Select(Deserialize).Where(r => r is not null).Select(r => r!)];
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
    /// Lists, apart, the organizations that are no verified chaton: those that name no actor, whose website is no
    /// verified chaton's, and whose file is not listed already (the first federation file, in the settings' order, wins).
    /// </summary>
    public void Reconcile(IReadOnlyList<ChatonListing> verified)
    {
        ArgumentNullException.ThrowIfNull(verified);
        var byWebsite = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var listing in verified)
        {
            if (WebsiteKey(listing.Website) is { } key)
            {
                byWebsite.TryAdd(key, listing.ActorId);
            }
        }

        var verifiedIds = verified.Select(l => l.ActorId).ToHashSet(StringComparer.Ordinal);
        var handles = verified.Where(l => l.PreferredUsername is not null && Uri.TryCreate(l.ActorId, UriKind.Absolute, out _))
            .Select(l => $"{l.PreferredUsername}@{new Uri(l.ActorId).Authority}".ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        lock (_gate)
        {
            var origins = new Dictionary<string, UnsignedOrigin>(StringComparer.Ordinal);
            var listings = new List<ChatonListing>();
            var reports = new List<FederationReport>();
            foreach (var read in _reads)
            {
                var outcomes = new List<FederationOrganizationOutcome>();
                foreach (var organization in read.Organizations)
                {
                    var (file, name) = (organization.FileUrl, organization.Name);
                    if (organization.Actor is { } actor)
                    {
                        var listed = verifiedIds.Contains(actor) || handles.Contains(actor.TrimStart('@').Replace("acct:", string.Empty, StringComparison.OrdinalIgnoreCase).ToLowerInvariant());
                        outcomes.Add(new(file, name, listed ? OutcomeActor : OutcomeActorNotListed, actor));
                    }
                    else if (WebsiteKey(organization.Website) is { } key && byWebsite.TryGetValue(key, out var sameSite))
                    {
                        outcomes.Add(new(file, name, OutcomeWebsite, sameSite));
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
                        outcomes.Add(new(file, name, Outcome, null));
                    }
                }

                var counts = outcomes.GroupBy(o => o.Outcome, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
                reports.Add(new FederationReport(read.Source, read.Name, read.Read, outcomes.Count(o => o.Outcome == Outcome), counts, outcomes, read.Problems));
            }

            Index.Load(listings);
            _origins = origins;
            Reports = reports;
        }
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
