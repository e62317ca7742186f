using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Proofs;
using ChatonsFed.TestFleet;
using NSec.Cryptography;

namespace ChatonsFed.Benchmarks;

/// <summary>
/// The .NET half of <c>fleet.sh</c>: writes a signed fleet out as static files (some objects tampered with after
/// signing), measures raw Ed25519 verifies on both cores, and checks what an aggregator made of the fleet against the
/// manifest of tampered objects.
/// </summary>
internal static class FleetFiles
{
    /// <summary>Signed objects of one chaton, in the order tampering goes through them: actor, collection, five services, attestation.</summary>
    private const int SignedPerChaton = 8;

    /// <summary>
    /// <c>fleet-generate DIR COUNT BASE_URL [TAMPERED]</c>: the documents of COUNT chatons signed for BASE_URL
    /// (<c>http://127.0.0.1:PORT</c>) under DIR/www, each URL path P in the file P.json; TAMPERED signed objects (1 % by
    /// default) changed by one character after signing, one per chaton at most, spread over the chatons and over the
    /// kinds of object. The manifest beside: <c>urls.txt</c> (every path the aggregator reads, for wrk),
    /// <c>seeds.txt</c> (actor URLs), <c>tampered.tsv</c> (kind, id, actor), <c>chatons.tsv</c> (actor, attestation,
    /// service ids) and <c>fleet.txt</c> (counts and sizes, KEY=VALUE).
    /// </summary>
    public static async Task<int> GenerateAsync(string[] args)
    {
        if (args.Length is < 4 or > 5 || !int.TryParse(args[2], CultureInfo.InvariantCulture, out var count) || count < 1
            || !Uri.TryCreate(args[3], UriKind.Absolute, out var origin) || origin.Scheme != Uri.UriSchemeHttp)
        {
            await Console.Error.WriteLineAsync("usage: fleet-generate DIR COUNT http://HOST:PORT [TAMPERED]");
            return 2;
        }

        var signedObjects = count * SignedPerChaton;
        var tampered = signedObjects / 100;
        if (args.Length == 5 && (!int.TryParse(args[4], CultureInfo.InvariantCulture, out tampered) || tampered < 0 || tampered > count))
        {
            await Console.Error.WriteLineAsync($"fleet-generate: TAMPERED must be a number from 0 to the number of chatons ({count})");
            return 2;
        }

        var folder = Path.GetFullPath(args[1]);
        var www = Path.Combine(folder, "www");
        System.IO.Directory.CreateDirectory(www);
        var clock = Stopwatch.StartNew();
        await using var fleet = await FleetServer.GenerateAsync(origin, count, new FleetOptions { Following = FollowingGraph.None });
        var signedTime = clock.Elapsed;

        // One tampered object per chaton at most, chatons evenly spaced, kinds in turn.
        var tamperedRows = new List<string>();
        var kinds = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var t = 0; t < tampered; t++)
        {
            var chaton = fleet[(int)((long)t * count / tampered)];
            var slot = t % SignedPerChaton;
            var (url, kind) = slot switch
            {
                0 => (chaton.ActorId, "actor"),
                1 => (chaton.ServicesUrl, "services-collection"),
                SignedPerChaton - 1 => (chaton.AttestationUrl, "attestation"),
                _ => (chaton.ServiceUrl(chaton.Services[slot - 2].Slug), "service"),
            };
            var actor = chaton.Json(chaton.ActorId);
            var changed = chaton.Tamper(url, ChangeOneCharacter);
            if (ProofVerifier.Verify(changed, url == chaton.ActorId ? changed : actor).IsValid)
            {
                throw new InvalidOperationException($"{url} still verifies after it was changed");
            }

            tamperedRows.Add($"{kind}\t{url.AbsoluteUri}\t{chaton.ActorId.AbsoluteUri}");
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
        }

