namespace ChatonsFed.ChatonsInfos;

/// <summary>Writes federation, organization and service files from their records, in the order and sections of the format's templates.</summary>
public static class ChatonsInfosWriter
{
    public const string Protocol = "ChatonsInfos-0.5";

    public static string Write(ChatonsInfosFederation federation)
    {
        ArgumentNullException.ThrowIfNull(federation);
        var writer = Header(federation.File with { Class = ChatonsInfosClass.Federation })
            .Section("Federation")
            .Add("federation.name", federation.Name)
            .Add("federation.description", federation.Description)
            .Add("federation.website", federation.Website)
            .Add("federation.logo", federation.Logo)
            .Add("federation.contact.url", federation.ContactUrl)
            .Add("federation.contact.email", federation.ContactEmail);
        return Subs(writer, federation.Subs);
    }

    public static string Write(ChatonsInfosOrganization organization)
    {
        ArgumentNullException.ThrowIfNull(organization);
        var writer = Header(organization.File with { Class = ChatonsInfosClass.Organization })
            .Section("Organisation")
            .Add("organization.name", organization.Name)
            .Add("organization.description", organization.Description)
            .Add("organization.type", organization.Type)
            .Add("organization.website", organization.Website)
            .Add("organization.logo", organization.Logo)
            .Add("organization.contact.url", organization.ContactUrl)
            .Add("organization.contact.email", organization.ContactEmail)
            .Add("organization.legal.url", organization.LegalUrl)
            .Add("organization.country.code", organization.CountryCode)
            .Add("organization.geolocation.latitude", organization.Latitude)
            .Add("organization.geolocation.longitude", organization.Longitude)
            .Add("organization.geolocation.address", organization.Address)
            .Add("organization.memberof.chatons.status.level", organization.MembershipStatus)
            .Add("organization.memberof.chatons.startdate", organization.MemberSince)
            .Add("organization.memberof.chatons.enddate", organization.MemberUntil)
            .Add("organization.chatonsfed.actor", organization.Actor);
        return Subs(writer, organization.Subs);
    }

    public static string Write(ChatonsInfosService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return Header(service.File with { Class = ChatonsInfosClass.Service })
            .Section("Service")
            .Add("service.name", service.Name)
            .Add("service.description", service.Description)
            .Add("service.website", service.Website)
            .Add("service.startdate", service.StartDate)
            .Add("service.enddate", service.EndDate)
            .Add("service.status.level", service.StatusLevel)
            .Add("service.registration", service.Registration)
            .Add("service.registration.load", service.RegistrationLoad)
            .Add("service.chatonsfed.category", service.Category)
            .Section("Software")
            .Add("software.name", service.SoftwareName)
            .Add("software.version", service.SoftwareVersion)
            .Add("software.license.name", service.SoftwareLicense)
            .Add("software.source.url", service.SoftwareSource)
            .Section("Host")
            .Add("host.server.type", service.HostServerType)
            .Add("host.provider.type", service.HostProviderType)
            .Add("host.country.code", service.HostCountryCode)
            .ToString();
    }

    private static PropertiesWriter Header(ChatonsInfosFileHeader header) => new PropertiesWriter()
        .Section("File")
        .Add("file.class", ChatonsInfosParser.Name(header.Class))
        .Add("file.protocol", header.Protocol ?? Protocol)
        .Add("file.datetime", header.DateTime)
        .Add("file.generator", header.Generator)
        .Add("file.url", header.Url);

    private static string Subs(PropertiesWriter writer, IReadOnlyList<SubReference> subs)
    {
        if (subs.Count > 0)
        {
            writer.Section("Subs");
            foreach (var sub in subs)
            {
                writer.Add("subs." + sub.Id, sub.Url);
            }
        }

        return writer.ToString();
    }
}
