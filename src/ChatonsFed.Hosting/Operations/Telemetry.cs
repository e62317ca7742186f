using System.Runtime.CompilerServices;
using ChatonsFed.Federation.Delivery;
using ChatonsFed.Hosting.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace ChatonsFed.Hosting.Operations;

/// <summary>
/// The OpenTelemetry metrics of the host (settings section <c>ChatonsFed:Telemetry</c>): the <c>ChatonsFed</c> meters
/// and ASP.NET Core's HTTP server metrics, scraped at <c>/metrics</c> in the Prometheus text format when
/// <c>Prometheus</c> is true, pushed by OTLP to <c>OtlpEndpoint</c> when it is set. With neither, the OpenTelemetry SDK
/// is not registered at all: the meters cost nothing without a listener.
/// </summary>
public static class Telemetry
{
    public const string Section = "Telemetry";

    /// <summary>The path of the Prometheus scraping endpoint.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>Whether <c>/metrics</c> is served.</summary>
    public static bool PrometheusEnabled(IConfiguration configuration) =>
        SettingFlag.Get(configuration, $"{NodeOptions.Section}:{Section}:Prometheus", absent: false);

    /// <summary>The OTLP collector's address, or null when nothing is pushed.</summary>
    public static Uri? OtlpEndpoint(IConfiguration configuration)
    {
        var value = configuration[$"{NodeOptions.Section}:{Section}:OtlpEndpoint"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new NodeInputException($"ChatonsFed:Telemetry:OtlpEndpoint must be an absolute http(s) URL, not \"{value}\"");
    }

    /// <summary>Registers the OpenTelemetry SDK when the settings ask for an exporter; otherwise nothing.</summary>
    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var prometheus = PrometheusEnabled(configuration);
        var otlp = OtlpEndpoint(configuration);
        if (prometheus || otlp is not null)
        {
            AddSdk(services, prometheus, otlp);
        }

        return services;
    }

    /// <summary>
    /// The SDK's registration, apart so that a host without exporters never loads the OpenTelemetry assemblies (the JIT
    /// loads those a method names when it compiles the method).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddSdk(IServiceCollection services, bool prometheus, Uri? otlp)
    {
        services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(DeliveryMetrics.MeterName).AddAspNetCoreInstrumentation();
            if (prometheus)
            {
                metrics.AddPrometheusExporter();
            }

            if (otlp is not null)
            {
                metrics.AddOtlpExporter(exporter =>
                {
                    exporter.Endpoint = otlp;
                    exporter.Protocol = otlp.Port == 4317 ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
                });
            }
        });
    }

    /// <summary>Maps <c>/metrics</c> when the Prometheus exporter is on (the path is then 404 otherwise).</summary>
    public static WebApplication MapTelemetry(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (PrometheusEnabled(app.Configuration))
        {
            MapPrometheus(app);
        }

        return app;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MapPrometheus(WebApplication app) => app.MapPrometheusScrapingEndpoint(MetricsPath);
}
