namespace ChatonsFed.Aggregator.News;

// What the aggregator announced and posted, in the data folder's LiteDB file (chatonsfed.db): it survives a rebuild of
// directory.db, so that a directory emptied and filled again with the same chatons announces nothing.

/// <summary>What was last announced of one chaton: whether it is listed, its services, its admission, when a note last named it.</summary>
public sealed class AnnouncedChatonRecord
{
    /// <summary>The actor id.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>Its name when last seen listed, to name it once it is gone.</summary>
    public string Name { get; set; } = string.Empty;

    public string? Handle { get; set; }

    public string? Place { get; set; }

    /// <summary>Whether its listing was announced (and its departure not yet).</summary>
    public bool Listed { get; set; }

    /// <summary>Its services as announced, by id, with their category.</summary>
    public List<AnnouncedService> Services { get; set; } = [];

    /// <summary>Its admission status as announced (<c>admitted</c>, <c>candidate</c>…); null when none was computed.</summary>
    public string? Admission { get; set; }

    /// <summary>Its actor was deleted, or removed as gone by the freshness rules, and the departure is not announced yet.</summary>
    public bool Departed { get; set; }

    /// <summary>When a note last named it (a digest does not count).</summary>
    public DateTimeOffset? LastNote { get; set; }
}

/// <summary>One service as announced.</summary>
public sealed class AnnouncedService
{
    public string Id { get; set; } = string.Empty;

    public string? Category { get; set; }
}

/// <summary>A note the aggregator posted: the <c>Note</c> and its <c>Create</c> as signed, and its texts for the Atom feed.</summary>
public sealed class NoteRecord
{
    /// <summary>The token of its id (<c>{base}/aggregator/notes/{token}</c>).</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>Its rank: the outbox and the feed list notes by it, newest first.</summary>
    public long Sequence { get; set; }

    public DateTimeOffset Published { get; set; }

    /// <summary>The chaton it is about; null for a digest.</summary>
    public string? ActorId { get; set; }

    /// <summary>Where it links to: the chaton's page, or the list for a digest.</summary>
    public string Url { get; set; } = string.Empty;

    public string TitleFr { get; set; } = string.Empty;

    public string TitleEn { get; set; } = string.Empty;

    public string ContentFr { get; set; } = string.Empty;

    public string ContentEn { get; set; } = string.Empty;

    /// <summary>The signed <c>Note</c>, served at its id.</summary>
    public string NoteJson { get; set; } = string.Empty;

    /// <summary>The signed <c>Create</c> that embeds it, served at its own id and in the outbox.</summary>
    public string CreateJson { get; set; } = string.Empty;
}

/// <summary>An actor that follows the aggregator: where its notes are delivered.</summary>
public sealed class AggregatorFollowerRecord
{
    /// <summary>The follower's actor id.</summary>
    public string Id { get; set; } = string.Empty;

    public string Inbox { get; set; } = string.Empty;

    /// <summary>Its server's shared inbox, delivered to instead of its own when given.</summary>
    public string? SharedInbox { get; set; }

    public string? FollowActivityId { get; set; }

    public DateTimeOffset Since { get; set; }

    /// <summary>Where its deliveries go.</summary>
    public string DeliveryTarget() => SharedInbox ?? Inbox;
}
