namespace ChatonsFed.Aggregator.News;

/// <summary>What happened to a chaton, as the notes announce it.</summary>
public enum NewsKind
{
    /// <summary>Listed for the first time (or again, after its departure was announced).</summary>
    Listed,

    ServiceAdded,

    ServiceRemoved,

    /// <summary>Became an admitted member (only with trust roots).</summary>
    Admitted,

    /// <summary>Was an admitted member and no longer is (only with trust roots).</summary>
    NoLongerAdmitted,

    /// <summary>Its actor was deleted, or it was removed as gone by the freshness rules.</summary>
    Gone,
}

/// <summary>One event: its kind, and the service category it is about (a service added or removed).</summary>
public sealed record NewsEvent(NewsKind Kind, string? Category = null);

/// <summary>The events of one chaton in one round, announced together in one note.</summary>
/// <param name="Categories">For a chaton listed: the categories of its services, in the catalogue's order.</param>
public sealed record ChatonNews(string ActorId, string Name, string? Handle, string? Place, IReadOnlyList<NewsEvent> Events, IReadOnlyList<string> Categories);
