using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace ChatonsFed.Protocol.Vocabulary;

/// <summary>A <c>Collection</c>; also the base of the ordered and paged forms, which share these properties.</summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "Collection is the ActivityStreams type name.")]
public record Collection : AsObject
{
    public Collection()
        : base("Collection")
    {
    }

    private protected Collection(string type)
        : base(type)
    {
    }

    [JsonPropertyName("totalItems")]
    public int? TotalItems { get; set; }

    [JsonPropertyName("items")]
    public OneOrMany<Reference<JsonLdNode>>? Items { get; set; }

    [JsonPropertyName("orderedItems")]
    public OneOrMany<Reference<JsonLdNode>>? OrderedItems { get; set; }

    [JsonPropertyName("first")]
    public Reference<JsonLdNode>? First { get; set; }

    [JsonPropertyName("last")]
    public Reference<JsonLdNode>? Last { get; set; }

    [JsonPropertyName("current")]
    public Reference<JsonLdNode>? Current { get; set; }

    /// <summary>The entries of <c>orderedItems</c> or else <c>items</c>, in order.</summary>
    [JsonIgnore]
    public IReadOnlyList<Reference<JsonLdNode>> AllItems => (IReadOnlyList<Reference<JsonLdNode>>?)OrderedItems ?? Items ?? [];
}

[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "OrderedCollection is the ActivityStreams type name.")]
public record OrderedCollection : Collection
{
    public OrderedCollection()
        : base("OrderedCollection")
    {
    }
}

/// <summary>A page of a collection, with links to its neighbours.</summary>
public record CollectionPage : Collection
{
    public CollectionPage()
        : base("CollectionPage")
    {
    }

    private protected CollectionPage(string type)
        : base(type)
    {
    }

    [JsonPropertyName("partOf")]
    public Reference<JsonLdNode>? PartOf { get; set; }

    [JsonPropertyName("next")]
    public Reference<JsonLdNode>? Next { get; set; }

    [JsonPropertyName("prev")]
    public Reference<JsonLdNode>? Prev { get; set; }
}

public sealed record OrderedCollectionPage : CollectionPage
{
    public OrderedCollectionPage()
        : base("OrderedCollectionPage")
    {
    }

    [JsonPropertyName("startIndex")]
    public int? StartIndex { get; set; }
}
