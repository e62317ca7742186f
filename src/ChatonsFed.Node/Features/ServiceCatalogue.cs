using ChatonsFed.ChatonsInfos;
using ChatonsFed.Directory.Node;
using ChatonsFed.Hosting;
using ChatonsFed.Node.Admin;
using ChatonsFed.Node.Documents;
using ChatonsFed.Node.Storage;

namespace ChatonsFed.Node.Features;

/// <summary>
/// The services the chaton hosts: adding, changing and removing one re-signs its document and the services
/// collection, and announces the change to every follower.
/// </summary>
public sealed class ServiceCatalogue(NodeOutbox outbox)
{
    /// <summary>Known service category ids; an unknown one is accepted with a warning. Empty means no check.</summary>
    public IReadOnlySet<string> KnownCategories { get; init; } = NodeDocumentBuilder.Categories.Categories.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);

    public IReadOnlyList<ServiceRecord> List() => outbox.Services();

    /// <summary>Adds a service; its slug is the one given, or made from its name (made unique with a number).</summary>
    public async Task<ChangeResult> AddAsync(ServiceChanges changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        NodeOutbox.EnsureActive(outbox.Profile());
        var store = outbox.Store;
        var warnings = new List<string>();
        var name = FieldRules.Required("name", changes.Name, "the service's name");
        var slug = changes.Slug is null ? UnusedSlug(FieldRules.SlugFrom(name)) : FieldRules.Slug("slug", changes.Slug);
        var existing = store.Services.FindById(slug);
        if (existing is not null && existing.Removed is null)
        {
            throw new InvalidFieldException("slug", $"slug '{slug}' is taken by another service of this chaton; choose another slug, or update service '{slug}'");
        }

        var service = new ServiceRecord
        {
            Id = slug,
            Name = name,
            Category = FieldRules.Required("category", changes.Category, "a service category id such as collaborative-writing"),
            Url = FieldRules.WebUrl("url", FieldRules.Required("url", changes.Url, "the address where people use the service"))!,
            Position = store.Services.Count(),
        };
        Apply(service, changes, warnings);
        return await outbox.PublishAsync(now =>
        {
            service.Published = now;
            service.Updated = existing is null ? now : NodeOutbox.Bump(existing.Updated, now);
            store.Services.Upsert(service);
            var document = outbox.Builder.Service(service, outbox.Keys);
            outbox.SaveDocument(NodeUrls.ServicePath(slug), document, now);
            outbox.SaveServicesCollection(now);
            return [outbox.Builder.Create(document, outbox.Keys), outbox.NoteActivity($"Nouveau service : {service.Name} ({service.Url})", service.Url)];
        }, cancellationToken, warnings, slug);
    }

    /// <summary>Changes the fields given (null ones stay as they are) of the service <paramref name="slug"/>.</summary>
    public async Task<ChangeResult> UpdateAsync(string slug, ServiceChanges changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        NodeOutbox.EnsureActive(outbox.Profile());
        var service = Find(slug);
        var warnings = new List<string>();
        if (changes.Name is not null)
        {
            service.Name = FieldRules.Required("name", changes.Name, "the service's name");
        }

        if (changes.Category is not null)
        {
            service.Category = FieldRules.Required("category", changes.Category, "a service category id");
        }

        if (changes.Url is not null)
        {
            // Required, as when the service is added: an empty URL would otherwise clear it.
            service.Url = FieldRules.WebUrl("url", FieldRules.Required("url", changes.Url, "the address where people use the service"))!;
        }

        Apply(service, changes, warnings);
        return await outbox.PublishAsync(now =>
        {
            service.Updated = NodeOutbox.Bump(service.Updated, now);
            outbox.Store.Services.Upsert(service);
            var document = outbox.Builder.Service(service, outbox.Keys);
            outbox.SaveDocument(NodeUrls.ServicePath(service.Id), document, now);
            return [outbox.Builder.Update(document, outbox.Keys), outbox.NoteActivity($"Service mis à jour : {service.Name}", service.Url)];
        }, cancellationToken, warnings, service.Id);
    }

    /// <summary>Removes the service: its document becomes a tombstone (410 Gone) and followers get a signed <c>Delete</c>.</summary>
    public async Task<ChangeResult> RemoveAsync(string slug, CancellationToken cancellationToken = default)
    {
        NodeOutbox.EnsureActive(outbox.Profile());
        var service = Find(slug);
        return await outbox.PublishAsync(now =>
        {
            service.Removed = now;
            service.Updated = NodeOutbox.Bump(service.Updated, now);
            outbox.Store.Services.Upsert(service);
            var tombstone = NodeDocumentBuilder.Tombstone(outbox.Builder.Urls.Service(service.Id), "HostedService", now);
            outbox.SaveDocument(NodeUrls.ServicePath(service.Id), tombstone, now, gone: true);
            outbox.SaveServicesCollection(now);
            return [outbox.Builder.DeleteService(service.Id, outbox.Keys), outbox.NoteActivity($"Service retiré : {service.Name}", null)];
        }, cancellationToken, [], service.Id);
    }

    private ServiceRecord Find(string slug)
    {
        var service = outbox.Store.Services.FindById(slug ?? string.Empty);
        return service is null || service.Removed is not null
            ? throw new NodeInputException($"no service '{slug}' on this chaton; the list of services shows the slugs")
            : service;
    }

    private string UnusedSlug(string slug)
    {
        var candidate = slug;
        for (var n = 2; outbox.Store.Services.FindById(candidate) is { Removed: null }; n++)
        {
            candidate = $"{slug}-{n}";
        }

        return candidate;
    }

    private void Apply(ServiceRecord service, ServiceChanges changes, List<string> warnings)
    {
        FieldRules.CategoryId("category", service.Category);
        if (KnownCategories.Count > 0 && !KnownCategories.Contains(service.Category))
        {
            warnings.Add($"category '{service.Category}' is not in the shared list; it is kept, and aggregators show it as 'other'");
        }

        service.Summary = FieldRules.Text(changes.Summary, service.Summary);
        service.Software = FieldRules.Text(changes.Software, service.Software);
        service.SoftwareVersion = FieldRules.Text(changes.SoftwareVersion, service.SoftwareVersion);
        service.License = FieldRules.Text(changes.License, service.License);
        service.SourceCode = changes.SourceCode is null ? service.SourceCode : FieldRules.WebUrl("sourceCode", changes.SourceCode);
        service.Registration = changes.Registration is null ? service.Registration : FieldRules.WireName<Registration>("registration", changes.Registration);
        service.Capacity = changes.Capacity is null ? service.Capacity : FieldRules.WireName<Capacity>("capacity", changes.Capacity);
        service.Status = changes.Status is null ? service.Status : FieldRules.WireName<ServiceStatus>("status", changes.Status);
        service.ServerType = changes.ServerType is null ? service.ServerType : FieldRules.OneOf("serverType", changes.ServerType, ChatonsInfosParser.ServerTypes);
        service.ProviderType = changes.ProviderType is null ? service.ProviderType : FieldRules.OneOf("providerType", changes.ProviderType, ChatonsInfosParser.ProviderTypes);
        service.HostCountry = changes.HostCountry is null ? service.HostCountry : FieldRules.Country("hostCountry", changes.HostCountry);
        FieldRules.License("license", service.License);
        if ((service.SoftwareVersion is not null || service.License is not null || service.SourceCode is not null) && service.Software is null)
        {
            throw new InvalidFieldException("software", "software is required with softwareVersion, license or sourceCode: the name of the software they describe");
        }
    }
}
