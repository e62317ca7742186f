namespace ChatonsFed.Hosting.Storage;

// The records every role keeps in the data folder's LiteDB file: plain classes with settable members, one collection each.

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

    /// <summary>When a request of the actor last verified (recorded at most hourly); the order of eviction. Missing in older files.</summary>
    public DateTimeOffset LastUsed { get; set; }
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

    /// <summary>When the key last verified a request (recorded at most hourly); the order of eviction. Missing in older files.</summary>
    public DateTimeOffset LastUsed { get; set; }
}

/// <summary>
/// The hash of the owner's admin credential, and of the password the owner may set for the web page; neither is
/// ever stored in clear.
/// </summary>
public sealed class AdminCredentialRecord
{
    public int Id { get; set; } = 1;
    public string TokenHash { get; set; } = string.Empty;
    public DateTimeOffset Created { get; set; }

    /// <summary>The web page's password as <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c> (see <c>AdminPassword</c>); null when none was set.</summary>
    public string? PasswordHash { get; set; }

    public DateTimeOffset? PasswordSet { get; set; }

    /// <summary>Carried by every web page session; a new one (when the password changes) ends the sessions signed in before. Empty in older files.</summary>
    public string SessionStamp { get; set; } = string.Empty;
}
