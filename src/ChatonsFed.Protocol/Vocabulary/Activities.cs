using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace ChatonsFed.Protocol.Vocabulary;

/// <summary>An ActivityStreams activity: who did what to which object.</summary>
public record Activity : AsObject
{
    public Activity()
    {
    }

    private protected Activity(string type)
        : base(type)
    {
    }

    [JsonPropertyName("actor")]
    public OneOrMany<Reference<JsonLdNode>>? Actor { get; set; }

    [JsonPropertyName("object")]
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "object is the ActivityStreams property name.")]
    public OneOrMany<Reference<JsonLdNode>>? Object { get; set; }

    [JsonPropertyName("target")]
    public OneOrMany<Reference<JsonLdNode>>? Target { get; set; }

    [JsonPropertyName("origin")]
    public OneOrMany<Reference<JsonLdNode>>? Origin { get; set; }

    [JsonPropertyName("result")]
    public OneOrMany<Reference<JsonLdNode>>? Result { get; set; }

    [JsonPropertyName("instrument")]
    public OneOrMany<Reference<JsonLdNode>>? Instrument { get; set; }

    /// <summary>The id of the (first) actor.</summary>
    [JsonIgnore]
    public string? ActorId => Actor?.First?.Id;

    /// <summary>The id of the (first) object, embedded or not.</summary>
    [JsonIgnore]
    public string? ObjectId => Object?.First?.Id;

    /// <summary>The (first) object when it is embedded.</summary>
    [JsonIgnore]
    public JsonLdNode? EmbeddedObject => Object?.First?.Value;
}

public sealed record Create : Activity
{
    public Create()
        : base("Create")
    {
    }
}

public sealed record Update : Activity
{
    public Update()
        : base("Update")
    {
    }
}

public sealed record Delete : Activity
{
    public Delete()
        : base("Delete")
    {
    }
}

public sealed record Follow : Activity
{
    public Follow()
        : base("Follow")
    {
    }
}

public sealed record Accept : Activity
{
    public Accept()
        : base("Accept")
    {
    }
}

public sealed record Reject : Activity
{
    public Reject()
        : base("Reject")
    {
    }
}

public sealed record Undo : Activity
{
    public Undo()
        : base("Undo")
    {
    }
}

public sealed record Announce : Activity
{
    public Announce()
        : base("Announce")
    {
    }
}

[SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "Like is the ActivityStreams type name.")]
public sealed record Like : Activity
{
    public Like()
        : base("Like")
    {
    }
}

public sealed record Add : Activity
{
    public Add()
        : base("Add")
    {
    }
}

public sealed record Remove : Activity
{
    public Remove()
        : base("Remove")
    {
    }
}

public sealed record Block : Activity
{
    public Block()
        : base("Block")
    {
    }
}

public sealed record Move : Activity
{
    public Move()
        : base("Move")
    {
    }
}

public sealed record Flag : Activity
{
    public Flag()
        : base("Flag")
    {
    }
}
