namespace ChatonsFed.Directory.Node;

/// <summary>The values ChatonsInfos allows for where a hosted service runs (<c>host.server.type</c>, <c>host.provider.type</c>).</summary>
public static class HostingTypes
{
    /// <summary>The kinds of machine: NANO, PHYSICAL, VIRTUAL, SHARED, CLOUD.</summary>
    public static IReadOnlyList<string> ServerTypes { get; } = ["NANO", "PHYSICAL", "VIRTUAL", "SHARED", "CLOUD"];

    /// <summary>Where the machine is: HOME, HOSTEDBAY, HOSTEDSERVER, OUTSOURCED.</summary>
    public static IReadOnlyList<string> ProviderTypes { get; } = ["HOME", "HOSTEDBAY", "HOSTEDSERVER", "OUTSOURCED"];
}
