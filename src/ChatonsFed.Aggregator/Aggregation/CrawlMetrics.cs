using System.Diagnostics.Metrics;
using ChatonsFed.Aggregator.Crawling;
using ChatonsFed.Federation.Delivery;

namespace ChatonsFed.Aggregator.Aggregation;

/// <summary>
/// The aggregator's instruments in the <c>ChatonsFed</c> meter: how long each rebuild took, and the chatons whose
/// documents a crawl verified (listed) or refused, the latter tagged <c>reason</c>: <c>gone</c> (404/410),
/// <c>unreachable</c> (no usable answer) or <c>unverified</c> (documents received but their signatures, attestation or
/// content refused).
/// </summary>
internal static class CrawlMetrics
{
    private static readonly Meter Meter = new(DeliveryMetrics.MeterName);

    private static readonly Histogram<double> RebuildDuration = Meter.CreateHistogram<double>("chatonsfed.rebuild.duration", "s", "How long a full rebuild of the directory took");

    private static readonly Counter<long> Verified = Meter.CreateCounter<long>("chatonsfed.documents.verified", "{chaton}", "Chatons whose documents a crawl verified and listed");

    private static readonly Counter<long> Refused = Meter.CreateCounter<long>("chatonsfed.documents.refused", "{chaton}", "Chatons whose documents a crawl refused, by reason");

    public static void RecordRebuild(TimeSpan elapsed) => RebuildDuration.Record(elapsed.TotalSeconds);

    /// <summary>The reason tag of a chaton a crawl did not list.</summary>
    public static string RefusalReason(CrawledChaton chaton) => chaton.Check.Status switch
    {
        CheckStatus.Gone => "gone",
        CheckStatus.Failed => "unreachable",
        _ => "unverified",
    };

    public static void RecordVerified() => Verified.Add(1);

    public static void RecordRefused(string reason) => Refused.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
