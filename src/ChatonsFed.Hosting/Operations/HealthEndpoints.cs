using System.Text.Json;
using ChatonsFed.Hosting.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatonsFed.Hosting.Operations;

/// <summary>
/// <c>GET /healthz</c> (liveness: "ok" whenever the process serves requests) and <c>GET /readyz</c> (readiness: every
/// check tagged <see cref="ReadyTag"/> passes: the store is open, the keys are loaded, and each role's own checks, such
/// as the aggregator's first crawl). Neither is cached nor needs the admin token, and neither reads the store.
/// </summary>
public static class HealthEndpoints
{
    public const string LivenessPath = "/healthz";
    public const string ReadinessPath = "/readyz";

    /// <summary>The tag of the checks that <c>/readyz</c> runs; a role adds its own checks with it.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Registers the health checks of what every role needs: the store and the keys.</summary>
    public static IHealthChecksBuilder AddHostHealth(this IServiceCollection services) =>
        services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("store", tags: [ReadyTag])
            .AddCheck<KeysHealthCheck>("keys", tags: [ReadyTag]);

    /// <summary>Maps <c>/healthz</c> and <c>/readyz</c>.</summary>
    public static IEndpointRouteBuilder MapHostHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks(LivenessPath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteLiveness });
        app.MapHealthChecks(ReadinessPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteReadiness });
        return app;
    }

    private static Task WriteLiveness(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("ok");
    }

    /// <summary>
    /// The readiness answer: <c>{"status":"ready"}</c>, or <c>{"status":"not ready","checks":{"NAME":"why"}}</c>
    /// naming each check that does not pass (the status code, 200 or 503, is set by the health check middleware).
    /// </summary>
    private static async Task WriteReadiness(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", report.Status == HealthStatus.Healthy ? "ready" : "not ready");
        var failing = report.Entries.Where(entry => entry.Value.Status != HealthStatus.Healthy).OrderBy(entry => entry.Key, StringComparer.Ordinal).ToList();
        if (failing.Count > 0)
        {
            json.WriteStartObject("checks");
            foreach (var (name, entry) in failing)
            {
                json.WriteString(name, entry.Description ?? entry.Status.ToString());
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }
}

/// <summary>Ready once the LiteDB file is open (opening it is done once, by the first service that needs it).</summary>
internal sealed class StoreHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Resolves<DataStore>(services) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("the store could not be opened"));

    /// <summary>Whether the singleton <typeparamref name="T"/> exists or can be made; its own failure is not shown to the caller.</summary>
    internal static bool Resolves<T>(IServiceProvider services)
        where T : class
    {
        try
        {
            return services.GetService<T>() is not null;
        }
#pragma warning disable CA1031 // Any failure to build the service means "not ready"; the service logs or throws its own error where it is used.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }
}

/// <summary>Ready once the data folder's keys are loaded (the signing identity exists).</summary>
internal sealed class KeysHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(StoreHealthCheck.Resolves<ISigningIdentity>(services) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("the keys are not loaded"));
}
