namespace ChatonsFed.ChatonsInfos;

/// <summary>The three kinds of ChatonsInfos file (<c>file.class</c>).</summary>
public enum ChatonsInfosClass
{
    Federation,
    Organization,
    Service,
}

/// <summary>A <c>subs.ID = URL</c> line: a file this one points to.</summary>
public sealed record SubReference(string Id, Uri Url, int Line);

/// <summary>The <c>file.*</c> lines, common to every class.</summary>
public sealed record ChatonsInfosFileHeader(ChatonsInfosClass Class, string? Protocol, string? DateTime, string? Generator, Uri? Url);

/// <summary>What every parsed file has: its header, the files it points to, and the lines no field took.</summary>
public abstract record ChatonsInfosFile
{
    public required ChatonsInfosFileHeader File { get; init; }

    public IReadOnlyList<SubReference> Subs { get; init; } = [];

    /// <summary>Lines with a value that no field of this record took (unknown keys, keys of no use here, unusable values), in file order.</summary>
    public IReadOnlyList<PropertyLine> Unused { get; init; } = [];

    /// <summary>Keys (lower case) read into a field, each with its line.</summary>
    public IReadOnlyList<PropertyLine> Used { get; init; } = [];
}

/// <summary>A federation file: the collective and the organizations it lists.</summary>
public sealed record ChatonsInfosFederation : ChatonsInfosFile
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public Uri? Website { get; init; }
    public Uri? Logo { get; init; }
    public string? ContactEmail { get; init; }
    public Uri? ContactUrl { get; init; }
}

/// <summary>An organization file: one member structure.</summary>
public sealed record ChatonsInfosOrganization : ChatonsInfosFile
{
    public required string Name { get; init; }
    public string? Description { get; init; }

    /// <summary><c>organization.type</c>: ASSOCIATION, INFORMAL, COOPERATIVE, MICROCOMPANY, COMPANY, INDIVIDUAL or OTHER.</summary>
    public string? Type { get; init; }

    public Uri? Website { get; init; }
    public Uri? Logo { get; init; }
    public Uri? ContactUrl { get; init; }
    public string? ContactEmail { get; init; }
    public Uri? LegalUrl { get; init; }

    /// <summary>ISO 3166-1 alpha-2, upper case.</summary>
    public string? CountryCode { get; init; }

    public double? Latitude { get; init; }
    public double? Longitude { get; init; }
    public string? Address { get; init; }

    /// <summary><c>organization.memberof.chatons.status.level</c>: ACTIVE, IDLE or AWAY.</summary>
    public string? MembershipStatus { get; init; }

    public DateOnly? MemberSince { get; init; }
    public DateOnly? MemberUntil { get; init; }

    /// <summary>
    /// <c>organization.chatonsfed.actor</c> (a ChatonsFed key): the organization's ChatonsFed actor, as an actor URL or a
    /// handle <c>@name@host</c>. An aggregator lists such an organization from its signed actor, never from this file.
    /// </summary>
    public string? Actor { get; init; }
}

/// <summary>A service file: one hosted service.</summary>
public sealed record ChatonsInfosService : ChatonsInfosFile
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public Uri? Website { get; init; }

    /// <summary><c>service.status.level</c>: OK, WARNING, ALERT, ERROR, OVER or VOID.</summary>
    public string? StatusLevel { get; init; }

    /// <summary><c>service.registration</c>: None, Free, Member or Client.</summary>
    public string? Registration { get; init; }

    /// <summary><c>service.registration.load</c>: OPEN or FULL.</summary>
    public string? RegistrationLoad { get; init; }

    public DateOnly? StartDate { get; init; }
    public DateOnly? EndDate { get; init; }

    /// <summary><c>service.chatonsfed.category</c> (a ChatonsFed key): an id of the collective's service-category list.</summary>
    public string? Category { get; init; }

    public string? SoftwareName { get; init; }
    public string? SoftwareVersion { get; init; }
    public string? SoftwareLicense { get; init; }
    public Uri? SoftwareSource { get; init; }

    /// <summary><c>host.server.type</c>: NANO, PHYSICAL, VIRTUAL, SHARED or CLOUD.</summary>
    public string? HostServerType { get; init; }

    /// <summary><c>host.provider.type</c>: HOME, HOSTEDBAY, HOSTEDSERVER or OUTSOURCED.</summary>
    public string? HostProviderType { get; init; }

    public string? HostCountryCode { get; init; }
}

/// <summary>A parsed file, or why it could not be used, and the warnings in either case.</summary>
public sealed record ChatonsInfosResult<T>(T? Value, string? Error, IReadOnlyList<ChatonsInfosWarning> Warnings)
    where T : ChatonsInfosFile
{
    public bool IsOk => Value is not null;
}
