using System.Globalization;

namespace ChatonsFed.Aggregator.Observatory;

/// <summary>
/// Uptime over the last 7 and 30 days (today included), from a target's daily aggregates: the share of checks that
/// were up (a ratio from 0 to 1), the number of checks over 30 days, and the median and 95th percentile response times
/// over 30 days, each the upper bound of the histogram bucket it falls in.
/// </summary>
public sealed record Uptime(double? Days7, double? Days30, int Checks30, int? P50Ms, int? P95Ms)
{
    /// <summary>The upper bounds of the response-time buckets, in ms; one more bucket holds the slower answers.</summary>
    public static readonly int[] BucketBounds = [100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10000];

    /// <summary>The bucket of <paramref name="responseMs"/>.</summary>
    public static int Bucket(int responseMs)
    {
        var index = Array.FindIndex(BucketBounds, bound => responseMs <= bound);
        return index < 0 ? BucketBounds.Length : index;
    }

    /// <summary>The key of a day, <c>yyyy-MM-dd</c> (UTC).</summary>
    public static string DayOf(DateTimeOffset moment) => moment.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The first day kept when today is the day of <paramref name="now"/>: <see cref="ObservatorySettings.DaysKept"/> days, today included.</summary>
    public static string FirstKept(DateTimeOffset now) => DayOf(now.AddDays(1 - ObservatorySettings.DaysKept));

    public static Uptime From(IEnumerable<ObservationDayRecord> days, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(days);
        var from7 = DayOf(now.AddDays(-6));
        var from30 = DayOf(now.AddDays(-29));
        int checks7 = 0, up7 = 0, checks30 = 0, up30 = 0;
        var histogram = new long[BucketBounds.Length + 1];
        foreach (var day in days)
        {
            if (string.CompareOrdinal(day.Day, from30) < 0)
            {
                continue;
            }

            checks30 += day.Checks;
            up30 += day.Up;
            for (var i = 0; i < histogram.Length && i < day.Histogram.Length; i++)
            {
                histogram[i] += day.Histogram[i];
            }

            if (string.CompareOrdinal(day.Day, from7) >= 0)
            {
                checks7 += day.Checks;
                up7 += day.Up;
            }
        }

        return new Uptime(
            checks7 == 0 ? null : Math.Round((double)up7 / checks7, 4),
            checks30 == 0 ? null : Math.Round((double)up30 / checks30, 4),
            checks30,
            Percentile(histogram, 0.50),
            Percentile(histogram, 0.95));
    }

    private static int? Percentile(long[] histogram, double quantile)
    {
        var total = histogram.Sum();
        if (total == 0)
        {
            return null;
        }

        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i < histogram.Length; i++)
        {
            seen += histogram[i];
            if (seen >= rank)
            {
                return i < BucketBounds.Length ? BucketBounds[i] : BucketBounds[^1] + 1;
            }
        }

        return BucketBounds[^1] + 1;
    }
}
