using System.Text.Json.Serialization;

namespace ChatonsFed.Protocol.Vocabulary;

/// <summary>An ActivityStreams <c>Object</c>, and the properties every object type shares.</summary>
public record AsObject : JsonLdNode
{
    public AsObject()
    {
    }

    private protected AsObject(string type)
    {
        Type = new OneOrMany<string>(type);
    }

    private protected AsObject(params string[] types)
    {
        Type = new OneOrMany<string>(types, writeAsArray: types.Length != 1);
    }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("nameMap")]
    public LanguageMap? NameMap { get; set; }

    [JsonPropertyName("summary")]
    public string? Summary { get; set; }

    [JsonPropertyName("summaryMap")]
    public LanguageMap? SummaryMap { get; set; }

    [JsonPropertyName("content")]
    public string? Content { get; set; }

    [JsonPropertyName("contentMap")]
    public LanguageMap? ContentMap { get; set; }

    [JsonPropertyName("mediaType")]
    public string? MediaType { get; set; }

    /// <summary>Links to the object's representations: URL strings or <see cref="Link"/> objects.</summary>
    [JsonPropertyName("url")]
    public OneOrMany<Reference<JsonLdNode>>? Url { get; set; }

    [JsonPropertyName("attributedTo")]
    public OneOrMany<Reference<JsonLdNode>>? AttributedTo { get; set; }

    [JsonPropertyName("attachment")]
    public OneOrMany<Reference<JsonLdNode>>? Attachment { get; set; }

    [JsonPropertyName("tag")]
    public OneOrMany<Reference<JsonLdNode>>? Tag { get; set; }

    [JsonPropertyName("icon")]
    public OneOrMany<Reference<JsonLdNode>>? Icon { get; set; }

    [JsonPropertyName("image")]
    public OneOrMany<Reference<JsonLdNode>>? Image { get; set; }

    [JsonPropertyName("location")]
    public OneOrMany<Reference<JsonLdNode>>? Location { get; set; }

    [JsonPropertyName("inReplyTo")]
    public OneOrMany<Reference<JsonLdNode>>? InReplyTo { get; set; }

    [JsonPropertyName("replies")]
    public Reference<JsonLdNode>? Replies { get; set; }

    [JsonPropertyName("generator")]
    public OneOrMany<Reference<JsonLdNode>>? Generator { get; set; }

    [JsonPropertyName("audience")]
    public OneOrMany<Reference<JsonLdNode>>? Audience { get; set; }

    [JsonPropertyName("to")]
    public OneOrMany<Reference<JsonLdNode>>? To { get; set; }

    [JsonPropertyName("cc")]
    public OneOrMany<Reference<JsonLdNode>>? Cc { get; set; }

    [JsonPropertyName("bto")]
    public OneOrMany<Reference<JsonLdNode>>? Bto { get; set; }

    [JsonPropertyName("bcc")]
    public OneOrMany<Reference<JsonLdNode>>? Bcc { get; set; }

    [JsonPropertyName("published")]
    public Timestamp? Published { get; set; }

    [JsonPropertyName("updated")]
    public Timestamp? Updated { get; set; }

    [JsonPropertyName("startTime")]
    public Timestamp? StartTime { get; set; }

    [JsonPropertyName("endTime")]
    public Timestamp? EndTime { get; set; }

    [JsonPropertyName("duration")]
    public string? Duration { get; set; }

    /// <summary>Mastodon's content warning flag (<c>as:sensitive</c>).</summary>
    [JsonPropertyName("sensitive")]
    public bool? Sensitive { get; set; }

    /// <summary>FEP-8b32 object integrity proofs.</summary>
    [JsonPropertyName("proof")]
    [JsonPropertyOrder(100)]
    public OneOrMany<DataIntegrityProof>? Proof { get; set; }

    /// <summary>The id of the first <c>attributedTo</c> entry: the owner of a hosted service or attestation.</summary>
    [JsonIgnore]
    public string? AttributedToId => AttributedTo?.First?.Id;

    /// <summary>The embedded nodes of <c>attachment</c> of type <typeparamref name="TNode"/>.</summary>
    public IEnumerable<TNode> AttachmentsOf<TNode>()
        where TNode : JsonLdNode =>
        Attachment?.Select(r => r.Value).OfType<TNode>() ?? [];
}

/// <summary>An ActivityStreams <c>Link</c>: a reference with a media type, relation and name.</summary>
public record Link : JsonLdNode
{
    public Link()
    {
        Type = new OneOrMany<string>("Link");
    }

    private protected Link(string type)
    {
        Type = new OneOrMany<string>(type);
    }

    [JsonPropertyName("href")]
    public string? Href { get; set; }

    [JsonPropertyName("rel")]
    public OneOrMany<string>? Rel { get; set; }

    [JsonPropertyName("mediaType")]
    public string? MediaType { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("nameMap")]
    public LanguageMap? NameMap { get; set; }

    [JsonPropertyName("hreflang")]
    public string? Hreflang { get; set; }

    [JsonPropertyName("height")]
    public int? Height { get; set; }

    [JsonPropertyName("width")]
    public int? Width { get; set; }
}

/// <summary>A <c>Mention</c> of an actor in a post's <c>tag</c>.</summary>
public sealed record Mention : Link
{
    public Mention()
        : base("Mention")
    {
    }
}

/// <summary>A <c>Hashtag</c> (<c>as:Hashtag</c>, as Mastodon uses it) in a post's <c>tag</c>.</summary>
public sealed record Hashtag : Link
{
    public Hashtag()
        : base("Hashtag")
    {
    }
}

/// <summary>A <c>Document</c>; also the media attachments of Mastodon posts.</summary>
public record Document : AsObject
{
    public Document()
        : base("Document")
    {
    }

    private protected Document(params string[] types)
        : base(types)
    {
    }

    [JsonPropertyName("width")]
    public int? Width { get; set; }

    [JsonPropertyName("height")]
    public int? Height { get; set; }
}

public sealed record Image : Document
{
    public Image()
        : base("Image")
    {
    }
}

public sealed record Note : AsObject
{
    public Note()
        : base("Note")
    {
    }
}

/// <summary>A <c>Place</c>: a chaton's location, with coordinates in decimal degrees.</summary>
public sealed record Place : AsObject
{
    public Place()
        : base("Place")
    {
    }

    [JsonPropertyName("latitude")]
    public double? Latitude { get; set; }

    [JsonPropertyName("longitude")]
    public double? Longitude { get; set; }

    [JsonPropertyName("altitude")]
    public double? Altitude { get; set; }

    [JsonPropertyName("accuracy")]
    public double? Accuracy { get; set; }

    [JsonPropertyName("radius")]
    public double? Radius { get; set; }

    [JsonPropertyName("units")]
    public string? Units { get; set; }
}

/// <summary>What stands where a deleted object was.</summary>
public sealed record Tombstone : AsObject
{
    public Tombstone()
        : base("Tombstone")
    {
    }

    [JsonPropertyName("formerType")]
    public OneOrMany<string>? FormerType { get; set; }

    [JsonPropertyName("deleted")]
    public Timestamp? Deleted { get; set; }
}

/// <summary>A schema.org <c>PropertyValue</c>: one of the profile fields Mastodon shows under an account's bio.</summary>
public sealed record PropertyValue : AsObject
{
    public PropertyValue()
        : base("PropertyValue")
    {
    }

    /// <summary>The field's value; HTML for links, as Mastodon writes it.</summary>
    [JsonPropertyName("value")]
    public string? Value { get; set; }
}
