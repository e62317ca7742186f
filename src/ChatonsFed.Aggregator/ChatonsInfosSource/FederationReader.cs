using System.Globalization;
using ChatonsFed.Aggregator.Listing;
using ChatonsFed.ChatonsInfos;
using ChatonsFed.Directory.Node;
using ChatonsFed.Federation.Http;
using ChatonsFed.Hosting;
using ChatonsFed.Hosting.ChatonsInfos;

namespace ChatonsFed.Aggregator.ChatonsInfosSource;

/// <summary>
/// An organization a federation file lists, read from <see cref="FileUrl"/>: the actor it names, its website, and what
/// the directory would show of it (its file and its service files, mapped as the importer maps them).
/// </summary>
public sealed record FederationOrganization(string FileUrl, string Name, string? Website, string? Actor, ChatonListing Listing);

/// <summary>A service file an organization file points to, read from <see cref="FileUrl"/>.</summary>
public sealed record FederationService(string FileUrl, ChatonsInfosService Service);

/// <summary>One federation file as read at <see cref="Read"/>: the organizations it gave, and what could not be used (errors and warnings, with their file).</summary>
public sealed record FederationRead(string Source, string? Name, DateTimeOffset Read, IReadOnlyList<FederationOrganization> Organizations, IReadOnlyList<string> Problems);

/// <summary>
/// Reads a ChatonsInfos federation file (an http(s) URL, or a path in the data folder) and follows its <c>subs.</c>
/// lines with a <see cref="SubsWalker"/>: organization files, then the service files of those that name no
/// ChatonsFed actor. Every URL is fetched through the node's outbound client (its address policy, size and time
/// limits); nothing thrown by a file reaches the caller: each problem is a line of <see cref="FederationRead.Problems"/>.
/// </summary>
public sealed class FederationReader(ActivityPubClient client, DataFolder folder, ServiceCategoryCatalog categories, TimeProvider time)
{
    /// <summary>Problems kept per federation file; one last line counts the rest.</summary>
    public const int MaxProblems = 200;

