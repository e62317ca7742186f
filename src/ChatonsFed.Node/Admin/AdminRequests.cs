namespace ChatonsFed.Node.Admin;

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

/// <summary>A charter criterion's label in French and English.</summary>
public sealed record CriterionLabel(string French, string English);
