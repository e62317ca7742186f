using System.Diagnostics.Metrics;
using ChatonsFed.Federation.Delivery;

namespace ChatonsFed.Aggregator.Observatory;

/// <summary>
/// The observatory's instruments in the <c>ChatonsFed</c> meter: the checks done (tagged <c>state</c>), the checks that
/// were not up (tagged <c>reason</c>: timeout, connection refused, http 503, address refused…), and how long each
/// check took.
/// </summary>
internal static class ObservatoryMetrics
{
    private static readonly Meter Meter = new(DeliveryMetrics.MeterName);

    private static readonly Counter<long> Checks = Meter.CreateCounter<long>("chatonsfed.observatory.checks", "{check}", "Targets checked by the service observatory, by state");

    private static readonly Counter<long> Failures = Meter.CreateCounter<long>("chatonsfed.observatory.failures", "{check}", "Checks of the service observatory that were not up, by reason");

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("chatonsfed.observatory.check.duration", "s", "How long one check of the service observatory took");

    public static void Record(ProbeResult result, TimeSpan elapsed)
    {
        Checks.Add(1, new KeyValuePair<string, object?>("state", result.State));
        if (result.State != ObservedState.Up)
        {
            // Reasons are a short vocabulary (a few words, or "http" and a status): the tag keeps few values.
            Failures.Add(1, new KeyValuePair<string, object?>("reason", result.Reason ?? "unknown"));
        }

        Duration.Record(elapsed.TotalSeconds);
    }
}