        // Every document the fleet serves, at the path its URL names (decoded, as nginx maps it), dated as served.
        var documents = fleet.Documents.Where(d => d.StatusCode == 200 && !d.Path.Contains('?', StringComparison.Ordinal)).ToList();
        foreach (var document in documents)
        {
            var file = Path.Combine(www, Uri.UnescapeDataString(document.Path).TrimStart('/') + ".json");
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllBytesAsync(file, document.Body.ToArray());
            File.SetLastWriteTimeUtc(file, document.LastModified.UtcDateTime);
        }

        // What the aggregator reads of each chaton: its signed objects, then its following collection (discovery).
        var urls = new List<string>();
        var chatonRows = new List<string>();
        var signedSizes = new List<int>();
        long followingBytes = 0;
        foreach (var chaton in fleet.Chatons)
        {
            var signed = new List<Uri> { chaton.ActorId, chaton.ServicesUrl };
            signed.AddRange(chaton.Services.Select(s => chaton.ServiceUrl(s.Slug)));
            signed.Add(chaton.AttestationUrl);
            signedSizes.AddRange(signed.Select(u => chaton.Document(u).Body.Length));
            followingBytes += chaton.Document(chaton.FollowingUrl).Body.Length;
            urls.AddRange(signed.Append(chaton.FollowingUrl).Select(u => u.PathAndQuery));
            chatonRows.Add($"{chaton.ActorId.AbsoluteUri}\t{chaton.AttestationUrl.AbsoluteUri}\t{string.Join(",", chaton.Services.Select(s => chaton.ServiceUrl(s.Slug).AbsoluteUri))}");
        }

