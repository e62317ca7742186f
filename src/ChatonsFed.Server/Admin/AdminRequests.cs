namespace ChatonsFed.Server.Admin;

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

/// <summary>Changes to the charter declaration, criterion by criterion.</summary>
/// <remarks>
/// Settable rather than init-only: generated JSON code sets every init-only member, null when the request omits it,
/// while a settable member the request omits keeps its empty default.
/// </remarks>
public sealed record AttestationChanges
{
    public IReadOnlyList<string> Met { get; set; } = [];
    public IReadOnlyList<string> NotMet { get; set; } = [];
    public IReadOnlyDictionary<string, string> Notes { get; set; } = new Dictionary<string, string>();

    /// <summary>Marks every required criterion of the charter as met.</summary>
    public bool AllRequiredMet { get; init; }
}

/// <summary>What a change did: warnings worth showing, the service slug concerned, and how many deliveries were queued.</summary>
public sealed record ChangeResult
{
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public string? Slug { get; init; }
    public int DeliveriesQueued { get; init; }
    public IReadOnlyList<string> Activities { get; init; } = [];
}

/// <summary>A refused change; the message is one line naming the bad value and what is expected.</summary>
public sealed class NodeInputException : Exception
{
    public NodeInputException()
    {
    }

    public NodeInputException(string message)
        : base(message)
    {
    }

    public NodeInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A charter criterion's label in French and English.</summary>
public sealed record CriterionLabel(string French, string English);
