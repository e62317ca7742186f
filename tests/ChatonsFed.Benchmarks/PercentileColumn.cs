using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ChatonsFed.Benchmarks;

/// <summary>
/// A percentile of the measurements, for the ones BenchmarkDotNet does not predefine (it has P0, P25, P50, P67, P80,
/// P85, P90, P95 and P100, not P99). With one invocation per iteration, each measurement is one operation.
/// </summary>
public sealed class PercentileColumn(int percentile) : IColumn
{
    public string Id => "P" + percentile.ToString(CultureInfo.InvariantCulture);

    public string ColumnName => Id;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Statistics;

    public int PriorityInCategory => percentile;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Time;

    public string Legend => $"Percentile {percentile}: {percentile} % of the measurements are not slower";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var statistics = summary[benchmarkCase]?.ResultStatistics;
        if (statistics is null)
        {
            return "NA";
        }

        var nanoseconds = statistics.Percentiles.Percentile(percentile);
        return nanoseconds switch
        {
            < 1_000 => nanoseconds.ToString("N1", CultureInfo.InvariantCulture) + " ns",
            < 1_000_000 => (nanoseconds / 1_000).ToString("N2", CultureInfo.InvariantCulture) + " μs",
            _ => (nanoseconds / 1_000_000).ToString("N2", CultureInfo.InvariantCulture) + " ms",
        };
    }

    public override string ToString() => ColumnName;
}
