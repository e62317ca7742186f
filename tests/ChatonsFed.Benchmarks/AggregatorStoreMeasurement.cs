using System.Diagnostics;
using System.Globalization;
using System.Text;
using ChatonsFed.Aggregator.Storage;
using ChatonsFed.Aggregator.Verification;
using ChatonsFed.Directory.Node;
using ChatonsFed.Protocol.Keys;

namespace ChatonsFed.Benchmarks;

/// <summary>
/// Fills a directory store with real signed documents — chatons with a fresh Ed25519 key each, five services, an
/// attestation and the services collection — and reports the file's size, how long each step took, how long the store
/// takes to open again (index rebuilt from the file), and the latency of single searches measured one by one.
/// Run: <c>dotnet run -c Release --project tests/ChatonsFed.Benchmarks -- aggregator-store [count]</c>.
/// </summary>
internal static class AggregatorStoreMeasurement
{
    public static void Run(string[] args)
    {
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
        var folder = Path.Combine(Path.GetTempPath(), "chatonsfed-store-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "directory.db");
        try
        {
            Measure(count, path);
        }
        finally
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }

    private static void Measure(int count, string path)
    {
        using var rsa = RsaKeyPair.Generate();
        var rsaPem = rsa.PublicKey.ToPem();
        var verifier = new ChatonVerifier();
        var listings = SyntheticChatons.Listings(count);
        long verbatim = 0;
        var sign = new Stopwatch();
        var verify = new Stopwatch();
        var apply = new Stopwatch();
        using (var store = DirectoryStore.Open(path, TimeProvider.System))
        {
            foreach (var listing in listings)
            {
                sign.Start();
                var set = Signed(listing, rsaPem);
                sign.Stop();
                verbatim += set.Actor.Utf8Json.Length + set.Services.Sum(s => s.Utf8Json.Length) + set.Attestation!.Utf8Json.Length + set.ServicesCollection!.Utf8Json.Length;

                verify.Start();
                var verification = verifier.Verify(set);
                verify.Stop();
                if (verification.Rejections.Count > 0)
                {
                    throw new InvalidOperationException("a synthetic chaton does not verify: " + verification.Rejections[0]);
                }

                apply.Start();
                store.Apply(verification);
                apply.Stop();
            }

            store.Checkpoint();
        }

        var size = new FileInfo(path).Length + (File.Exists(path[..^3] + "-log.db") ? new FileInfo(path[..^3] + "-log.db").Length : 0);
        var open = Stopwatch.StartNew();
        using var reopened = DirectoryStore.Open(path, TimeProvider.System);
        open.Stop();

        var queries = SyntheticChatons.CategoryNearQueries(20_000, seed: 11);
        foreach (var query in queries.Take(2_000))
        {
            reopened.Search(query);
        }

        var latencies = new double[queries.Length];
        for (var i = 0; i < queries.Length; i++)
        {
            var started = Stopwatch.GetTimestamp();
            reopened.Search(queries[i]);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        }

        Array.Sort(latencies);
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"chatons: {reopened.Count} (5 services, an attestation and the services collection each)");
        report.AppendLine(CultureInfo.InvariantCulture, $"verbatim signed documents: {verbatim / 1048576.0:F1} MiB ({verbatim / count / 1024.0:F1} KiB a chaton)");
        report.AppendLine(CultureInfo.InvariantCulture, $"LiteDB file after checkpoint: {size / 1048576.0:F1} MiB ({size / count / 1024.0:F1} KiB a chaton)");
        report.AppendLine(CultureInfo.InvariantCulture, $"sign: {sign.Elapsed.TotalSeconds:F1} s, verify: {verify.Elapsed.TotalSeconds:F1} s ({verify.Elapsed.TotalMilliseconds / count:F2} ms a chaton), apply: {apply.Elapsed.TotalSeconds:F1} s ({apply.Elapsed.TotalMilliseconds / count:F2} ms a chaton)");
        report.AppendLine(CultureInfo.InvariantCulture, $"open (read the file, rebuild the index): {open.Elapsed.TotalMilliseconds:F0} ms");
        report.AppendLine(CultureInfo.InvariantCulture, $"single searches (category within 50 km, by distance), {latencies.Length} measured one by one: p50 {Percentile(latencies, 50):F1} µs, p95 {Percentile(latencies, 95):F1} µs, p99 {Percentile(latencies, 99):F1} µs, max {latencies[^1]:F1} µs");
        Console.Write(report);
    }

