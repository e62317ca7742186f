using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatonsFed.Hosting.Admin;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Hosting.Endpoints;
using ChatonsFed.Hosting.Inbox;
using ChatonsFed.Hosting.Operations;
using ChatonsFed.Hosting.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatonsFed.Hosting;

/// <summary>
/// Starts the host of a data folder, in-process (used by <c>chatonsfed serve</c>, tests and demos): one web
/// application that plays every role given to <see cref="StartAsync"/> that the folder's settings enable.
/// </summary>
public static class NodeHost
{
    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <summary>
    /// Builds and starts the host; returns once it listens. Settings come from DIR/appsettings.json and
    /// <c>CHATONSFED__…</c> environment variables; bad settings fail here with <see cref="OptionsValidationException"/>.
    /// The host holds the folder's lock for its whole life: a folder another process (or host) holds fails with
    /// <see cref="DataFolderInUseException"/>, a damaged store with <see cref="DamagedStoreException"/>.
    /// </summary>
    public static async Task<RunningNode> StartAsync(string dataFolder, string? urls, IReadOnlyList<IHostRole> roles, CancellationToken cancellationToken, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var folder = new DataFolder(dataFolder);
        // Fails early, with the fix, when the folder holds no settings file.
        _ = folder.LoadConfiguration();
        var writer = folder.Lock(DataFolderLock.ServeHolder);
        WebApplication? app = null;
        try
        {
            app = Build(folder, urls ?? DefaultUrls, roles, time ?? TimeProvider.System);
            // Opened now, so that a damaged store stops the start with its own message, before anything listens.
            _ = app.Services.GetRequiredService<DataStore>();
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            writer.Dispose();
            throw;
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var address = new Uri(addresses.First());
        var running = new RunningNode(app, folder, LoopbackOf(address), writer);
        writer.Describe(running.Address);
        await running.WriteAdminRunFileAsync(cancellationToken);
        return running;
    }

    private static WebApplication Build(DataFolder folder, string urls, IReadOnlyList<IHostRole> roles, TimeProvider time)
    {
        // The slim builder reads DIR/appsettings.json (the content root) then the environment variables. Settings are
        // read once (IOptions, not IOptionsMonitor), so the file is not watched: no watcher thread, no inotify handle.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = folder.Path,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        var configuration = builder.Configuration;

        // A node that cannot start (a bad setting, a damaged key file, a port in use) says why in one line, from the
        // command line; the host's own "Hosting failed to start" log would add a stack trace. The host logs nothing
        // else of use here: the background services log their own failures.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        // ASP.NET Core's request logs (Information) are below the default level; while that category can log at all, the
        // host still starts an Activity and a log scope for every request to correlate them. Off unless the settings
        // name a level for it (or for one of its parent categories).
        if (!LogLevelSet(configuration.GetSection("Logging:LogLevel").GetChildren(), HostingDiagnostics))
        {
            builder.Logging.AddFilter(HostingDiagnostics, LogLevel.None);
        }

        builder.WebHost.UseUrls(urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // A backstop: endpoints refuse large bodies themselves, with a reason, at the configured limit.
            kestrel.Limits.MaxRequestBodySize = 64L * 1024 * 1024;
        });

        var services = builder.Services;
        services.AddSingleton(time);
        services.AddSingleton<IValidateOptions<NodeOptions>, NodeOptionsValidator>();
        services.AddOptions<NodeOptions>().BindConfiguration(NodeOptions.Section).ValidateOnStart();
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<NodeOptions>>().Value;
            return folder.OpenStore(options);
        });
        services.AddSingleton<AdminTokens>();
        services.AddSingleton<AdminFailureTracker>();
        services.AddSingleton<LogThrottle>();
        services.AddSingleton<InboxLimits>();
        services.AddFederation();
        services.AddHostHealth();
        services.AddTelemetry(configuration);
        var enabled = roles.Where(role => role.IsEnabled(configuration)).ToList();
        foreach (var role in enabled)
        {
            role.AddServices(services, configuration, folder);
        }

        // The admin API's bearer token is the only scheme its policy accepts, and the owner's page names its cookie in its
        // own: each protected endpoint authenticates with the scheme of its policy, when it is routed to. There is no
        // default scheme, so a public request (an actor fetched by a server that signs its GETs in an Authorization
        // header, say) runs no authentication handler at all. AddAuthentication() would also add data protection with a
        // hosted service that loads (or creates) an XML key ring at every start: only the authentication core and the
        // encoders are registered here, and the owner's web page adds its cookie scheme with a key ring in the data
        // folder, loaded on its first use (AdminPageSession).
        services.AddAuthenticationCore(_ => { });
        services.AddWebEncoders();
        new AuthenticationBuilder(services).AddScheme<AuthenticationSchemeOptions, AdminTokenHandler>(AdminTokenHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(AdminApi.Policy, policy => policy.AddAuthenticationSchemes(AdminTokenHandler.SchemeName).RequireAuthenticatedUser());
        services.AddAdminPageSession(folder);
        services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            // X-Forwarded-For from a known proxy gives the real client: the inbox limits, failed sign-ins and logs go by it.
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            foreach (var proxy in configuration.GetSection($"{NodeOptions.Section}:{nameof(NodeOptions.KnownProxies)}").GetChildren())
            {
                if (IPAddress.TryParse(proxy.Value, out var address))
                {
                    forwarded.KnownProxies.Add(address);
                }
            }

            // With no proxy named, only a proxy on the same machine is believed. (Both lists empty would make ASP.NET
            // take X-Forwarded-* from any client, who could then have a request signed for another server's URL
            // verify here.)
            if (forwarded.KnownProxies.Count == 0)
            {
                forwarded.KnownProxies.Add(IPAddress.Loopback);
                forwarded.KnownProxies.Add(IPAddress.IPv6Loopback);
            }
        });
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.MaxDepth = 32);
        // A body or parameter an endpoint cannot read is answered by BadRequests, with the reason.
        services.Configure<RouteHandlerOptions>(routing => routing.ThrowOnBadRequest = true);

        var app = builder.Build();
        app.Use(BadRequests.AnswerAsync);
        app.Use(AdminGuard.RefuseProxiedAsync);
        app.UseForwardedHeaders();
        app.Use(AdminGuard.LimitFailuresAsync);
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHostHealth();
        app.MapTelemetry();
        foreach (var role in enabled)
        {
            role.Map(app);
        }

        return app;
    }

    private const string HostingDiagnostics = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>Whether <paramref name="levels"/> (Logging:LogLevel) name <paramref name="category"/> or a category it belongs to (Default aside).</summary>
    private static bool LogLevelSet(IEnumerable<IConfigurationSection> levels, string category) =>
        levels.Any(level => category == level.Key || category.StartsWith(level.Key + ".", StringComparison.Ordinal));

    private static Uri LoopbackOf(Uri address)
    {
        var host = address.Host;
        var wildcard = host is "0.0.0.0" or "[::]" or "::" or "+" or "*" or "localhost";
        return wildcard ? new UriBuilder(address) { Host = "127.0.0.1" }.Uri : address;
    }
}

