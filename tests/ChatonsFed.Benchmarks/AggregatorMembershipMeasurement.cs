using System.Diagnostics;
using System.Globalization;
using ChatonsFed.Aggregator.Aggregation;
using ChatonsFed.Aggregator.Trust;
using ChatonsFed.Hosting;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Node.Hosting;
using ChatonsFed.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ChatonsFed.Benchmarks;

/// <summary>
/// What membership adds to a rebuild: chatons on 50 loopback hosts (20 a host, as on multi-tenant nodes), each
/// endorsed by the next five chatons (on other hosts) and the first twenty by two trust roots as well, so that the
/// admitted set grows round after round from the roots; every credential embedded in its issuer's and its subject's
/// collections, a status list per issuer. Two aggregators' data folders, the same seeds, one with the two roots and
/// one without, are rebuilt in turn; then the computation of admission alone is timed, and a poll.
/// Run: <c>dotnet run -c Release --project tests/ChatonsFed.Benchmarks -- aggregator-membership [count] [rounds]</c>.
/// </summary>
internal static class AggregatorMembershipMeasurement
{
    private const int Hosts = 50;
    private const int Endorsements = 5;

    public static async Task RunAsync(string[] args)
    {
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        var started = Stopwatch.StartNew();
        var hosts = new List<MemberHost>();
        try
        {
            for (var i = 0; i < Hosts + 2; i++)
            {
                hosts.Add(await MemberHost.StartAsync(i + 2));
            }

            var chatons = Enumerable.Range(0, count).Select(i => hosts[i % Hosts].Add($"c{i}", $"Chaton {i}", $"/c/{i}")).ToList();
            var roots = new[] { hosts[Hosts].Add("racine1", "Racine 1"), hosts[Hosts + 1].Add("racine2", "Racine 2") };
            for (var i = 0; i < count; i++)
            {
                for (var k = 1; k <= Endorsements; k++)
                {
                    chatons[(i + k) % count].Endorse(chatons[i]);
                }

                if (i < 20)
                {
                    roots[0].Endorse(chatons[i]);
                    roots[1].Endorse(chatons[i]);
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count} chatons on {Hosts} hosts, {count * Endorsements + 40} credentials signed in {started.Elapsed.TotalSeconds:0.00} s"));
            var without = Folder(chatons, []);
            var with = Folder(chatons, [.. roots.Select(r => r.ActorId)]);
            try
            {
                await using var plain = OfflineDirectory.Open(new DataFolder(without), TimeProvider.System);
                await using var members = OfflineDirectory.Open(new DataFolder(with), TimeProvider.System);
                var (plainTimes, memberTimes) = (new List<double>(), new List<double>());
                for (var round = 0; round <= rounds; round++)
                {
                    var a = await TimeAsync(plain, round, "without roots");
                    var b = await TimeAsync(members, round, "with two roots");
                    if (round > 0)
                    {
                        plainTimes.Add(a);
                        memberTimes.Add(b);
                    }
                }

                plainTimes.Sort();
                memberTimes.Sort();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"rebuild of {count}: median {plainTimes[plainTimes.Count / 2]:0.000} s without roots, {memberTimes[memberTimes.Count / 2]:0.000} s with: {memberTimes[memberTimes.Count / 2] - plainTimes[plainTimes.Count / 2]:0.000} s added"));

                var book = members.Services.GetRequiredService<AdmissionBook>();
                var computations = new List<double>();
                AdmissionSnapshot? snapshot = null;
                for (var i = 0; i < 21; i++)
                {
                    var clock = Stopwatch.StartNew();
                    snapshot = book.Recompute();
                    computations.Add(clock.Elapsed.TotalMilliseconds);
                }

                computations.Sort();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"admission computed from {snapshot!.Credentials} credentials and {snapshot.StatusLists} status lists: median {computations[computations.Count / 2]:0.0} ms, worst {computations[^1]:0.0} ms; {snapshot.Count(Protocol.Membership.AdmissionStatus.Admitted)} admitted"));

                for (var i = 0; i < 2; i++)
                {
                    var plainPoll = Stopwatch.StartNew();
                    await plain.Service.RefreshAsync(null, CancellationToken.None);
                    plainPoll.Stop();
                    var poll = Stopwatch.StartNew();
                    await members.Service.RefreshAsync(null, CancellationToken.None);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"poll, nothing changed (conditional requests): {plainPoll.Elapsed.TotalSeconds:0.000} s without roots, {poll.Elapsed.TotalSeconds:0.000} s with"));
                }
            }
            finally
            {
                System.IO.Directory.Delete(without, recursive: true);
                System.IO.Directory.Delete(with, recursive: true);
            }
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    private static async Task<double> TimeAsync(OfflineDirectory directory, int round, string what)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var summary = await directory.Service.RebuildAsync(null, CancellationToken.None);
        clock.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(round == 0 ? "warm-up" : $"round {round}")}, {what}: {summary.Listed} listed of {summary.Found} in {clock.Elapsed.TotalSeconds:0.000} s ({cpu.TotalSeconds:0.00} s of CPU, hosts included)"));
        return clock.Elapsed.TotalSeconds;
    }

    private static string Folder(IReadOnlyList<Member> chatons, IReadOnlyList<string> roots)
    {
        var folder = Path.Combine(Path.GetTempPath(), "chatonsfed-membership-" + Guid.NewGuid().ToString("N"));
        var options = new NodeOptions { PublicUrl = "http://127.0.0.1:9", Handle = "directory", AllowPrivateNetwork = true, ServeChaton = false };
        options.Aggregator.Enabled = true;
        options.Aggregator.FollowChatons = false;
        options.Aggregator.Discovery.MaxChatons = chatons.Count + 10;
        options.Aggregator.Discovery.Concurrency = 64;
        options.Aggregator.Discovery.PerHostConcurrency = 16;
        foreach (var chaton in chatons)
        {
            options.Aggregator.Seeds.Add(chaton.ActorId);
        }

        foreach (var root in roots)
        {
            options.Aggregator.Membership.TrustRoots.Add(root);
        }

        NodeDataFolder.Initialize(folder, options, "Annuaire", TimeProvider.System);
        return folder;
    }
}
