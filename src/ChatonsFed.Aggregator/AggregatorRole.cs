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
    public bool IsEnabled(IConfiguration configuration) =>
        configuration.GetValue<bool>($"{NodeOptions.Section}:{AggregatorOptions.Section}:{nameof(AggregatorOptions.Enabled)}");

    public void AddServices(IServiceCollection services, IConfiguration configuration, DataFolder folder) => services.AddAggregator(folder);

    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapAggregatorActor();
        app.MapAggregatorInbox();
        app.MapAggregatorNews();
        app.MapDirectoryApi();
        app.MapDirectoryAdmin();
        if (app.Configuration.GetValue($"{NodeOptions.Section}:{AggregatorOptions.Section}:{nameof(AggregatorOptions.Website)}:{nameof(AggregatorWebsiteOptions.Enabled)}", true))
        {
            app.MapWebsite();
        }
    }
}
