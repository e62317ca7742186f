namespace ChatonsFed.Protocol.Json;

/// <summary>
/// Changes applied to the members of the outermost object while canonicalizing it, so a proof can hash
/// "the document without proof" or "the proof without proofValue" without copying the document.
/// </summary>
internal readonly struct TopLevelEdits
{
    /// <param name="omit">A member left out.</param>
    /// <param name="alsoOmit">Another member left out.</param>
    /// <param name="overrideName">A member written with <paramref name="overrideCanonicalValue"/> instead of its own value, added when absent.</param>
    /// <param name="overrideCanonicalValue">The canonical form of the replacement value.</param>
    public TopLevelEdits(string? omit, string? alsoOmit = null, string? overrideName = null, ArraySegment<byte> overrideCanonicalValue = default)
    {
        Omit = omit;
        AlsoOmit = alsoOmit;
        OverrideName = overrideName;
        OverrideCanonicalValue = overrideCanonicalValue;
    }

    public string? Omit { get; }

    public string? AlsoOmit { get; }

    public string? OverrideName { get; }

    public ArraySegment<byte> OverrideCanonicalValue { get; }

    public bool Omits(string name) =>
        string.Equals(name, Omit, StringComparison.Ordinal) || string.Equals(name, AlsoOmit, StringComparison.Ordinal);
}
