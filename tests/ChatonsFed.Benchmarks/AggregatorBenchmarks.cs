using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using ChatonsFed.Aggregator.Listing;
using ChatonsFed.Aggregator.Search;
using Perfolizer.Mathematics.OutlierDetection;

namespace ChatonsFed.Benchmarks;

/// <summary>
/// The aggregator's search over 10,000 synthetic chatons (five services each): a category within 50 km of a point,
/// sorted by distance, a different query each call, and a free-text search. The "latency" job
/// measures every call on its own (one invocation per iteration, outliers kept), so its P50/P95/P99 are those of
/// single searches; the default job gives the mean over many calls.
/// </summary>
[Config(typeof(LatencyConfig))]
[MemoryDiagnoser]
public class AggregatorSearchBenchmarks
{
    private const int Chatons = 10_000;

    private DirectoryIndex _index = null!;
    private SearchQuery[] _queries = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _index = new DirectoryIndex();
        _index.Load(SyntheticChatons.Listings(Chatons));
        _queries = SyntheticChatons.CategoryNearQueries(4096);
        var hits = _queries.Sum(q => _index.Search(q).Total);
        Console.WriteLine($"// {Chatons} chatons indexed; {(double)hits / _queries.Length:F1} hits per query on average");
    }

    [Benchmark(Description = "search: one category within 50 km, by distance (10,000 chatons)")]
    public SearchPage CategoryNearSearch() => _index.Search(_queries[_next++ & 4095]);

    [Benchmark(Description = "search: free text \"ecriture\" (10,000 chatons)")]
    public SearchPage TextSearch() => _index.Search(new SearchQuery { Text = "ecriture", Limit = 20 });

    private sealed class LatencyConfig : ManualConfig
    {
        public LatencyConfig()
        {
            AddJob(Job.Default.WithId("mean"));
            AddJob(Job.Default
                .WithId("latency")
                .WithStrategy(RunStrategy.Throughput)
                .WithInvocationCount(1)
                .WithUnrollFactor(1)
                .WithWarmupCount(50)
                .WithIterationCount(2000)
                .WithOutlierMode(OutlierMode.DontRemove));
            AddColumn(StatisticColumn.P50, StatisticColumn.P95, new PercentileColumn(99));
        }
    }
}

/// <summary>Building the search index from 10,000 listings, as a store does when it opens.</summary>
[MemoryDiagnoser]
[Config(typeof(PercentilesConfig))]
public class AggregatorIndexBenchmarks
{
    private ChatonListing[] _listings = null!;

    [GlobalSetup]
    public void Setup() => _listings = SyntheticChatons.Listings(10_000);

    [Benchmark(Description = "index build from 10,000 listings")]
    public DirectoryIndex BuildIndex()
    {
        var index = new DirectoryIndex();
        index.Load(_listings);
        return index;
    }

    private sealed class PercentilesConfig : ManualConfig
    {
        public PercentilesConfig() => AddColumn(StatisticColumn.P50, StatisticColumn.P95);
    }
}
