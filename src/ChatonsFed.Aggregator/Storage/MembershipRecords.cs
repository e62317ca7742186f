using ChatonsFed.Protocol.Membership;

namespace ChatonsFed.Aggregator.Storage;

/// <summary>
/// A membership credential held: authentic when it was taken (its proof verified by a key of its issuer), its bytes
/// exactly as received, and which of the two collections that may list it did so when last read.
/// </summary>
public sealed record HeldCredential(MembershipCredential Credential, ReadOnlyMemory<byte> Utf8Json)
{
    public string Id => Credential.Id;

    /// <summary>The issuer's <c>issuedEndorsements</c> listed it (or its issuer announced it with an <c>Add</c>).</summary>
    public bool ListedByIssuer { get; init; }

    /// <summary>The subject's <c>endorsements</c> listed it.</summary>
    public bool ListedBySubject { get; init; }

    /// <summary>The validators of the response that carried it, when it was fetched by its id.</summary>
    public string? ETag { get; init; }

    public string? LastModified { get; init; }

    public DateTimeOffset Received { get; init; }
}

/// <summary>
/// What one membership poll read of a collection: the authentic credentials found in it, and the ids it lists
/// (<see cref="Listed"/>, null when it could not be read: what it listed before stays marked). <see cref="Owner"/>
/// and <see cref="Issued"/> say whose collection it is: its <c>issuedEndorsements</c>, or its <c>endorsements</c>.
/// </summary>
public sealed record CollectionRead(string? Owner, bool Issued, IReadOnlyList<HeldCredential> Credentials, IReadOnlySet<string>? Listed);

/// <summary>
/// An issuer's revocation list as held: the union of the bits of every version that verified, the latest of those
/// versions as received, and when a version last verified (or the issuer said it had not changed).
/// </summary>
public sealed record HeldStatusList(string Url, string Issuer, StatusListBits Bits, ReadOnlyMemory<byte> Utf8Json, DateTimeOffset ValidFrom, DateTimeOffset VerifiedAt)
{
    public string? ETag { get; init; }

    public string? LastModified { get; init; }
}

/// <summary>The actor document of an issuer that is not a listed chaton (a trust root, another issuer), as received.</summary>
public sealed record HeldActor(string Id, ReadOnlyMemory<byte> Utf8Json, DateTimeOffset Received)
{
    public string? ETag { get; init; }

    public string? LastModified { get; init; }
}

// Records as LiteDB stores them.

internal sealed class CredentialRecord
{
    public string Id { get; set; } = "";

    public byte[] Data { get; set; } = [];

    public bool ListedByIssuer { get; set; }

    public bool ListedBySubject { get; set; }

    public string? ETag { get; set; }

    public string? LastModified { get; set; }

    public long Received { get; set; }
}

internal sealed class StatusListRecord
{
    public string Id { get; set; } = "";

    public string Issuer { get; set; } = "";

    /// <summary>The union of the bits, encoded as a list's <c>encodedList</c> is (GZIP, base64url): a few bytes while few are set.</summary>
    public string Bits { get; set; } = "";

    public byte[] Data { get; set; } = [];

    public long ValidFrom { get; set; }

    public long VerifiedAt { get; set; }

    public string? ETag { get; set; }

    public string? LastModified { get; set; }
}

internal sealed class IssuerActorRecord
{
    public string Id { get; set; } = "";

    public byte[] Data { get; set; } = [];

    public string? ETag { get; set; }

    public string? LastModified { get; set; }

    public long Received { get; set; }
}
