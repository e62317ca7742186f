using System.Diagnostics.Metrics;

namespace ChatonsFed.Federation.Delivery;

/// <summary>
/// The delivery counters of the <c>ChatonsFed</c> meter: jobs queued, deliveries sent (a 2xx answer) and failed
/// (an attempt that did not deliver, tagged <c>outcome</c>: <c>retry</c>, <c>failed</c> or <c>gone</c>).
/// </summary>
public static class DeliveryMetrics
{
    /// <summary>The name of every meter of ChatonsFed; an exporter listens to it.</summary>
    public const string MeterName = "ChatonsFed";

    private static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> Queued = Meter.CreateCounter<long>("chatonsfed.deliveries.queued", "{delivery}", "Delivery jobs queued, one per target inbox");

    internal static readonly Counter<long> Sent = Meter.CreateCounter<long>("chatonsfed.deliveries.sent", "{delivery}", "Deliveries a remote inbox accepted (2xx)");

    internal static readonly Counter<long> Failed = Meter.CreateCounter<long>("chatonsfed.deliveries.failed", "{delivery}", "Delivery attempts that did not deliver, by outcome (retry, failed, gone)");
}
