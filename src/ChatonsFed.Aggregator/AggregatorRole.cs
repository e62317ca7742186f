using ChatonsFed.Aggregator.Aggregation;
using ChatonsFed.Aggregator.Api;
using ChatonsFed.Aggregator.Inbox;
using ChatonsFed.Aggregator.News;
using ChatonsFed.Aggregator.Website;
using ChatonsFed.Hosting;
using ChatonsFed.Hosting.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChatonsFed.Aggregator;

/// <summary>
/// The aggregator role, enabled by <c>ChatonsFed:Aggregator:Enabled</c>: its <c>Application</c> actor and inbox, the
/// crawler and the poller, the directory API, the owner's directory commands and (unless
/// <c>ChatonsFed:Aggregator:Website:Enabled</c> is false) the website.
/// </summary>
public sealed class AggregatorRole : IHostRole
{
    /// <summary>The setting that enables the role (a constant, so that the host can read it without loading this assembly).</summary>
    public const string EnabledKey = $"{NodeOptions.Section}:{AggregatorOptions.Section}:{nameof(AggregatorOptions.Enabled)}";

    public bool IsEnabled(IConfiguration configuration) => SettingFlag.Get(configuration, EnabledKey, absent: false);

    public void AddServices(IServiceCollection services, IConfiguration configuration, DataFolder folder) => services.AddAggregator(folder);

    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapAggregatorActor();
        app.MapAggregatorInbox();
        app.MapAggregatorNews();
        app.MapDirectoryApi();
        app.MapDirectoryAdmin();
        if (SettingFlag.Get(app.Configuration, $"{NodeOptions.Section}:{AggregatorOptions.Section}:{nameof(AggregatorOptions.Website)}:{nameof(AggregatorWebsiteOptions.Enabled)}", absent: true))
        {
            app.MapWebsite();
        }
    }
}
