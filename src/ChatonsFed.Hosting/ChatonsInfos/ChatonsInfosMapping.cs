using System.Globalization;
using ChatonsFed.ChatonsInfos;
using ChatonsFed.Directory.Node;
using ChatonsFed.Federation.Http;

namespace ChatonsFed.Hosting.ChatonsInfos;

/// <summary>One ChatonsInfos key and what became of it: the ChatonsFed field it filled, or why it was left out.</summary>
public sealed record MappedKey(string Key, int Line, string? Field, string? Reason = null)
{
    public override string ToString() => Field is not null ? $"{Key} -> {Field}" : $"line {Line} {Key}: {Reason}";
}

/// <summary>A file's keys sorted into those that filled a ChatonsFed field and those that did not.</summary>
public sealed record MappingReport(IReadOnlyList<MappedKey> Mapped, IReadOnlyList<MappedKey> Skipped);

/// <summary>
/// ChatonsInfos files read as changes to a chaton's profile and services, key by key as <c>spec/chatonsinfos.md</c>
/// writes it: the import command applies them to a node, the aggregator lists them as unsigned entries. The node's
/// own files are written by <c>NodeChatonsInfos</c> in the node role.
/// </summary>
public static class ChatonsInfosMapping
{
    public const string WellKnownPath = "/.well-known/chatonsinfos";
    public const string Generator = "ChatonsFed";

    /// <summary>The <c>Accept</c> header of a ChatonsInfos fetch.</summary>
    public const string Accept = "text/plain, text/x-java-properties;q=0.9, */*;q=0.1";

    /// <summary>Fetches a ChatonsInfos file through <paramref name="client"/> (its address policy and limits).</summary>
    public static async Task<FetchedFile> FetchAsync(ActivityPubClient client, Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var fetched = await client.FetchDocumentAsync(url, Accept, cancellationToken).ConfigureAwait(false);
        return fetched.IsOk ? FetchedFile.Ok(fetched.Body.ToArray()) : FetchedFile.Failed(fetched.Reason ?? fetched.Error.ToString());
    }

    /// <summary>Reads a local ChatonsInfos file that exists, within the size limit of a file.</summary>
    public static async Task<FetchedFile> ReadFileAsync(FileInfo file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Length > ChatonsInfosLimits.Default.MaxFileBytes)
        {
            return FetchedFile.Failed(string.Create(CultureInfo.InvariantCulture, $"the file is {file.Length} bytes, over the limit of {ChatonsInfosLimits.Default.MaxFileBytes}"));
        }

