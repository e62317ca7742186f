namespace ChatonsFed.Server.Storage;

// Records as LiteDB stores them: plain classes with settable members, one collection each.

/// <summary>The chaton's own description, from which the actor document is built.</summary>
public sealed class ProfileRecord
{
    public int Id { get; set; } = 1;
    public string Handle { get; set; } = string.Empty;
    public string Name { get; set; } = string.Empty;
    public string? Summary { get; set; }
    public string? Website { get; set; }
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    public string? PlaceName { get; set; }
    public string? StructureType { get; set; }
    public string? Country { get; set; }
    public string? MembershipStatus { get; set; }
    public string? MemberSince { get; set; }
    public string? MemberUntil { get; set; }
    public string? Contact { get; set; }
    public string? LegalNotice { get; set; }
    public string? Icon { get; set; }
    public DateTimeOffset Published { get; set; }
    public DateTimeOffset Updated { get; set; }

    /// <summary>Set when the chaton left the network: its documents answer 410 Gone.</summary>
    public DateTimeOffset? Deleted { get; set; }
}

/// <summary>One hosted service; a removed one is kept as a tombstone so its URL answers 410.</summary>
public sealed class ServiceRecord
{
    /// <summary>The slug, the last segment of the service's URL.</summary>
    public string Id { get; set; } = string.Empty;
    public string Category { get; set; } = string.Empty;
    public string Name { get; set; } = string.Empty;
    public string? Summary { get; set; }
    public string Url { get; set; } = string.Empty;
    public string? Software { get; set; }
    public string? SoftwareVersion { get; set; }
    public string? License { get; set; }
    public string? SourceCode { get; set; }
    public string? Registration { get; set; }
    public string? Capacity { get; set; }
    public string? Status { get; set; }

    /// <summary>Where the service runs, as ChatonsInfos <c>host.server.type</c>, <c>host.provider.type</c> and <c>host.country.code</c>.</summary>
    public string? ServerType { get; set; }
    public string? ProviderType { get; set; }
    public string? HostCountry { get; set; }
    public int Position { get; set; }
    public DateTimeOffset Published { get; set; }
    public DateTimeOffset Updated { get; set; }
    public DateTimeOffset? Removed { get; set; }
}

/// <summary>The chaton's declaration against the charter, criterion by criterion.</summary>
public sealed class AttestationRecord
{
    public int Id { get; set; } = 1;
    public string CharterUrl { get; set; } = string.Empty;
    public string CharterVersion { get; set; } = string.Empty;
    public string? CharterDigest { get; set; }
    public List<CriterionRecord> Criteria { get; set; } = [];
    public DateTimeOffset Published { get; set; }
    public DateTimeOffset Updated { get; set; }
}

public sealed class CriterionRecord
{
    public string Id { get; set; } = string.Empty;
    public bool Met { get; set; }
    public string? Note { get; set; }
}

/// <summary>A served document: the signed JSON text exactly as it goes on the wire, so its bytes and ETag never change between requests.</summary>
public sealed class DocumentRecord
{
    /// <summary>The path under the public base URL, e.g. <c>/actor</c> or <c>/services/pad</c>.</summary>
    public string Id { get; set; } = string.Empty;
    public string Json { get; set; } = string.Empty;
    public string ETag { get; set; } = string.Empty;
    public DateTimeOffset Modified { get; set; }

    /// <summary>Set when the object was deleted: the URL answers 410 Gone (with the tombstone in <see cref="Json"/>).</summary>
    public bool Gone { get; set; }
}

public sealed class FollowerRecord
{
    /// <summary>The follower's actor id.</summary>
    public string Id { get; set; } = string.Empty;
    public string Inbox { get; set; } = string.Empty;
    public string? SharedInbox { get; set; }
    public string? FollowActivityId { get; set; }
    public DateTimeOffset Since { get; set; }
}

public sealed class BlockedDomainRecord
{
    /// <summary>The domain, lower case; its subdomains are blocked too.</summary>
    public string Id { get; set; } = string.Empty;
    public DateTimeOffset Since { get; set; }
}

/// <summary>An activity the node published, as signed.</summary>
public sealed class OutboxRecord
{
    public int Id { get; set; }
    public string ActivityId { get; set; } = string.Empty;
    public string Type { get; set; } = string.Empty;
    public string Json { get; set; } = string.Empty;
    public DateTimeOffset Published { get; set; }
}

/// <summary>The id of an inbound activity already applied, so a redelivery changes nothing.</summary>
public sealed class ProcessedActivityRecord
{
    public string Id { get; set; } = string.Empty;
    public DateTimeOffset Received { get; set; }
}

/// <summary>A remote actor document (and so its keys) as fetched.</summary>
public sealed class RemoteActorRecord
{
    public string Id { get; set; } = string.Empty;
    public string Json { get; set; } = string.Empty;
    public DateTimeOffset Fetched { get; set; }
}

/// <summary>Which HTTP signature flavour an origin accepted last (RFC 9421 or draft-cavage).</summary>
public sealed class SignatureFlavourRecord
{
    public string Id { get; set; } = string.Empty;
    public string Flavour { get; set; } = string.Empty;
    public DateTimeOffset Learned { get; set; }
}

/// <summary>A remote public key as resolved from its owner's actor.</summary>
public sealed class RemoteKeyRecord
{
    public string Id { get; set; } = string.Empty;
    public string OwnerId { get; set; } = string.Empty;
    public string PublicKeyPem { get; set; } = string.Empty;
    public DateTimeOffset FetchedAt { get; set; }
}

/// <summary>The hash of the owner's admin credential; the credential itself is never stored.</summary>
public sealed class AdminCredentialRecord
{
    public int Id { get; set; } = 1;
    public string TokenHash { get; set; } = string.Empty;
    public DateTimeOffset Created { get; set; }
}

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
