using ChatonsFed.Aggregator;
using ChatonsFed.Hosting;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Node;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChatonsFed.Cli;

/// <summary>The roles a data folder can play, and the host that plays those its settings enable.</summary>
public static class HostRoles
{
    /// <summary>
    /// The chaton node and the aggregator; each decides from the settings whether it is enabled. The aggregator is made
    /// (and its assembly loaded) only when its setting enables it.
    /// </summary>
    public static IReadOnlyList<IHostRole> All { get; } = [new NodeRole(), new WhenEnabled(AggregatorRole.EnabledKey, () => new AggregatorRole())];

    /// <inheritdoc cref="NodeHost.StartAsync"/>
    public static Task<RunningNode> StartAsync(string dataFolder, string? urls, CancellationToken cancellationToken, TimeProvider? time = null) =>
        NodeHost.StartAsync(dataFolder, urls, All, cancellationToken, time);

    /// <summary>A role enabled by the setting <paramref name="key"/>, made on first use once that setting is true.</summary>
    private sealed class WhenEnabled(string key, Func<IHostRole> make) : IHostRole
    {
        private readonly Lazy<IHostRole> _role = new(make);

        public bool IsEnabled(IConfiguration configuration) => SettingFlag.Get(configuration, key, absent: false) && _role.Value.IsEnabled(configuration);

        public void AddServices(IServiceCollection services, IConfiguration configuration, DataFolder folder) => _role.Value.AddServices(services, configuration, folder);

        public void Map(WebApplication app) => _role.Value.Map(app);
    }
}
