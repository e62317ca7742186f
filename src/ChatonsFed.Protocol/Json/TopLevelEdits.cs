using System.Text.Json.Nodes;

namespace ChatonsFed.Protocol.Json;

/// <summary>
/// Changes applied to the members of the outermost object while canonicalizing it, so a proof can hash
/// "the document without proof" or "the proof without proofValue" without copying the document.
/// </summary>
internal readonly struct TopLevelEdits
{
    public TopLevelEdits(string? omit, string? alsoOmit = null, string? overrideName = null, JsonNode? overrideValue = null)
    {
        Omit = omit;
        AlsoOmit = alsoOmit;
        OverrideName = overrideName;
        OverrideValue = overrideValue;
    }

    public string? Omit { get; }

    public string? AlsoOmit { get; }

    /// <summary>A member written with <see cref="OverrideValue"/> instead of its own value, added when absent.</summary>
    public string? OverrideName { get; }

    public JsonNode? OverrideValue { get; }

    public bool Omits(string name) =>
        string.Equals(name, Omit, StringComparison.Ordinal) || string.Equals(name, AlsoOmit, StringComparison.Ordinal);
}
