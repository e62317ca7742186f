namespace ChatonsFed.Directory.Node;

// What a change to a chaton's description says, as its owner gives it or as a ChatonsInfos file reads.

/// <summary>Changes to the profile; a null member leaves the value as it is, an empty string clears it.</summary>
public sealed record ProfileChanges
{
    public string? Name { get; init; }
    public string? Summary { get; init; }
    public string? Website { get; init; }
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }
    public string? PlaceName { get; init; }
    public string? StructureType { get; init; }
    public string? Country { get; init; }
    public string? MembershipStatus { get; init; }
    public string? MemberSince { get; init; }
    public string? MemberUntil { get; init; }
    public string? Contact { get; init; }
    public string? LegalNotice { get; init; }
    public string? Icon { get; init; }
}

/// <summary>A service to add, or changes to one (null members unchanged on update).</summary>
public sealed record ServiceChanges
{
    public string? Slug { get; init; }
    public string? Category { get; init; }
    public string? Name { get; init; }
    public string? Summary { get; init; }
    public string? Url { get; init; }
    public string? Software { get; init; }
    public string? SoftwareVersion { get; init; }
    public string? License { get; init; }
    public string? SourceCode { get; init; }
    public string? Registration { get; init; }
    public string? Capacity { get; init; }
    public string? Status { get; init; }
    public string? ServerType { get; init; }
    public string? ProviderType { get; init; }
    public string? HostCountry { get; init; }
}