    /// <summary>
    /// Reads <paramref name="source"/> and the files it points to, for at most <paramref name="maxTime"/> in all: past
    /// it, the organizations read so far are kept and a problem says where the reading stopped.
    /// </summary>
    public async Task<FederationRead> ReadAsync(string source, TimeSpan maxTime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var problems = new Problems();
        var text = source.Trim();
        var walked = new Walked();
        using var budget = new CancellationTokenSource(maxTime, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            await WalkAsync(text, walked, problems, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{text}: reading stopped after {maxTime} (ChatonsInfos:MaxReadTime); the {walked.Organizations.Count} organization(s) read so far are used"));
        }

        return new FederationRead(text, walked.Name, time.GetUtcNow(), walked.Organizations, problems.List);
    }

    /// <summary>Reads the federation file (its name, null when it cannot be used), then its organizations one at a time.</summary>
    private async Task WalkAsync(string text, Walked walked, Problems problems, CancellationToken cancellationToken)
    {
        var url = Uri.TryCreate(text, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https" ? parsed : null;
        var first = url is null ? await ReadPathAsync(text, cancellationToken).ConfigureAwait(false) : await FetchAsync(url, cancellationToken).ConfigureAwait(false);
        if (first.Bytes is null)
        {
            problems.Add(first.Error?.StartsWith(text, StringComparison.Ordinal) == true ? first.Error : $"{text}: {first.Error}");
            return;
        }

        var federation = ChatonsInfosParser.ParseFederation(first.Bytes);
        problems.Warnings(text, federation.Warnings);
        if (federation.Value is null)
        {
            problems.Add($"{text}: {federation.Error}");
            return;
        }

        walked.Name = federation.Value.Name;
        var walker = new SubsWalker(FetchAsync);
        walker.Visited(url);
        foreach (var reference in federation.Value.Subs)
        {
            // One sub at a time, so that what was read is kept when the time is up.
            var sub = (await walker.ReadOrganizationsAsync(federation.Value with { Subs = [reference] }, cancellationToken).ConfigureAwait(false))[0];
            problems.Warnings(sub.Sub.Url.AbsoluteUri, sub.Warnings);
            if (sub.File is null)
            {
                problems.Add($"{text}: {sub.Error}");
                continue;
            }

            // An organization that names its actor is listed from it alone: its service files are of no use.
            IReadOnlyList<FederationService> services = [];
            if (sub.File.Actor is null)
            {
                var withServices = await walker.ReadServicesAsync(sub.File, cancellationToken, depth: 2).ConfigureAwait(false);
                foreach (var service in withServices.Services)
                {
                    problems.Warnings(service.Sub.Url.AbsoluteUri, service.Warnings);
                    if (service.File is null)
                    {
                        problems.Add($"{sub.Sub.Url}: {service.Error}");
                    }
                }

                services = [.. withServices.Services.Where(s => s.File is not null).Select(s => new FederationService(s.Sub.Url.AbsoluteUri, s.File!))];
            }

            var fileUrl = sub.Sub.Url.AbsoluteUri;
            walked.Organizations.Add(new FederationOrganization(fileUrl, sub.File.Name, sub.File.Website?.AbsoluteUri, sub.File.Actor?.Trim(), Listing(fileUrl, sub.File, services, categories)));
        }
    }

    /// <summary>What the directory shows of an organization file and its service files, mapped as the importer maps them.</summary>
    public static ChatonListing Listing(string fileUrl, ChatonsInfosOrganization organization, IReadOnlyList<FederationService> fromFiles, ServiceCategoryCatalog categories)
    {
        ArgumentNullException.ThrowIfNull(organization);
        ArgumentNullException.ThrowIfNull(fromFiles);
        var (profile, _) = ChatonsInfosMapping.ToProfileChanges(organization);
        var services = new List<ServiceListing>();
        foreach (var service in fromFiles)
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
            ActorId = fileUrl,
            Name = profile.Name ?? organization.Name,
            Summary = profile.Summary ?? string.Empty,
            Website = profile.Website,
            StructureType = profile.StructureType,
            MembershipStatus = profile.MembershipStatus,
            MemberSince = organization.MembershipStatus is null ? null : organization.MemberSince,
            MemberUntil = organization.MembershipStatus is null ? null : organization.MemberUntil,
            Country = profile.Country,
            Location = profile.Latitude is { } latitude && profile.Longitude is { } longitude ? new PlaceListing(profile.PlaceName, latitude, longitude) : null,
            Contact = profile.Contact,
            LegalNotice = profile.LegalNotice,
            Icon = profile.Icon,
            Services = [.. services.OrderBy(s => s.Id, StringComparer.Ordinal)],
        };
    }

    private Task<FetchedFile> FetchAsync(Uri url, CancellationToken cancellationToken) => ChatonsInfosMapping.FetchAsync(client, url, cancellationToken);

    private async Task<FetchedFile> ReadPathAsync(string path, CancellationToken cancellationToken)
    {
        var file = new FileInfo(Path.Combine(folder.Path, path));
        return file.Exists
            ? await ChatonsInfosMapping.ReadFileAsync(file, cancellationToken).ConfigureAwait(false)
            : FetchedFile.Failed("no such file (a path is read from the data folder)");
    }

    /// <summary>What a walk read so far.</summary>
    private sealed class Walked
    {
        public string? Name { get; set; }

        public List<FederationOrganization> Organizations { get; } = [];
    }

    /// <summary>At most <see cref="MaxProblems"/> lines, then one that counts the rest.</summary>
    private sealed class Problems
    {
        private int _dropped;

        public List<string> List { get; } = [];

        public void Add(string problem)
        {
            if (List.Count < MaxProblems)
            {
                List.Add(problem);
            }
            else if (++_dropped == 1)
            {
                List.Add("more problems, not kept");
            }
        }

        public void Warnings(string file, IReadOnlyList<ChatonsInfosWarning> warnings)
        {
            foreach (var warning in warnings)
            {
                Add($"{file}: {warning}");
            }
        }
    }
}
