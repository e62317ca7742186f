using System.Globalization;
using ChatonsFed.ChatonsInfos;
using ChatonsFed.Hosting.ChatonsInfos;
using ChatonsFed.Node.Documents;
using ChatonsFed.Node.Storage;

namespace ChatonsFed.Node.ChatonsInfos;

/// <summary>The node's ChatonsInfos files, made from the same records as its signed documents.</summary>
public static class NodeChatonsInfos
{
    /// <summary>The node's organization file: its profile, its actor, and a <c>subs.</c> line for each service file.</summary>
    public static ChatonsInfosOrganization Organization(ProfileRecord profile, IReadOnlyList<ServiceRecord> services, NodeUrls urls)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(urls);
        var contactIsMail = profile.Contact?.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) == true;
        var updated = services.Select(s => s.Updated).Append(profile.Updated).Max();
        return new ChatonsInfosOrganization
        {
            File = Header(ChatonsInfosClass.Organization, updated, urls.BaseUrl + ChatonsInfosMapping.OrganizationPath(profile.Handle)),
            Name = profile.Name,
            Description = profile.Summary,
            Type = profile.StructureType,
            Website = Url(profile.Website),
            Logo = Url(profile.Icon),
            ContactEmail = contactIsMail ? profile.Contact![7..] : null,
            ContactUrl = contactIsMail ? null : Url(profile.Contact),
            LegalUrl = Url(profile.LegalNotice),
            CountryCode = profile.Country,
            Latitude = profile.Latitude,
            Longitude = profile.Longitude,
            Address = profile.Latitude is null ? null : profile.PlaceName,
            MembershipStatus = profile.MembershipStatus,
            MemberSince = ParseDate(profile.MemberSince),
            MemberUntil = ParseDate(profile.MemberUntil),
            Actor = urls.Actor,
            Subs = [.. services.Select(s => new SubReference(s.Id, new Uri(urls.BaseUrl + ChatonsInfosMapping.ServicePath(profile.Handle, s.Id)), 0))],
        };
    }

    public static ChatonsInfosService Service(ServiceRecord service, string handle, NodeUrls urls)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(urls);
        return new ChatonsInfosService
        {
            File = Header(ChatonsInfosClass.Service, service.Updated, urls.BaseUrl + ChatonsInfosMapping.ServicePath(handle, service.Id)),
            Name = service.Name,
            Description = service.Summary,
            Website = Url(service.Url),
            StatusLevel = service.Status switch
            {
                "degraded" => "WARNING",
                "down" => "ERROR",
                "closed" => "OVER",
                _ => "OK",
            },
            Registration = service.Registration is { Length: > 0 } registration ? char.ToUpperInvariant(registration[0]) + registration[1..] : null,
            RegistrationLoad = service.Capacity?.ToUpperInvariant(),
            Category = service.Category,
            SoftwareName = service.Software,
            SoftwareVersion = service.SoftwareVersion,
            SoftwareLicense = service.License,
            SoftwareSource = Url(service.SourceCode),
            HostServerType = service.ServerType,
            HostProviderType = service.ProviderType,
            HostCountryCode = service.HostCountry,
        };
    }

    private static ChatonsInfosFileHeader Header(ChatonsInfosClass type, DateTimeOffset updated, string url) =>
        new(type, ChatonsInfosWriter.Protocol, updated.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), ChatonsInfosMapping.Generator, new Uri(url));

    private static DateOnly? ParseDate(string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    private static Uri? Url(string? value) => Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : null;
}