        try
        {
            return FetchedFile.Ok(await File.ReadAllBytesAsync(file.FullName, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return FetchedFile.Failed(e.Message);
        }
    }

    private const string NoField = "no ChatonsFed field";

    private static readonly Dictionary<string, string> OrganizationFields = new(StringComparer.Ordinal)
    {
        ["organization.name"] = "name",
        ["organization.description"] = "summary",
        ["organization.type"] = "structureType",
        ["organization.website"] = "website",
        ["organization.logo"] = "icon",
        ["organization.logo.url"] = "icon",
        ["organization.contact.email"] = "contact",
        ["organization.contact.url"] = "contact",
        ["organization.legal.url"] = "legalNotice",
        ["organization.country.code"] = "country",
        ["organization.geolocation.latitude"] = "location.latitude",
        ["organization.geolocation.longitude"] = "location.longitude",
        ["organization.geolocation.address"] = "location.name",
        ["organization.memberof.chatons.status.level"] = "membership.status",
        ["organization.memberof.chatons.startdate"] = "membership.since",
        ["organization.memberof.chatons.enddate"] = "membership.until",
    };

    private static readonly Dictionary<string, string> ServiceFields = new(StringComparer.Ordinal)
    {
        ["service.name"] = "name",
        ["service.description"] = "summary",
        ["service.website"] = "url",
        ["service.status.level"] = "status",
        ["service.registration"] = "registration",
        ["service.registration.load"] = "capacity",
        ["service.chatonsfed.category"] = "category",
        ["software.name"] = "software.name",
        ["software.version"] = "software.version",
        ["software.license.name"] = "software.license",
        ["software.source.url"] = "software.sourceCode",
        ["host.server.type"] = "hosting.serverType",
        ["host.provider.type"] = "hosting.providerType",
        ["host.country.code"] = "hosting.country",
    };

    public static string OrganizationPath(string handle) => $"{WellKnownPath}/{handle}.properties";

    public static string ServicePath(string handle, string slug) => $"{WellKnownPath}/{handle}-{slug}.properties";

    /// <summary>The profile changes an organization file makes: every field it gives, the others left as they are.</summary>
    public static (ProfileChanges Changes, MappingReport Report) ToProfileChanges(ChatonsInfosOrganization organization)
    {
        ArgumentNullException.ThrowIfNull(organization);
        var skipped = new Dictionary<string, string>(StringComparer.Ordinal);
        string? contact = null;
        if (organization.ContactEmail is { } email)
        {
            contact = "mailto:" + email;
            if (organization.ContactUrl is not null)
            {
                skipped["organization.contact.url"] = "the contact is the e-mail address (ChatonsFed has one contact)";
            }
        }
        else
        {
            contact = organization.ContactUrl?.AbsoluteUri;
        }

        if (organization.Logo is not null && organization.Used.Any(l => l.Key == "organization.logo"))
        {
            skipped["organization.logo.url"] = "organization.logo is used";
        }

        var hasPlace = organization.Latitude is not null && organization.Longitude is not null;
        if (!hasPlace)
        {
            foreach (var key in new[] { "organization.geolocation.latitude", "organization.geolocation.longitude", "organization.geolocation.address" })
            {
                skipped[key] = "a location needs both latitude and longitude";
            }
        }

        if (organization.MembershipStatus is null)
        {
            skipped["organization.memberof.chatons.startdate"] = skipped["organization.memberof.chatons.enddate"] = "no organization.memberof.chatons.status.level";
        }

        var changes = new ProfileChanges
        {
            Name = organization.Name,
            Summary = organization.Description,
            StructureType = organization.Type,
            Website = organization.Website?.AbsoluteUri,
            Icon = organization.Logo?.AbsoluteUri,
            Contact = contact,
            LegalNotice = organization.LegalUrl?.AbsoluteUri,
            Country = organization.CountryCode,
            Latitude = hasPlace ? organization.Latitude : null,
            Longitude = hasPlace ? organization.Longitude : null,
            PlaceName = hasPlace ? organization.Address : null,
            MembershipStatus = organization.MembershipStatus,
            MemberSince = organization.MembershipStatus is null ? null : Date(organization.MemberSince),
            MemberUntil = organization.MembershipStatus is null ? null : Date(organization.MemberUntil),
        };
        if (organization.Actor is not null)
        {
            skipped["organization.chatonsfed.actor"] = "this node publishes its own actor";
        }

        return (changes, Report(organization, OrganizationFields, skipped));
    }

    /// <summary>
    /// The service a service file describes, or null with the reason when it cannot be one (no address where people use
    /// it). The category is the file's <c>service.chatonsfed.category</c>, else the one whose typical software it runs.
    /// </summary>
    public static (ServiceChanges? Changes, MappingReport Report, string? Problem) ToServiceChanges(ChatonsInfosService service, string? slug, ServiceCategoryCatalog categories)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(categories);
        var skipped = new Dictionary<string, string>(StringComparer.Ordinal);
        if (service.Website is null)
        {
            return (null, Report(service, ServiceFields, skipped), "no service.website: a hosted service needs the address where people use it");
        }

        var status = service.StatusLevel switch
        {
            "OK" => "ok",
            "WARNING" or "ALERT" => "degraded",
            "ERROR" => "down",
            "OVER" => "closed",
            _ => null,
        };
        if (service.StatusLevel is not null && status is null)
        {
            skipped["service.status.level"] = $"{service.StatusLevel} has no ChatonsFed status";
        }

        var license = service.SoftwareLicense;
        if (license is not null && !HostedServiceEntry.IsLicenseExpression(license))
        {
            skipped["software.license.name"] = $"'{license}' is not an SPDX licence id";
            license = null;
        }

        var software = service.SoftwareName;
        if (software is null)
        {
            foreach (var key in new[] { "software.version", "software.license.name", "software.source.url" })
            {
                skipped[key] = "no software.name";
            }
        }

        var category = service.Category ?? CategoryOf(software, categories);
        var changes = new ServiceChanges
        {
            Slug = slug,
            Name = service.Name,
            Summary = service.Description,
            Url = service.Website.AbsoluteUri,
            Category = category ?? ServiceCategoryCatalog.OtherId,
            Software = software,
            SoftwareVersion = software is null ? null : service.SoftwareVersion,
            License = software is null ? null : license,
            SourceCode = software is null ? null : service.SoftwareSource?.AbsoluteUri,
            Registration = service.Registration?.ToLowerInvariant(),
            Capacity = service.RegistrationLoad?.ToLowerInvariant(),
            Status = status,
            ServerType = service.HostServerType,
            ProviderType = service.HostProviderType,
            HostCountry = service.HostCountryCode,
        };
        var report = Report(service, ServiceFields, skipped);
        if (service.Category is null)
        {
            report = report with
            {
                Mapped = [.. report.Mapped, new MappedKey("(software.name)", 0, category is null ? $"category '{ServiceCategoryCatalog.OtherId}' (no category lists this software)" : $"category '{category}'")],
            };
        }

        return (changes, report, null);
    }

    /// <summary>The category whose typical software includes <paramref name="software"/>, compared without case.</summary>
    public static string? CategoryOf(string? software, ServiceCategoryCatalog categories)
    {
        ArgumentNullException.ThrowIfNull(categories);
        return software is null
            ? null
            : categories.Categories.FirstOrDefault(c => c.Software.Any(s => s.Equals(software.Trim(), StringComparison.OrdinalIgnoreCase)))?.Id;
    }

    private static MappingReport Report(ChatonsInfosFile file, Dictionary<string, string> fields, Dictionary<string, string> skipped)
    {
        var mapped = new List<MappedKey>();
        var left = new List<MappedKey>();
        foreach (var line in file.Used)
        {
            if (skipped.TryGetValue(line.Key, out var reason) || !fields.TryGetValue(line.Key, out var field))
            {
                left.Add(new MappedKey(line.Key, line.Line, null, reason ?? NoField));
            }
            else
            {
                mapped.Add(new MappedKey(line.Key, line.Line, field));
            }
        }

        left.AddRange(file.Unused.Where(l => !l.Key.StartsWith("file.", StringComparison.Ordinal))
            .Select(l => new MappedKey(l.Key, l.Line, null, fields.ContainsKey(l.Key) ? "value not usable (see the warning)" : NoField)));
        return new MappingReport(mapped, [.. left.OrderBy(k => k.Line)]);
    }

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
