using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatonsFed.Protocol.Vocabulary;

/// <summary>
/// A JSON object of the wire format that keeps the members it does not model, and the known members
/// that were explicitly <c>null</c>, so that a stored document is written back with nothing dropped.
/// </summary>
public abstract record ExtensibleObject
{
    private HashSet<string>? explicitNulls;

    /// <summary>Members this type does not model, kept as received and written back after the known ones.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>Whether the received document gave the member <paramref name="jsonName"/> as an explicit <c>null</c>.</summary>
    public bool HadExplicitNull(string jsonName) => explicitNulls?.Contains(jsonName) == true;

    internal void MarkExplicitNull(string jsonName) => (explicitNulls ??= new HashSet<string>(StringComparer.Ordinal)).Add(jsonName);

    /// <summary>The unmodelled member <paramref name="name"/>, if present.</summary>
    public JsonElement? Extension(string name) =>
        ExtensionData is not null && ExtensionData.TryGetValue(name, out var value) ? value : null;

    public virtual bool Equals(ExtensibleObject? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        return other is not null
            && EqualityContract == other.EqualityContract
            && ExtensionDataEquals(ExtensionData, other.ExtensionData);
    }

    public override int GetHashCode() => HashCode.Combine(EqualityContract, ExtensionData?.Count ?? 0);

    internal static bool ExtensionDataEquals(Dictionary<string, JsonElement>? left, Dictionary<string, JsonElement>? right)
    {
        var leftCount = left?.Count ?? 0;
        var rightCount = right?.Count ?? 0;
        if (leftCount != rightCount)
        {
            return false;
        }

        if (leftCount == 0)
        {
            return true;
        }

        foreach (var (name, value) in left!)
        {
            if (!right!.TryGetValue(name, out var otherValue) || !JsonElement.DeepEquals(value, otherValue))
            {
                return false;
            }
        }

        return true;
    }
}
