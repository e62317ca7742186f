using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChatonsFed.Hosting;

/// <summary>
/// One role the host can play (the chaton node, the aggregator). <see cref="NodeHost"/> composes the roles the data
/// folder's settings enable without knowing them: it gives each the shared services (settings, the LiteDB file, the
/// keys' signing, the federation client, the delivery worker, the admin authentication) and lets it add its own.
/// </summary>
public interface IHostRole
{
    /// <summary>Whether the data folder's settings (section <c>ChatonsFed</c>) enable this role.</summary>
    bool IsEnabled(IConfiguration configuration);

    /// <summary>Registers the role's services; called before the host is built.</summary>
    void AddServices(IServiceCollection services, IConfiguration configuration, DataFolder folder);

    /// <summary>Maps the role's endpoints; called after the shared middleware (forwarded headers, admin authentication).</summary>
    void Map(WebApplication app);
}