        await File.WriteAllLinesAsync(Path.Combine(folder, "urls.txt"), urls);
        await File.WriteAllLinesAsync(Path.Combine(folder, "seeds.txt"), fleet.Chatons.Select(c => c.ActorId.AbsoluteUri));
        await File.WriteAllLinesAsync(Path.Combine(folder, "tampered.tsv"), tamperedRows);
        await File.WriteAllLinesAsync(Path.Combine(folder, "chatons.tsv"), chatonRows);
        var getsPerChaton = SignedPerChaton + 1;
        var actorsTampered = kinds.GetValueOrDefault("actor");
        var facts = new Dictionary<string, object>
        {
            ["chatons"] = count,
            ["origin"] = fleet.Origin.GetLeftPart(UriPartial.Authority),
            ["signed_objects"] = signedSizes.Count,
            ["tampered"] = tampered,
            ["tampered_kinds"] = string.Join(",", kinds.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}:{k.Value}")),
            ["files"] = documents.Count,
            ["gets_per_chaton"] = getsPerChaton,
            // The aggregator reads every document of a chaton before verifying them as a set; it reads the following
            // collection of a listed chaton only.
            ["rebuild_gets"] = (count * getsPerChaton) - actorsTampered,
            ["expected_listed"] = count - actorsTampered,
            ["signed_bytes_mean"] = Math.Round(signedSizes.Average(), 0),
            ["signed_bytes_min"] = signedSizes.Min(),
            ["signed_bytes_max"] = signedSizes.Max(),
            ["chaton_bytes_mean"] = Math.Round((signedSizes.Sum(s => (long)s) + followingBytes) / (double)count, 0),
            ["sign_seconds"] = Math.Round(signedTime.TotalSeconds, 2),
        };
        await File.WriteAllLinesAsync(Path.Combine(folder, "fleet.txt"), facts.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Key}={f.Value}")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fleet of {count} chatons for {fleet.Origin.GetLeftPart(UriPartial.Authority)}: {documents.Count} files, {signedSizes.Count} signed objects of {signedSizes.Average() / 1024:0.00} KiB on average, {tampered} tampered ({facts["tampered_kinds"]}), in {clock.Elapsed.TotalSeconds:0.0} s"));
        return 0;
    }

    /// <summary>
    /// <c>fleet-verify-floor SIGNATURES [THREADS]</c>: raw NSec Ed25519 verifies of 64-byte messages (what a proof
    /// signs), SIGNATURES of them split over THREADS (2) threads, after a warm-up; prints
    /// <c>verify_floor signatures=… threads=… seconds=…</c>.
    /// </summary>
    public static int VerifyFloor(string[] args)
    {
        if (args.Length is < 2 or > 3 || !int.TryParse(args[1], CultureInfo.InvariantCulture, out var signatures) || signatures < 1)
        {
            Console.Error.WriteLine("usage: fleet-verify-floor SIGNATURES [THREADS]");
            return 2;
        }

        var threads = args.Length == 3 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2;
        const int Keys = 256;
        var algorithm = SignatureAlgorithm.Ed25519;
        var publicKeys = new PublicKey[Keys];
        var messages = new byte[Keys][];
        var signed = new byte[Keys][];
        for (var i = 0; i < Keys; i++)
        {
            using var key = Key.Create(algorithm);
            messages[i] = RandomNumberGenerator.GetBytes(64);
            signed[i] = algorithm.Sign(key, messages[i]);
            publicKeys[i] = key.PublicKey;
        }

        int Run(int n)
        {
            var valid = 0;
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                var mine = 0;
                for (var i = t; i < n; i += threads)
                {
                    var k = i % Keys;
                    if (algorithm.Verify(publicKeys[k], messages[k], signed[k]))
                    {
                        mine++;
                    }
                }

                Interlocked.Add(ref valid, mine);
            });
            return valid;
        }

        Run(Math.Min(signatures, 4000));
        var clock = Stopwatch.StartNew();
        var verified = Run(signatures);
        clock.Stop();
        if (verified != signatures)
        {
            Console.Error.WriteLine($"fleet-verify-floor: {signatures - verified} signatures did not verify");
            return 1;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"verify_floor signatures={signatures} threads={threads} seconds={clock.Elapsed.TotalSeconds:0.0000} per_verify_us={clock.Elapsed.TotalMicroseconds * threads / signatures:0.0}"));
        return 0;
    }

    /// <summary>
    /// <c>fleet-check DIR AGGREGATOR_URL</c>: the aggregator's refusals (its public diagnostics) must name exactly the
    /// tampered objects of DIR/tampered.tsv, each for its proof; and its directory must list every chaton whose actor
    /// was not tampered with, with every service but a tampered one, and its attestation unless that was tampered with.
    /// Prints one line and exits 0 when so; otherwise each difference, and exits 1.
    /// </summary>
    public static async Task<int> CheckAsync(string[] args)
    {
        if (args.Length != 3 || !Uri.TryCreate(args[2].TrimEnd('/') + "/", UriKind.Absolute, out var aggregator))
        {
            await Console.Error.WriteLineAsync("usage: fleet-check DIR AGGREGATOR_URL");
            return 2;
        }

        var folder = args[1];
        var tampered = (await File.ReadAllLinesAsync(Path.Combine(folder, "tampered.tsv"))).Where(l => l.Length > 0)
            .Select(l => l.Split('\t')).ToDictionary(f => f[1], f => (Kind: f[0], Actor: f[2]), StringComparer.Ordinal);
        var chatons = (await File.ReadAllLinesAsync(Path.Combine(folder, "chatons.tsv"))).Where(l => l.Length > 0)
            .Select(l => l.Split('\t')).Select(f => (Actor: f[0], Attestation: f[1], Services: f[2].Split(','))).ToList();
        var problems = new List<string>();
        using var http = new HttpClient { BaseAddress = aggregator, Timeout = TimeSpan.FromMinutes(2) };

        // Refusals: one per tampered object, for its proof, and no other.
        using var diagnostics = JsonDocument.Parse(await http.GetByteArrayAsync("api/directory/diagnostics?limit=1000"));
        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var rejection in diagnostics.RootElement.GetProperty("rejections").EnumerateArray())
        {
            var id = rejection.TryGetProperty("documentId", out var documentId) ? documentId.GetString() ?? "(no id)" : "(no id)";
            refused[id] = rejection.GetProperty("reason").GetString()!;
        }

        foreach (var (id, reason) in refused.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            if (!tampered.ContainsKey(id))
            {
                problems.Add($"refused but not tampered with: {id} ({reason})");
            }
            else if (reason != "InvalidProof")
            {
                problems.Add($"refused for {reason}, not for its proof: {id}");
            }
        }

        problems.AddRange(tampered.Keys.Where(id => !refused.ContainsKey(id)).Order(StringComparer.Ordinal).Select(id => $"tampered with but not refused: {id} ({tampered[id].Kind})"));

        // The directory: what each chaton's entry holds.
        var listed = 0;
        var gate = new Lock();
        await Parallel.ForEachAsync(chatons, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (chaton, ct) =>
        {
            using var response = await http.GetAsync("api/directory/entry?id=" + Uri.EscapeDataString(chaton.Actor), ct);
            var expectListed = !tampered.ContainsKey(chaton.Actor);
            var found = new List<string>();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                using var entry = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(ct));
                var services = entry.RootElement.GetProperty("services").EnumerateArray().Select(s => s.GetProperty("id").GetString()!).ToHashSet(StringComparer.Ordinal);
                var expected = chaton.Services.Where(s => !tampered.ContainsKey(s)).ToHashSet(StringComparer.Ordinal);
                if (!expectListed)
                {
                    found.Add($"listed although its actor was tampered with: {chaton.Actor}");
                }

                if (!services.SetEquals(expected))
                {
                    found.Add($"{chaton.Actor} lists services [{string.Join(", ", services.Order(StringComparer.Ordinal))}], expected [{string.Join(", ", expected.Order(StringComparer.Ordinal))}]");
                }

                var hasCharter = entry.RootElement.TryGetProperty("charter", out var charter) && charter.ValueKind == JsonValueKind.Object;
                if (hasCharter == tampered.ContainsKey(chaton.Attestation))
                {
                    found.Add(hasCharter ? $"{chaton.Actor} is listed with its tampered attestation" : $"{chaton.Actor} is listed without its attestation");
                }

                lock (gate)
                {
                    listed++;
                }
            }
            else if (response.StatusCode != HttpStatusCode.NotFound)
            {
                found.Add($"{chaton.Actor}: the entry answered {(int)response.StatusCode}");
            }
            else if (expectListed)
            {
                found.Add($"not listed: {chaton.Actor}");
            }

            lock (gate)
            {
                problems.AddRange(found);
            }
        });

        var kinds = string.Join(", ", tampered.Values.GroupBy(t => t.Kind).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"));
        if (problems.Count == 0)
        {
            Console.WriteLine($"check: ok: {refused.Count} objects refused = the {tampered.Count} tampered ({kinds}); {listed} of {chatons.Count} chatons listed, each with exactly its untampered services and attestation");
        }
        else
        {
            Console.WriteLine($"check: FAILED: {problems.Count} differences ({refused.Count} refused, {tampered.Count} tampered: {kinds}; {listed} listed of {chatons.Count})");
            foreach (var problem in problems.Order(StringComparer.Ordinal).Take(40))
            {
                Console.WriteLine("  " + problem);
            }
        }

        Console.WriteLine($"RESULT ok={(problems.Count == 0 ? "yes" : "no")} refused={refused.Count} tampered={tampered.Count} listed={listed} chatons={chatons.Count} differences={problems.Count}");
        return problems.Count == 0 ? 0 : 1;
    }

    /// <summary>One character of a signed value changed: the last letter of the <c>name</c>, or the digit of <c>totalItems</c>.</summary>
    private static void ChangeOneCharacter(JsonObject document)
    {
        if (document["name"] is JsonValue name && name.TryGetValue<string>(out var text) && text.Length > 0)
        {
            var last = text[^1];
            document["name"] = text[..^1] + (last == 'x' ? 'y' : 'x');
        }
        else if (document["totalItems"] is JsonValue total && total.TryGetValue<int>(out var items))
        {
            document["totalItems"] = items == 9 ? 8 : items + 1;
        }
        else
        {
            throw new InvalidOperationException("no name nor totalItems to change in " + document["id"]);
        }
    }
}