/// <summary>A started host: its address, its services, and how to stop it.</summary>
public sealed class RunningNode : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DataFolder _folder;
    private readonly DataFolderLock _writer;

    internal RunningNode(WebApplication app, DataFolder folder, Uri address, DataFolderLock writer)
    {
        _app = app;
        _folder = folder;
        _writer = writer;
        Address = address;
    }

    /// <summary>The address the host listens on (loopback form when it listens on every interface).</summary>
    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    public NodeOptions Options => _app.Services.GetRequiredService<IOptions<NodeOptions>>().Value;

    /// <summary>The admin token valid for this run only (also in DIR/run/admin.json).</summary>
    public string RunToken => _app.Services.GetRequiredService<AdminTokens>().RunToken;

    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    internal async Task WriteAdminRunFileAsync(CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(_folder.RunFolder);
        var path = _folder.AdminRunFile;
        File.Delete(path);
        var content = new JsonObject { ["url"] = Address.AbsoluteUri.TrimEnd('/'), ["token"] = RunToken, ["pid"] = Environment.ProcessId }
            .ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        HostKeys.WritePrivate(path, content);
        await Task.CompletedTask.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync();
        }
        finally
        {
            try
            {
                File.Delete(_folder.AdminRunFile);
            }
            catch (IOException)
            {
                // Stale run files are harmless: the command line checks that the node answers before using one.
            }

            try
            {
                await _app.DisposeAsync();
            }
            finally
            {
                // Last: the stores are closed.
                _writer.Dispose();
            }
        }
    }
}