    /// <summary>
    /// The store's part of a rebuild alone, without the network: <c>count</c> verified chatons written as the crawler
    /// writes them (prepared on two threads, applied in batches of <c>batch</c>), into a rebuild file put in place at the end.
    /// Run: <c>dotnet run -c Release --project tests/ChatonsFed.Benchmarks -- aggregator-apply [count] [batch]</c>.
    /// </summary>
    public static void RunApply(string[] args)
    {
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
        var batch = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100;
        var folder = Path.Combine(Path.GetTempPath(), "chatonsfed-apply-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(folder);
        try
        {
            using var rsa = RsaKeyPair.Generate();
            var verifier = new ChatonVerifier();
            var sets = SyntheticChatons.Listings(count).Select(l => Signed(l, rsa.PublicKey.ToPem())).ToList();
            using var store = DirectoryStore.Open(Path.Combine(folder, "directory.db"), TimeProvider.System);
            for (var round = 0; round < 6; round++)
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var verify = Stopwatch.StartNew();
                var verifications = new ChatonVerification[sets.Count];
                Parallel.For(0, sets.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i => verifications[i] = verifier.Verify(sets[i]));
                verify.Stop();
                var verifyCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
                var begin = Stopwatch.StartNew();
                store.BeginRebuild();
                begin.Stop();
                var prepare = Stopwatch.StartNew();
                Parallel.ForEach(verifications, new ParallelOptions { MaxDegreeOfParallelism = 2 }, store.Prepare);
                prepare.Stop();
                var apply = Stopwatch.StartNew();
                foreach (var chunk in verifications.Chunk(batch))
                {
                    store.ApplyAll(chunk);
                }

                apply.Stop();
                var end = Stopwatch.StartNew();
                store.EndRebuild();
                end.Stop();
                cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"verify {verify.Elapsed.TotalMilliseconds:F0} ms ({verifyCpu.TotalMilliseconds:F0} ms CPU), begin {begin.Elapsed.TotalMilliseconds:F0} ms, prepare {prepare.Elapsed.TotalMilliseconds:F0} ms, apply {apply.Elapsed.TotalMilliseconds:F0} ms, end {end.Elapsed.TotalMilliseconds:F0} ms; {cpu.TotalMilliseconds:F0} ms CPU in all"));
            }
        }
        finally
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The signed documents of <paramref name="count"/> synthetic chatons, as a node serves them.</summary>
    internal static List<ChatonDocumentSet> SignedSets(int count)
    {
        using var rsa = RsaKeyPair.Generate();
        return [.. SyntheticChatons.Listings(count).Select(l => Signed(l, rsa.PublicKey.ToPem()))];
    }

    private static double Percentile(double[] sorted, double percentile) => sorted[(int)Math.Ceiling(percentile / 100 * sorted.Length) - 1];

    /// <summary>The documents a node publishing <paramref name="listing"/> serves, signed with a fresh key.</summary>
    private static ChatonDocumentSet Signed(Aggregator.Listing.ChatonListing listing, string rsaPem)
    {
        using var key = Ed25519KeyPair.Generate();
        var actorUri = new Uri(listing.ActorId);
        var node = new NodeDocuments(new NodeAddress(new Uri(actorUri.GetLeftPart(UriPartial.Authority) + "/"), listing.PreferredUsername!), key, rsaPem, TimeProvider.System);
        var updated = listing.ActorUpdated!.Value;
        var profile = new ChatonProfile
        {
            Name = listing.Name,
            Summary = listing.Summary,
            Website = new Uri(actorUri.GetLeftPart(UriPartial.Authority) + "/site"),
            StructureType = WireNames.Parse<StructureType>(listing.StructureType),
            Membership = new Membership(WireNames.Parse<MembershipStatus>(listing.MembershipStatus), new DateOnly(2020, 1, 1), null),
            Country = listing.Country,
            Location = new GeoLocation(listing.Location!.Name, listing.Location.Latitude, listing.Location.Longitude),
            Contact = "mailto:contact@" + actorUri.Host,
            Published = updated.AddDays(-100),
            Updated = updated,
        };
        var services = listing.Services.Select((s, i) => new HostedServiceEntry
        {
            Slug = "s" + i.ToString(CultureInfo.InvariantCulture),
            Name = s.Name,
            Summary = s.Summary,
            Url = new Uri($"https://s{i}.{actorUri.Host}/"),
            Category = s.Category!,
            Software = s.SoftwareName is null ? null : new ServiceSoftwareInfo(s.SoftwareName, "1.2.3", "AGPL-3.0-or-later", new Uri("https://source.example/" + Uri.EscapeDataString(s.SoftwareName))),
            Registration = WireNames.Parse<Registration>(s.Registration),
            Capacity = WireNames.Parse<Capacity>(s.Capacity),
            Status = ServiceStatus.Ok,
            Hosting = new ServiceHostingInfo("VIRTUAL", "HOSTEDSERVER", "FR"),
            Published = s.Updated!.Value.AddDays(-30),
            Updated = s.Updated.Value,
        }).ToList();
        var met = listing.Attestation!.Met.ToHashSet(StringComparer.Ordinal);
        var charter = new CharterDeclaration
        {
            Charter = new CharterReference(new Uri("https://chatons.org/fr/charte"), "2016-v1", "sha256-" + Convert.ToBase64String(new byte[32])),
            Criteria = [.. CharterCriteriaCatalog.LoadDefault().Criteria.Select(c => new CriterionAnswer(c.Id, met.Contains(c.Id)))],
            Published = updated.AddDays(-100),
            Updated = updated,
        };
        return new ChatonDocumentSet(Received(node.SignActor(profile)))
        {
            Services = [.. services.Select(s => Received(node.SignService(s)))],
            Attestation = Received(node.SignAttestation(charter, profile.Name)),
            ServicesCollection = Received(node.SignServices(services)),
            ListedServiceIds = [.. services.Select(s => node.Address.ServiceId(s.Slug).AbsoluteUri)],
        };
    }

    private static ReceivedDocument Received(System.Text.Json.Nodes.JsonObject document) => new(Encoding.UTF8.GetBytes(document.ToJsonString()));
}
