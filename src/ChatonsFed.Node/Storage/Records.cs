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

/// <summary>A membership credential this chaton issued: the document as signed and served, and what the owner's list shows.</summary>
public sealed class IssuedCredentialRecord
{
    /// <summary>The random last segment of the credential's URL, <c>{base}/membership/issued/{id}</c>.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The credential's id, its full URL.</summary>
    public string CredentialId { get; set; } = string.Empty;

    /// <summary>The subject's actor id.</summary>
    public string Subject { get; set; } = string.Empty;

    /// <summary>Where the subject's activities go (its shared inbox when it has one).</summary>
    public string? SubjectInbox { get; set; }

    public DateTimeOffset ValidFrom { get; set; }
    public DateTimeOffset ValidUntil { get; set; }

    /// <summary>Its index in the node's revocation list.</summary>
    public int StatusIndex { get; set; }

    /// <summary>When it was revoked (its bit set); null while it is not.</summary>
    public DateTimeOffset? Revoked { get; set; }

    /// <summary>The signed credential, exactly as served.</summary>
    public string Json { get; set; } = string.Empty;
    public string ETag { get; set; } = string.Empty;
    public DateTimeOffset Modified { get; set; }
}

/// <summary>The node's revocation list: the bits set so far, and the indexes given to credentials (never given twice).</summary>
public sealed class StatusListRecord
{
    public int Id { get; set; } = 1;

    /// <summary>The list's bits (bit i is <c>0x80 &gt;&gt; (i % 8)</c> of byte <c>i / 8</c>); only ever set.</summary>
    public byte[] Revoked { get; set; } = [];

    /// <summary>The indexes given to a credential, in the same layout.</summary>
    public byte[] Allocated { get; set; } = [];

    /// <summary>The list's last change, its <c>validFrom</c>.</summary>
    public DateTimeOffset ValidFrom { get; set; }
}

/// <summary>A membership credential about this chaton, fetched from its issuer's origin and verified.</summary>
public sealed class HeldCredentialRecord
{
    /// <summary>The credential's id (a URL on its issuer's origin).</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The issuer's actor id.</summary>
    public string Issuer { get; set; } = string.Empty;

    /// <summary>The credential exactly as received.</summary>
    public string Json { get; set; } = string.Empty;

    public DateTimeOffset ValidFrom { get; set; }
    public DateTimeOffset ValidUntil { get; set; }

    /// <summary>Its proof's <c>created</c>: of two copies of one credential, the later one is kept.</summary>
    public DateTimeOffset ProofCreated { get; set; }

    public string StatusListUrl { get; set; } = string.Empty;
    public int StatusIndex { get; set; }

    /// <summary>Whether a verified status list of its issuer covered its index when it was last checked.</summary>
    public bool StatusKnown { get; set; }

    /// <summary>When this node saw its bit set in the issuer's list; null while it has not.</summary>
    public DateTimeOffset? Revoked { get; set; }

    public DateTimeOffset Received { get; set; }
}
