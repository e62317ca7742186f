using System.Diagnostics;
using System.Globalization;
using ChatonsFed.Aggregator.Aggregation;
using ChatonsFed.Hosting;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Node.Hosting;
using ChatonsFed.TestFleet;

namespace ChatonsFed.Benchmarks;

/// <summary>
/// Times <c>chatonsfed directory rebuild</c> of a fleet of signed synthetic chatons served on loopback (each with its
/// actor, five services, an attestation and the services collection, all signed): the aggregator's data folder is made
/// as <c>chatonsfed init --aggregator</c> makes it, with every chaton's actor URL as a seed, and the directory is
/// emptied and rebuilt from the network several times in a row.
/// Run: <c>dotnet run -c Release --project tests/ChatonsFed.Benchmarks -- aggregator-rebuild [count] [rounds]</c>.
/// </summary>
internal static class AggregatorRebuildMeasurement
{
    public static async Task RunAsync(string[] args)
    {
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        var folder = Path.Combine(Path.GetTempPath(), "chatonsfed-rebuild-" + Guid.NewGuid().ToString("N"));
        await using var fleet = await FleetServer.StartAsync(count, new FleetOptions { Following = FollowingGraph.None });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fleet of {count} chatons signed and serving in {fleet.StartupTime.TotalSeconds:0.00} s at {fleet.Origin}"));
        var options = new NodeOptions { PublicUrl = "http://127.0.0.1:9", Handle = "directory", AllowPrivateNetwork = true, ServeChaton = false };
        options.Aggregator.Enabled = true;
        options.Aggregator.FollowChatons = false;
        options.Aggregator.Discovery.MaxChatons = count;
        options.Aggregator.Discovery.Concurrency = 64;
        options.Aggregator.Discovery.PerHostConcurrency = 64;
        foreach (var chaton in fleet.Chatons)
        {
            options.Aggregator.Seeds.Add(chaton.ActorId.AbsoluteUri);
        }

        NodeDataFolder.Initialize(folder, options, "Annuaire", TimeProvider.System);
        try
        {
            await using var directory = OfflineDirectory.Open(new DataFolder(folder), TimeProvider.System);
            var times = new List<double>();
            for (var round = 0; round <= rounds; round++)
            {
                fleet.ResetRequestCounts();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var allocated = GC.GetTotalAllocatedBytes();
                var collections = GC.CollectionCount(0);
                var clock = Stopwatch.StartNew();
                var summary = await directory.Service.RebuildAsync(null, CancellationToken.None);
                clock.Stop();
                cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
                allocated = GC.GetTotalAllocatedBytes() - allocated;
                collections = GC.CollectionCount(0) - collections;
                var label = round == 0 ? "warm-up" : $"round {round}";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{label}: {summary.Listed} listed of {summary.Found} in {clock.Elapsed.TotalSeconds:0.000} s ({fleet.TotalRequests} requests, {cpu.TotalSeconds:0.00} s of CPU for the aggregator and the fleet; {allocated / 1048576.0:0} MiB allocated, {collections} collections)"));
                if (round > 0)
                {
                    times.Add(clock.Elapsed.TotalSeconds);
                }
            }

            var file = new FileInfo(new DataFolder(folder).DirectoryFile(options));
            var log = new FileInfo(Path.Combine(file.DirectoryName!, Path.GetFileNameWithoutExtension(file.Name) + "-log" + file.Extension));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"store after the last rebuild: {file.Length / 1048576.0:0.0} MiB ({(log.Exists ? log.Length : 0) / 1048576.0:0.0} MiB of log beside it)"));
            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rebuild of {count}: median {times[times.Count / 2]:0.000} s, best {times[0]:0.000} s, worst {times[^1]:0.000} s"));

            // A poll right after: every document answers 304.
            var poll = Stopwatch.StartNew();
            fleet.ResetRequestCounts();
            var refreshed = await directory.Service.RefreshAsync(null, CancellationToken.None);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"poll of {refreshed.Found} unchanged chatons (conditional requests): {poll.Elapsed.TotalSeconds:0.000} s ({fleet.TotalRequests} requests)"));
        }
        finally
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }
}
