namespace ChatonsFed.Node.Storage;

// The chaton node's records as LiteDB stores them: plain classes with settable members, one collection each.

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
