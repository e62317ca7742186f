namespace ChatonsFed.Directory.Node;

/// <summary>One service a chaton hosts: the content of one <c>HostedService</c> object.</summary>
public sealed record HostedServiceEntry
{
    /// <summary>The service's id within the node (last segment of its URL); lower-case letters, digits, '-' and '_'.</summary>
    public required string Slug { get; init; }

    public required string Name { get; init; }

    public string Summary { get; init; } = "";

    /// <summary>Where people use the service.</summary>
    public required Uri Url { get; init; }

    /// <summary>An id of the service-category list; an unknown id is kept and shown as "other".</summary>
    public required string Category { get; init; }

    public ServiceSoftwareInfo? Software { get; init; }

    public Registration Registration { get; init; } = Registration.Free;

    public Capacity Capacity { get; init; } = Capacity.Open;

    public ServiceStatus Status { get; init; } = ServiceStatus.Ok;

    public ServiceHostingInfo? Hosting { get; init; }

    public DateTimeOffset Published { get; init; }

    public DateTimeOffset Updated { get; init; }

    /// <summary>Whether <paramref name="value"/> is an SPDX licence id or expression, as <see cref="ServiceSoftwareInfo.License"/> must be.</summary>
    public static bool IsLicenseExpression(string value) => DomainRules.IsSpdxExpression(value);

    /// <summary>Every problem with this entry, each naming the field; empty when it can be published.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!DomainRules.IsSlug(Slug))
        {
            problems.Add($"slug: \"{Slug}\" must be 1 to 64 characters among a-z, 0-9, '-' and '_', starting with a letter or digit.");
        }

        if (string.IsNullOrWhiteSpace(Name))
        {
            problems.Add("name: must not be empty.");
        }

        DomainRules.CheckOptionalWebUrl(problems, "url", Url);
        if (Url is null)
        {
            problems.Add("url: is required.");
        }

        if (!DomainRules.IsCategoryId(Category))
        {
            problems.Add($"category: \"{Category}\" must be a category id (lower-case letters, digits and '-').");
        }

        DomainRules.CheckDefined(problems, "registration", Registration);
        DomainRules.CheckDefined(problems, "capacity", Capacity);
        DomainRules.CheckDefined(problems, "status", Status);
        if (Software is not null)
        {
            if (string.IsNullOrWhiteSpace(Software.Name))
            {
                problems.Add("software.name: must not be empty.");
            }

            if (Software.License is { } license && !DomainRules.IsSpdxExpression(license))
            {
                problems.Add($"software.license: \"{license}\" is not an SPDX licence id or expression.");
            }

            DomainRules.CheckOptionalWebUrl(problems, "software.sourceCode", Software.SourceCode);
        }

        if (Hosting is not null)
        {
            DomainRules.CheckCountry(problems, "hosting.country", Hosting.Country);
        }

        DomainRules.CheckDates(problems, Published, Updated);
        return problems;
    }
}

/// <summary>The free software behind a hosted service.</summary>
/// <param name="License">An SPDX licence id (or expression), such as <c>AGPL-3.0-or-later</c>.</param>
public sealed record ServiceSoftwareInfo(string Name, string? Version = null, string? License = null, Uri? SourceCode = null);

/// <summary>Where a hosted service runs, as ChatonsInfos <c>host.*</c>.</summary>
/// <param name="ServerType">ChatonsInfos <c>host.server.type</c>: NANO, PHYSICAL, VIRTUAL, SHARED or CLOUD.</param>
/// <param name="ProviderType">ChatonsInfos <c>host.provider.type</c>: HOME, HOSTEDBAY, HOSTEDSERVER or OUTSOURCED.</param>
/// <param name="Country">ISO 3166-1 alpha-2 code of the machine's country.</param>
public sealed record ServiceHostingInfo(string? ServerType, string? ProviderType, string? Country);
