using System.Text;

namespace ChatonsFed.ChatonsInfos;

/// <summary>
/// Reads ChatonsInfos federation, organization and service files. Accepts what real generators write (see
/// <see cref="PropertiesReader"/>, plus comma decimal separators, <c>dd/mm/yyyy</c> dates and the camelCase keys of
/// older versions); returns the data with warnings naming their line, or an error saying why the file is of no use.
/// Never throws on any input.
/// </summary>
public static class ChatonsInfosParser
{
    public static readonly IReadOnlyList<string> StructureTypes = ["ASSOCIATION", "INFORMAL", "COOPERATIVE", "MICROCOMPANY", "COMPANY", "INDIVIDUAL", "OTHER"];
    public static readonly IReadOnlyList<string> MembershipStatuses = ["ACTIVE", "IDLE", "AWAY"];
    public static readonly IReadOnlyList<string> StatusLevels = ["OK", "WARNING", "ALERT", "ERROR", "OVER", "VOID"];
    public static readonly IReadOnlyList<string> Registrations = ["None", "Free", "Member", "Client"];
    public static readonly IReadOnlyList<string> RegistrationLoads = ["OPEN", "FULL"];
    public static readonly IReadOnlyList<string> ServerTypes = ["NANO", "PHYSICAL", "VIRTUAL", "SHARED", "CLOUD"];
    public static readonly IReadOnlyList<string> ProviderTypes = ["HOME", "HOSTEDBAY", "HOSTEDSERVER", "OUTSOURCED"];

    public static ChatonsInfosResult<ChatonsInfosFederation> ParseFederation(ReadOnlySpan<byte> bytes, ChatonsInfosLimits? limits = null) =>
        Parse<ChatonsInfosFederation>(bytes, ChatonsInfosClass.Federation, limits);

    public static ChatonsInfosResult<ChatonsInfosOrganization> ParseOrganization(ReadOnlySpan<byte> bytes, ChatonsInfosLimits? limits = null) =>
        Parse<ChatonsInfosOrganization>(bytes, ChatonsInfosClass.Organization, limits);

    public static ChatonsInfosResult<ChatonsInfosService> ParseService(ReadOnlySpan<byte> bytes, ChatonsInfosLimits? limits = null) =>
        Parse<ChatonsInfosService>(bytes, ChatonsInfosClass.Service, limits);

    /// <summary>A file of any class; <see cref="ChatonsInfosFile.File"/> says which.</summary>
    public static ChatonsInfosResult<ChatonsInfosFile> Parse(ReadOnlySpan<byte> bytes, ChatonsInfosLimits? limits = null) =>
        Parse<ChatonsInfosFile>(bytes, expected: null, limits);

    public static ChatonsInfosResult<ChatonsInfosFile> Parse(string text, ChatonsInfosLimits? limits = null) =>
        Parse(Encoding.UTF8.GetBytes(text ?? string.Empty), limits);

    private static ChatonsInfosResult<T> Parse<T>(ReadOnlySpan<byte> bytes, ChatonsInfosClass? expected, ChatonsInfosLimits? limits)
        where T : ChatonsInfosFile
    {
        limits ??= ChatonsInfosLimits.Default;
        var (lines, readWarnings, error) = PropertiesReader.Read(bytes, limits);
        if (error is not null)
        {
            return new(null, error, readWarnings);
        }

        var fields = new Fields(lines, readWarnings, limits);
        var header = fields.Header(out error);
        if (header is null)
        {
            return new(null, error, fields.Warnings);
        }

        if (expected is { } want && header.Class != want)
        {
            return new(null, $"file.class is {Name(header.Class)}, expected {Name(want)}", fields.Warnings);
        }

        ChatonsInfosFile? file = header.Class switch
        {
            ChatonsInfosClass.Federation => Federation(fields, header),
            ChatonsInfosClass.Organization => Organization(fields, header),
            _ => Service(fields, header),
        };
        if (file is null)
        {
            var nameKey = header.Class == ChatonsInfosClass.Service ? "service.name" : Name(header.Class) + ".name";
            return new(null, $"no {nameKey}: the file does not name its {Name(header.Class)}", fields.Warnings);
        }

        file = fields.Finish(file, header.Class);
        return new((T)file, null, fields.Warnings);
    }

    public static string Name(ChatonsInfosClass value) => value switch
    {
        ChatonsInfosClass.Federation => "federation",
        ChatonsInfosClass.Organization => "organization",
        _ => "service",
    };

    private static ChatonsInfosFederation? Federation(Fields f, ChatonsInfosFileHeader header) =>
        f.Text("federation.name") is not { } name ? null : new ChatonsInfosFederation
        {
            File = header,
            Name = name,
            Description = f.Text("federation.description"),
            Website = f.Url("federation.website"),
            Logo = f.Url("federation.logo"),
            ContactEmail = f.Email("federation.contact.email"),
            ContactUrl = f.Url("federation.contact.url"),
        };

    private static ChatonsInfosOrganization? Organization(Fields f, ChatonsInfosFileHeader header) =>
        f.Text("organization.name") is not { } name ? null : new ChatonsInfosOrganization
        {
            File = header,
            Name = name,
            Description = f.Text("organization.description"),
            Type = f.Choice("organization.type", StructureTypes),
            Website = f.Url("organization.website"),
            Logo = f.Url("organization.logo") ?? f.Url("organization.logo.url"),
            ContactUrl = f.Url("organization.contact.url"),
            ContactEmail = f.Email("organization.contact.email"),
            LegalUrl = f.Url("organization.legal.url"),
            CountryCode = f.Country("organization.country.code"),
            Latitude = f.Degrees("organization.geolocation.latitude", 90),
            Longitude = f.Degrees("organization.geolocation.longitude", 180),
            Address = f.Text("organization.geolocation.address"),
            MembershipStatus = f.Choice("organization.memberof.chatons.status.level", MembershipStatuses),
            MemberSince = f.Date("organization.memberof.chatons.startdate"),
            MemberUntil = f.Date("organization.memberof.chatons.enddate"),
            Actor = f.Text("organization.chatonsfed.actor"),
        };

    private static ChatonsInfosService? Service(Fields f, ChatonsInfosFileHeader header) =>
        f.Text("service.name") is not { } name ? null : new ChatonsInfosService
        {
            File = header,
            Name = name,
            Description = f.Text("service.description"),
            Website = f.Url("service.website"),
            StatusLevel = f.Choice("service.status.level", StatusLevels),
            Registration = f.Choice("service.registration", Registrations),
            RegistrationLoad = f.Choice("service.registration.load", RegistrationLoads),
            StartDate = f.Date("service.startdate"),
            EndDate = f.Date("service.enddate"),
            Category = f.Text("service.chatonsfed.category"),
            SoftwareName = f.Text("software.name"),
            SoftwareVersion = f.Text("software.version"),
            SoftwareLicense = f.Text("software.license.name"),
            SoftwareSource = f.Url("software.source.url"),
            HostServerType = f.Choice("host.server.type", ServerTypes),
            HostProviderType = f.Choice("host.provider.type", ProviderTypes),
            HostCountryCode = f.Country("host.country.code"),
        };
}
