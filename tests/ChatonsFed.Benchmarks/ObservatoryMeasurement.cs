using System.Diagnostics;
using System.Globalization;
using System.Text;
using ChatonsFed.Aggregator.Listing;
using ChatonsFed.Aggregator.Observatory;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Hosting.Storage;
using ChatonsFed.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ChatonsFed.Benchmarks;

/// <summary>
/// One round of the service observatory over <c>count</c> service URLs spread over loopback hosts (127.0.0.2 and on,
/// <c>hosts</c> of them), each answering a 24 KiB HTML page that loads a tracker and a few other hosts, with the
/// default politeness (8 checks at a time, one per host): wall time, managed memory before, at its peak and after,
/// the process's resident memory before and at its peak, and what the round stored.
/// Run: <c>dotnet run -c Release --project tests/ChatonsFed.Benchmarks -- observatory [count] [hosts] [rounds]</c>.
/// </summary>
internal static class ObservatoryMeasurement
{
    public static async Task RunAsync(string[] args)
    {
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
        var hostCount = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20;
        var rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 2;
        var page = Page();
        var servers = new List<LoopbackServer>();
        var folder = Path.Combine(Path.GetTempPath(), "chatonsfed-observatory-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(folder);
        try
        {
            for (var h = 0; h < hostCount; h++)
            {
                servers.Add(await LoopbackServer.StartAsync(context =>
                {
                    context.Response.ContentType = "text/html; charset=utf-8";
                    return context.Response.Body.WriteAsync(page, context.RequestAborted).AsTask();
                }, host: $"127.0.0.{2 + h}"));
            }

            // Ten services per chaton, the services of one chaton on one host, as on a chaton's own server.
            var listings = Enumerable.Range(0, (count + 9) / 10).Select(c => new ChatonListing
            {
                ActorId = $"https://chaton{c}.example/actor",
                Name = "Chaton " + c,
                Website = $"https://www.chaton{c}.example/",
                Services = [.. Enumerable.Range(0, Math.Min(10, count - (c * 10))).Select(s => new ServiceListing
                {
                    Id = $"s{s}",
                    Url = $"{servers[c % hostCount].Url}/c{c}/s{s}",
                })],
            }).ToList();
            var targets = ObservationTarget.Of(listings).Where(t => t.Host.StartsWith("127.", StringComparison.Ordinal)).ToList();

            using var store = DataStore.Create(Path.Combine(folder, "chatonsfed.db"));
            await using var services = Services(folder, store);
            var observatory = services.GetRequiredService<ServiceObservatory>();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{targets.Count} targets on {hostCount} loopback hosts, a page of {page.Length / 1024} KiB each; {ObservatorySettings.Concurrency} checks at a time, one per host"));
            for (var round = 1; round <= rounds; round++)
            {
                await MeasureAsync(round, observatory, targets, store, folder);
            }
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }

            System.IO.Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task MeasureAsync(int round, ServiceObservatory observatory, IReadOnlyList<ObservationTarget> targets, DataStore store, string folder)
    {
        var managedBefore = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var rssBefore = process.WorkingSet64;
        long managedPeak = managedBefore;
        long rssPeak = rssBefore;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                managedPeak = Math.Max(managedPeak, GC.GetTotalMemory(false));
                process.Refresh();
                rssPeak = Math.Max(rssPeak, process.WorkingSet64);
                try
                {
                    await Task.Delay(20, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });

        var clock = Stopwatch.StartNew();
        var outcomes = await observatory.RunAsync(targets, CancellationToken.None);
        clock.Stop();
        await stop.CancelAsync();
        await sampler;
        var managedAfter = GC.GetTotalMemory(forceFullCollection: true);
        var up = outcomes.Count(o => o.Observation?.Latest.State == ObservedState.Up);
        var trackers = outcomes.Count(o => o.Observation?.Latest.Trackers.Count > 0);
        store.Checkpoint();
        var size = new FileInfo(Path.Combine(folder, "chatonsfed.db")).Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"round {round}: {outcomes.Count} checked ({up} up, {trackers} with a tracker) in {clock.Elapsed.TotalSeconds:0.00} s; managed {Mib(managedBefore)} MiB before, peak {Mib(managedPeak)} MiB (+{Mib(managedPeak - managedBefore)}), {Mib(managedAfter)} MiB after; RSS {Mib(rssBefore)} MiB before, peak {Mib(rssPeak)} MiB (+{Mib(rssPeak - rssBefore)}); chatonsfed.db {Mib(size)} MiB"));
    }

    private static ServiceProvider Services(string folder, DataStore store) =>
        TestObservatory.Compose(new NodeOptions { PublicUrl = "https://annuaire.example", AllowPrivateNetwork = true }, folder, store, TimeProvider.System);

    /// <summary>A 24 KiB page: a tracker script, a stylesheet and images from other hosts, text.</summary>
    private static byte[] Page()
    {
        var html = new StringBuilder("""
            <!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Service</title>
            <script async src="https://www.google-analytics.com/analytics.js"></script>
            <link rel="stylesheet" href="https://cdn.other.example/style.css"><link rel="icon" href="/favicon.ico">
            </head><body><header><img src="https://images.other.example/logo.png" alt="logo"></header><main>
            """);
        while (html.Length < 24 * 1024)
        {
            html.Append("<p>Un service libre, hébergé par un chaton, pour écrire à plusieurs. <a href=\"/aide\">Aide</a> <img src=\"/i.png\" alt=\"\"></p>\n");
        }

        return Encoding.UTF8.GetBytes(html.Append("</main></body></html>").ToString());
    }

    private static string Mib(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture);
}
