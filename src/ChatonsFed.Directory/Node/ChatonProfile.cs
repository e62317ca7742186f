namespace ChatonsFed.Directory.Node;

/// <summary>What a chaton says about itself: the content of its <c>Organization</c> actor.</summary>
public sealed record ChatonProfile
{
    public required string Name { get; init; }

    /// <summary>Plain text; the actor shows it as an HTML paragraph.</summary>
    public string Summary { get; init; } = "";

    public Uri? Website { get; init; }

    public StructureType StructureType { get; init; } = StructureType.Association;

    public Membership? Membership { get; init; }

    /// <summary>ISO 3166-1 alpha-2 code in upper case, such as <c>FR</c>.</summary>
    public string? Country { get; init; }

    public GeoLocation? Location { get; init; }

    /// <summary>An http(s) URL or a <c>mailto:</c> URI.</summary>
    public string? Contact { get; init; }

    public Uri? LegalNotice { get; init; }

    public Uri? Icon { get; init; }

    public Uri? Image { get; init; }

    /// <summary>The web page that lists the services, for the "Services" profile field; the node's services URL when absent.</summary>
    public Uri? ServicesPage { get; init; }

    /// <summary>Mastodon's <c>discoverable</c>: the account may be suggested and listed in directories.</summary>
    public bool Discoverable { get; init; } = true;

    /// <summary>Mastodon's <c>indexable</c>: the node's public notes may be found by full-text search.</summary>
    public bool Indexable { get; init; } = true;

    public DateTimeOffset Published { get; init; }

    public DateTimeOffset Updated { get; init; }

    /// <summary>Every problem with this profile, each naming the field; empty when the profile can be published.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            problems.Add("name: must not be empty.");
        }

        DomainRules.CheckOptionalWebUrl(problems, "website", Website);
        DomainRules.CheckOptionalWebUrl(problems, "legalNotice", LegalNotice);
        DomainRules.CheckOptionalWebUrl(problems, "icon", Icon);
        DomainRules.CheckOptionalWebUrl(problems, "image", Image);
        DomainRules.CheckOptionalWebUrl(problems, "servicesPage", ServicesPage);
        DomainRules.CheckDefined(problems, "structureType", StructureType);
        DomainRules.CheckCountry(problems, "country", Country);
        DomainRules.CheckContact(problems, "contact", Contact);
        DomainRules.CheckDates(problems, Published, Updated);
        if (Membership is not null)
        {
            DomainRules.CheckDefined(problems, "membership.status", Membership.Status);
            if (Membership.Since is { } since && Membership.Until is { } until && until < since)
            {
                problems.Add($"membership: until ({until:yyyy-MM-dd}) is before since ({since:yyyy-MM-dd}).");
            }
        }

        return problems;
    }
}

/// <summary>A chaton's standing in the collective and since/until when.</summary>
public sealed record Membership(MembershipStatus Status, DateOnly? Since, DateOnly? Until);

/// <summary>Where a chaton is, as an ActivityStreams <c>Place</c>; latitude and longitude are checked on creation.</summary>
public sealed record GeoLocation
{
    public GeoLocation(string? name, double latitude, double longitude, string? address = null)
    {
        Name = name;
        Latitude = latitude;
        Longitude = longitude;
        Address = address;
    }

    public string? Name { get; init; }

    /// <summary>Decimal degrees, from -90 to 90.</summary>
    public double Latitude
    {
        get;
        init => field = double.IsFinite(value) && value is >= -90 and <= 90
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Latitude), value, "Latitude must be a number of degrees between -90 and 90.");
    }

    /// <summary>Decimal degrees, from -180 to 180.</summary>
    public double Longitude
    {
        get;
        init => field = double.IsFinite(value) && value is >= -180 and <= 180
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Longitude), value, "Longitude must be a number of degrees between -180 and 180.");
    }

    /// <summary>A postal address in one line, if the chaton wants it shown.</summary>
    public string? Address { get; init; }

    public void Deconstruct(out string? name, out double latitude, out double longitude, out string? address)
    {
        name = Name;
        latitude = Latitude;
        longitude = Longitude;
        address = Address;
    }
}
