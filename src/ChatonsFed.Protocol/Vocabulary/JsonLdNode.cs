using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatonsFed.Protocol.Vocabulary;

/// <summary>A node of a compact JSON-LD document: <c>@context</c>, <c>id</c>, <c>type</c> and whatever else it carries.</summary>
public abstract record JsonLdNode : ExtensibleObject, IJsonOnDeserializing
{
    private OneOrMany<string>? type;

    /// <summary>The node's <c>@context</c> as received or as set (see <see cref="ChatonsContext"/>); usually only on a top-level document.</summary>
    [JsonPropertyName("@context")]
    [JsonPropertyOrder(-30)]
    public JsonElement? Context { get; set; }

    [JsonPropertyName("id")]
    [JsonPropertyOrder(-20)]
    public string? Id { get; set; }

    /// <summary>The node's types; a string on the wire when there is one, an array otherwise.</summary>
    [JsonPropertyName("type")]
    [JsonPropertyOrder(-10)]
    public OneOrMany<string>? Type { get => type; set => type = value; }

    /// <summary>Whether <paramref name="typeName"/> is one of this node's types, wherever it stands.</summary>
    public bool IsOfType(string typeName) => Type is not null && Type.Any(t => VocabularyTypes.SameTypeName(t, typeName));

    // A type set by a constructor is a default for new objects; a received document says its own type, or none.
    void IJsonOnDeserializing.OnDeserializing() => type = null;

    public virtual bool Equals(JsonLdNode? other) =>
        base.Equals(other)
        && Id == other.Id
        && Equals(Type, other.Type)
        && ContextEquals(Context, other.Context);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Id, Type);

    private static bool ContextEquals(JsonElement? left, JsonElement? right) =>
        left is null ? right is null : right is not null && JsonElement.DeepEquals(left.Value, right.Value);
}
