namespace ChatonsFed.Aggregator.Tracking;

// The aggregator's records in the data folder's LiteDB file (they survive a rebuild of directory.db): plain classes
// with settable members, one collection each.

/// <summary>How the aggregator came to know a chaton actor.</summary>
public enum TrackedSource
{
    /// <summary>A seed of the settings or of <c>chatonsfed directory follow</c>.</summary>
    Seed,

    /// <summary>Listed in the <c>following</c> collection of a verified chaton.</summary>
    Discovered,

    /// <summary>Found in another aggregator's bundle, then verified against its own origin.</summary>
    Bundle,
}

/// <summary>Where the aggregator's <c>Follow</c> of a chaton stands.</summary>
public enum FollowState
{
    None,
    Requested,
    Accepted,
    Rejected,
}

/// <summary>A chaton actor the aggregator tracks (listed or not): how it was found, the follow, the last fetch's outcome.</summary>
public sealed class TrackedActorRecord
{
    /// <summary>The actor id.</summary>
    public string Id { get; set; } = string.Empty;

    public TrackedSource Source { get; set; }

    /// <summary>Hops from a seed (0 for a seed).</summary>
    public int Depth { get; set; }

    public DateTimeOffset FirstSeen { get; set; }

    public DateTimeOffset? LastAttempt { get; set; }

    /// <summary>The last time the node answered (200 or 304).</summary>
    public DateTimeOffset? LastAnswer { get; set; }

    /// <summary>Since when fetches fail without a 404/410 (network, 5xx, time-out); null while they succeed.</summary>
    public DateTimeOffset? FailingSince { get; set; }

    /// <summary>Since when the actor answers 404 or 410; removed from the directory after the grace period.</summary>
    public DateTimeOffset? GoneSince { get; set; }

    /// <summary>Why the last fetch failed, or why the actor is not listed (a rejection reason and its sentence).</summary>
    public string? Problem { get; set; }

    /// <summary>Whether the last check listed the chaton.</summary>
    public bool Listed { get; set; }

    public FollowState Follow { get; set; }

    public string? FollowActivityId { get; set; }

    public DateTimeOffset? FollowSent { get; set; }
}

/// <summary>A seed added at run time (<c>chatonsfed directory follow</c>), as written.</summary>
public sealed class SeedRecord
{
    public string Id { get; set; } = string.Empty;

    public DateTimeOffset Added { get; set; }
}

/// <summary>What one ChatonsInfos federation file gave at its last read (aggregator role), as JSON: a cache, made again at each poll.</summary>
public sealed class ChatonsInfosReadRecord
{
    /// <summary>The federation file, as configured.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>Its place among the sources.</summary>
    public int Order { get; set; }

    public string Json { get; set; } = string.Empty;
}
