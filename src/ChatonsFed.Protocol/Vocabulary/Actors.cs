using System.Text.Json.Serialization;

namespace ChatonsFed.Protocol.Vocabulary;

/// <summary>An ActivityPub actor: the properties shared by <c>Person</c>, <c>Service</c>, <c>Application</c>, <c>Group</c> and <c>Organization</c>.</summary>
public record Actor : AsObject
{
    public Actor()
    {
    }

    private protected Actor(string type)
        : base(type)
    {
    }

    [JsonPropertyName("preferredUsername")]
    public string? PreferredUsername { get; set; }

    [JsonPropertyName("inbox")]
    public string? Inbox { get; set; }

    [JsonPropertyName("outbox")]
    public string? Outbox { get; set; }

    [JsonPropertyName("followers")]
    public string? Followers { get; set; }

    [JsonPropertyName("following")]
    public string? Following { get; set; }

    [JsonPropertyName("liked")]
    public string? Liked { get; set; }

    [JsonPropertyName("featured")]
    public string? Featured { get; set; }

    [JsonPropertyName("endpoints")]
    public Reference<Endpoints>? Endpoints { get; set; }

    /// <summary>The legacy RSA key for Mastodon-style HTTP signatures.</summary>
    [JsonPropertyName("publicKey")]
    public OneOrMany<Reference<PublicKey>>? PublicKey { get; set; }

    /// <summary>FEP-521a verification methods; Fedify lists an RSA and an Ed25519 <see cref="Multikey"/>.</summary>
    [JsonPropertyName("assertionMethod")]
    public OneOrMany<Reference<Multikey>>? AssertionMethod { get; set; }

    [JsonPropertyName("manuallyApprovesFollowers")]
    public bool? ManuallyApprovesFollowers { get; set; }

    /// <summary>Mastodon's <c>toot:discoverable</c>: the account may be suggested and listed.</summary>
    [JsonPropertyName("discoverable")]
    public bool? Discoverable { get; set; }

    /// <summary>Mastodon's <c>toot:indexable</c>: public posts may be found by full-text search.</summary>
    [JsonPropertyName("indexable")]
    public bool? Indexable { get; set; }

    [JsonPropertyName("alsoKnownAs")]
    public OneOrMany<string>? AlsoKnownAs { get; set; }

    [JsonPropertyName("movedTo")]
    public string? MovedTo { get; set; }

    [JsonIgnore]
    public string? SharedInbox => Endpoints?.Value?.SharedInbox;

    /// <summary>The first embedded legacy public key, if any.</summary>
    [JsonIgnore]
    public PublicKey? MainPublicKey => PublicKey?.Select(r => r.Value).FirstOrDefault(k => k is not null);

    /// <summary>The embedded <c>assertionMethod</c> keys.</summary>
    [JsonIgnore]
    public IEnumerable<Multikey> AssertionKeys =>
        AssertionMethod?.Select(r => r.Value).OfType<Multikey>() ?? [];

    /// <summary>The embedded <c>assertionMethod</c> key with id <paramref name="keyId"/>, if any.</summary>
    public Multikey? FindAssertionKey(string keyId) => AssertionKeys.FirstOrDefault(k => k.Id == keyId);
}

/// <summary>The <c>endpoints</c> of an actor.</summary>
public sealed record Endpoints : JsonLdNode
{
    [JsonPropertyName("sharedInbox")]
    public string? SharedInbox { get; set; }
}

public sealed record Person : Actor
{
    public Person()
        : base("Person")
    {
    }
}

public sealed record Service : Actor
{
    public Service()
        : base("Service")
    {
    }
}

/// <summary>An <c>Application</c> actor; an aggregator's actor is one.</summary>
public sealed record Application : Actor
{
    public Application()
        : base("Application")
    {
    }
}

public sealed record Group : Actor
{
    public Group()
        : base("Group")
    {
    }
}

/// <summary>An <c>Organization</c> actor; a chaton's actor is one, with the <c>chatons:</c> directory fields.</summary>
public sealed record Organization : Actor
{
    public Organization()
        : base("Organization")
    {
    }

    /// <summary>ASSOCIATION, INFORMAL, COOPERATIVE, MICROCOMPANY, COMPANY, INDIVIDUAL or OTHER.</summary>
    [JsonPropertyName("structureType")]
    public string? StructureType { get; set; }

    [JsonPropertyName("membership")]
    public Membership? Membership { get; set; }

    /// <summary>ISO 3166-1 alpha-2 country code.</summary>
    [JsonPropertyName("country")]
    public string? Country { get; set; }

    /// <summary>The chaton's <c>OrderedCollection</c> of <see cref="HostedService"/>.</summary>
    [JsonPropertyName("services")]
    public Reference<JsonLdNode>? Services { get; set; }

    /// <summary>The chaton's <see cref="CharterAttestation"/>.</summary>
    [JsonPropertyName("charterAttestation")]
    public Reference<JsonLdNode>? CharterAttestation { get; set; }

    /// <summary>A URL or a <c>mailto:</c> URI.</summary>
    [JsonPropertyName("contact")]
    public string? Contact { get; set; }

    [JsonPropertyName("legalNotice")]
    public string? LegalNotice { get; set; }
}

/// <summary>A chaton's membership of the collective.</summary>
public sealed record Membership : ExtensibleObject
{
    /// <summary>ACTIVE, IDLE or AWAY.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [JsonPropertyName("since")]
    public DateOnly? Since { get; set; }

    [JsonPropertyName("until")]
    public DateOnly? Until { get; set; }
}
