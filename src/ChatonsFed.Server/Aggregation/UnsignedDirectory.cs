using ChatonsFed.Aggregator.Listing;
using ChatonsFed.Aggregator.Search;
using ChatonsFed.Directory.Node;
using ChatonsFed.Server.ChatonsInfos;

namespace ChatonsFed.Server.Aggregation;

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
/// verified directory (their own index, never the directory store), searchable on their own, never exported with the
/// verified entries. An organization that names its actor, or whose website (or file) is a verified chaton's, is not
/// listed here: the verified entry wins, and the outcome says so.
/// </summary>
public sealed class UnsignedDirectory(ServiceCategoryCatalog categories)
{
    public const string Outcome = "unsigned";
    public const string OutcomeActor = "actor";
    public const string OutcomeActorNotListed = "actor-not-listed";
    public const string OutcomeWebsite = "website";
    public const string OutcomeDuplicate = "duplicate";

    private readonly Lock _gate = new();
    private IReadOnlyList<FederationRead> _reads = [];
    private DateTimeOffset _readAt;
    private Dictionary<string, UnsignedOrigin> _origins = new(StringComparer.Ordinal);

    public DirectoryIndex Index { get; } = new(categories);

    public IReadOnlyList<FederationReport> Reports { get; private set; } = [];

    /// <summary>Where the unsigned entry <paramref name="id"/> (its organization file's URL) comes from; null when it is not listed.</summary>
    public UnsignedOrigin? Origin(string id)
    {
        lock (_gate)
        {
            return _origins.GetValueOrDefault(id);
        }
    }

    /// <summary>Every unsigned entry with its origin, ordered by id.</summary>
    public IReadOnlyList<(ChatonListing Listing, UnsignedOrigin Origin)> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. Index.Listings.Select(l => (l, _origins[l.ActorId]))];
            }
        }
    }

    /// <summary>
    /// Takes what the federation files gave now; call <see cref="Reconcile"/> once the verified directory is known. A
    /// file that could not be read at all keeps the organizations read from it before (a cache), with the new problems.
    /// </summary>
    public void Replace(IReadOnlyList<FederationRead> reads, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(reads);
        lock (_gate)
        {
            _reads = [.. reads.Select(read => read.Name is null && _reads.FirstOrDefault(r => r.Source == read.Source && r.Name is not null) is { } before
                ? before with { Problems = [.. read.Problems, "the organizations read before are kept"] }
                : read)];
            _readAt = now;
        }
    }

    /// <summary>Adds or replaces what one federation file gave.</summary>
    public void Put(FederationRead read, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (_gate)
        {
            _reads = _reads.Any(r => r.Source == read.Source) ? [.. _reads.Select(r => r.Source == read.Source ? read : r)] : [.. _reads, read];
            _readAt = now;
        }
    }

    /// <summary>The actors the organizations name (<c>organization.chatonsfed.actor</c>): seeds of the next crawl.</summary>
    public IReadOnlyList<string> NamedActors()
    {
        lock (_gate)
        {
            return [.. _reads.SelectMany(r => r.Organizations).Select(o => o.Organization.Actor?.Trim()).Where(Configuration.NodeOptionsValidator.IsSeed).Distinct(StringComparer.Ordinal)!];
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
                    var name = organization.Organization.Name;
                    if (organization.Organization.Actor is { } actor)
                    {
                        var listed = verifiedIds.Contains(actor.Trim()) || handles.Contains(actor.Trim().TrimStart('@').Replace("acct:", string.Empty, StringComparison.OrdinalIgnoreCase).ToLowerInvariant());
                        outcomes.Add(new(organization.FileUrl, name, listed ? OutcomeActor : OutcomeActorNotListed, actor.Trim()));
                    }
                    else if (WebsiteKey(organization.Organization.Website?.AbsoluteUri) is { } key && byWebsite.TryGetValue(key, out var sameSite))
                    {
                        outcomes.Add(new(organization.FileUrl, name, OutcomeWebsite, sameSite));
                    }
                    else if (verifiedIds.Contains(organization.FileUrl))
                    {
                        outcomes.Add(new(organization.FileUrl, name, OutcomeActor, organization.FileUrl));
                    }
                    else if (origins.ContainsKey(organization.FileUrl))
                    {
                        outcomes.Add(new(organization.FileUrl, name, OutcomeDuplicate, null));
                    }
                    else
                    {
                        origins[organization.FileUrl] = new UnsignedOrigin(read.Source, organization.FileUrl, _readAt);
                        listings.Add(Listing(organization, categories) with { Observation = new ChatonObservation(_readAt, _readAt, false, VerificationState.Verified) });
                        outcomes.Add(new(organization.FileUrl, name, Outcome, null));
                    }
                }

                var counts = outcomes.GroupBy(o => o.Outcome, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
                reports.Add(new FederationReport(read.Source, read.Name, _readAt, outcomes.Count(o => o.Outcome == Outcome), counts, outcomes, read.Problems));
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

    /// <summary>What the directory shows of an organization file and its service files, mapped as the importer maps them.</summary>
    public static ChatonListing Listing(FederationOrganization organization, ServiceCategoryCatalog categories)
    {
        ArgumentNullException.ThrowIfNull(organization);
        var (profile, _) = ChatonsInfosMapping.ToProfileChanges(organization.Organization);
        var services = new List<ServiceListing>();
        foreach (var service in organization.Services)
        {
            var (changes, _, _) = ChatonsInfosMapping.ToServiceChanges(service.Service, null, categories);
            if (changes is not null && services.All(s => s.Id != service.FileUrl))
            {
                services.Add(new ServiceListing
                {
                    Id = service.FileUrl,
                    Name = changes.Name ?? string.Empty,
                    Summary = changes.Summary ?? string.Empty,
                    Url = changes.Url,
                    Category = changes.Category,
                    SoftwareName = changes.Software,
                    SoftwareVersion = changes.SoftwareVersion,
                    License = changes.License,
                    SourceCode = changes.SourceCode,
                    Registration = changes.Registration,
                    Capacity = changes.Capacity,
                    Status = changes.Status,
                });
            }
        }

        return new ChatonListing
        {
            ActorId = organization.FileUrl,
            Name = profile.Name ?? organization.Organization.Name,
            Summary = profile.Summary ?? string.Empty,
            Website = profile.Website,
            StructureType = profile.StructureType,
            MembershipStatus = profile.MembershipStatus,
            MemberSince = organization.Organization.MembershipStatus is null ? null : organization.Organization.MemberSince,
            MemberUntil = organization.Organization.MembershipStatus is null ? null : organization.Organization.MemberUntil,
            Country = profile.Country,
            Location = profile.Latitude is { } latitude && profile.Longitude is { } longitude ? new PlaceListing(profile.PlaceName, latitude, longitude) : null,
            Contact = profile.Contact,
            LegalNotice = profile.LegalNotice,
            Icon = profile.Icon,
            Services = [.. services.OrderBy(s => s.Id, StringComparer.Ordinal)],
        };
    }
}
