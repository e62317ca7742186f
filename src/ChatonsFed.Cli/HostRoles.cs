using ChatonsFed.Aggregator;
using ChatonsFed.Hosting;
using ChatonsFed.Node;

namespace ChatonsFed.Cli;

/// <summary>The roles a data folder can play, and the host that plays those its settings enable.</summary>
public static class HostRoles
{
    /// <summary>The chaton node and the aggregator; each decides from the settings whether it is enabled.</summary>
    public static IReadOnlyList<IHostRole> All { get; } = [new NodeRole(), new AggregatorRole()];

    /// <inheritdoc cref="NodeHost.StartAsync"/>
    public static Task<RunningNode> StartAsync(string dataFolder, string? urls, CancellationToken cancellationToken, TimeProvider? time = null) =>
        NodeHost.StartAsync(dataFolder, urls, All, cancellationToken, time);
}
