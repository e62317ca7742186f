using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ChatonsFed.Cli.Commands;
using ChatonsFed.Directory.Node;
using ChatonsFed.Hosting;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Node.Admin;
using ChatonsFed.Node.Hosting;

namespace ChatonsFed.Cli.Demo;

/// <summary>
/// <c>chatonsfed demo</c>: several chaton nodes and one aggregator following them, each a real data folder made as
/// 'init', 'profile set', 'service add' and 'attestation set' make one, served by the node host on a loopback address of its own (127.0.0.2, 127.0.0.3, …; the aggregator on 127.0.0.1) at free
/// ports; an update on a node is then followed until the aggregator's API shows it. Runs until cancelled.
/// </summary>
internal sealed class DemoFederation : IAsyncDisposable
{
    public const string AggregatorFolder = "directory";

    /// <summary>The line printed once everything runs (tests wait for it).</summary>
    public const string ReadyLine = "The demo is running. Press Ctrl-C to stop it.";

    private static readonly TimeSpan ListingTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The demo aggregator's quorum: endorsements from admitted members on distinct hosts that admit a chaton.</summary>
    private const int TrustQuorum = 2;

    private readonly string _root;
    private readonly bool _keep;
    private readonly TextWriter _output;
    private readonly List<(DemoChaton Chaton, RunningNode Node)> _chatons = [];
    private readonly HttpClient _http = LocalClients.Shared.CreateClient(OutboundHttp.Local);
    private RunningNode? _aggregator;

    private DemoFederation(string root, bool keep, TextWriter output)
    {
        _root = root;
        _keep = keep;
        _output = output;
    }

    /// <summary>Runs the demo in <paramref name="data"/> (kept) or a temporary folder (removed unless <paramref name="keep"/>); returns the exit code.</summary>
    public static async Task<int> RunAsync(DirectoryInfo? data, bool keep, TextWriter output, CancellationToken cancellationToken)
    {
        var root = data?.FullName ?? Path.Combine(Path.GetTempPath(), "chatonsfed-demo-" + Guid.NewGuid().ToString("N")[..12]);
        if (System.IO.Directory.Exists(root) && System.IO.Directory.EnumerateFileSystemEntries(root).Any())
        {
            throw new CliException($"{root} already exists and is not empty; give --data a new or empty folder");
        }

        await using var demo = new DemoFederation(root, keep || data is not null, output);
        try
        {
            await demo.StartAsync(cancellationToken);
            await demo.ShowAnUpdateAsync(cancellationToken);
            await demo.ShowAnEndorsementAsync(cancellationToken);
            await output.WriteLineAsync();
            await output.WriteLineAsync(ReadyLine);
            await output.FlushAsync(cancellationToken);
            await demo.WaitForStopAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C or SIGTERM while starting: stop what runs, like after it.
        }

        await output.WriteLineAsync("Stopping the demo…");
        return 0;
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var chatons = DemoChatons.Create();
        await _output.WriteLineAsync($"ChatonsFed demo: {chatons.Count} chatons and one aggregator on loopback addresses, data in {_root}");
        System.IO.Directory.CreateDirectory(_root);
        var time = TimeProvider.System;
        var seeds = new List<string>();
        var started = new List<(DemoChaton, string Folder, string Url)>();
        foreach (var (chaton, index) in chatons.Select((c, i) => (c, i)))
        {
            // Each chaton on a loopback address of its own: membership counts endorsements by host (ports aside), so
            // chatons sharing 127.0.0.1 could never endorse one another.
            var address = new IPAddress([127, 0, 0, (byte)(2 + index)]);
            var url = $"http://{address}:{FreePort(address)}";
            var folder = Path.Combine(_root, chaton.Handle);
            var options = new NodeOptions { PublicUrl = url, Handle = chaton.Handle, AllowPrivateNetwork = true };
            NodeCommands.Guard(() => NodeDataFolder.Initialize(folder, options, chaton.Name, time));
            QuietLogs(folder);
            await PublishAsync(new DataFolder(folder), chaton, time, cancellationToken);
            seeds.Add($"acct:{chaton.Handle}@{new Uri(url).Authority}");
            started.Add((chaton, folder, url));
        }

        var aggregatorUrl = $"http://127.0.0.1:{FreePort(IPAddress.Loopback)}";
        var aggregatorFolder = Path.Combine(_root, AggregatorFolder);
        var aggregatorOptions = new NodeOptions { PublicUrl = aggregatorUrl, Handle = "directory", AllowPrivateNetwork = true, ServeChaton = false };
        aggregatorOptions.Aggregator.Enabled = true;
        aggregatorOptions.Aggregator.Handle = "directory";
        aggregatorOptions.Aggregator.Name = "Annuaire des CHATONS (démo)";
        // The demo is on loopback addresses, where notes are off by default: on here, so that the directory's news
        // (one digest for the first crawl, then a note per change) shows in its outbox and its Atom feed.
        aggregatorOptions.Aggregator.Notes.Enabled = true;
        foreach (var seed in seeds)
        {
            aggregatorOptions.Aggregator.Seeds.Add(seed);
        }

        // Verifiable membership: the first two chatons are the aggregator's trust roots (one named by its handle, one by its
        // actor URL, as operators may write either), and two endorsements from admitted members admit a chaton.
        aggregatorOptions.Aggregator.Membership.TrustRoots.Add(seeds[0]);
        aggregatorOptions.Aggregator.Membership.TrustRoots.Add(started[1].Url + "/actor");
        aggregatorOptions.Aggregator.Membership.Quorum = TrustQuorum;

        NodeCommands.Guard(() => NodeDataFolder.Initialize(aggregatorFolder, aggregatorOptions, aggregatorOptions.Aggregator.Name, time));
        QuietLogs(aggregatorFolder);

        foreach (var (chaton, folder, url) in started)
        {
            _chatons.Add((chaton, await NodeCommands.GuardAsync(() => HostRoles.StartAsync(folder, url, cancellationToken))));
        }

        // Started last, its first poll (at start) finds every chaton from its seed, lists it and follows it.
        _aggregator = await NodeCommands.GuardAsync(() => HostRoles.StartAsync(aggregatorFolder, aggregatorUrl, cancellationToken));
        await PrintAsync(cancellationToken);
        await WaitUntilListedAndFollowedAsync(cancellationToken);
    }

    /// <summary>The chaton's profile, services and charter declaration, through the library calls the owner's commands use on a stopped node.</summary>
    private static async Task PublishAsync(DataFolder folder, DemoChaton chaton, TimeProvider time, CancellationToken cancellationToken)
    {
        using var node = NodeCommands.Guard(() => folder.OpenOffline(time));
        await NodeCommands.GuardAsync(() => node.Profile.SetAsync(chaton.Profile, cancellationToken));
        foreach (var service in chaton.Services)
        {
            await NodeCommands.GuardAsync(() => node.Services.AddAsync(service, cancellationToken));
        }

        await NodeCommands.GuardAsync(() => node.Attestation.SetAsync(chaton.Attestation, cancellationToken));
    }

    /// <summary>Warnings only: the nodes share the demo's console.</summary>
    private static void QuietLogs(string folder)
    {
        var path = Path.Combine(folder, DataFolder.SettingsFile);
        var settings = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        settings["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Warning" } };
        File.WriteAllText(path, settings.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    private async Task PrintAsync(CancellationToken cancellationToken)
    {
        var aggregator = Aggregator.Options.BaseUrl;
        await _output.WriteLineAsync();
        foreach (var (chaton, node) in _chatons)
        {
            var services = string.Join(", ", chaton.Services.Select(s => $"{s.Name} ({s.Software})"));
            await _output.WriteLineAsync($"Chaton {chaton.Name}, @{chaton.Handle}@{node.Options.PublicUri.Authority}");
            await _output.WriteLineAsync($"  profile: {node.Options.BaseUrl}/actor  (a page in a browser; JSON with Accept: application/activity+json)");
            await _output.WriteLineAsync($"  services: {services}");
            await _output.WriteLineAsync($"  data folder: {Path.Combine(_root, chaton.Handle)}");
        }

        await _output.WriteLineAsync($"Aggregator @directory@{Aggregator.Options.PublicUri.Authority}, following them");
        await _output.WriteLineAsync($"  directory website: {aggregator}/");
        await _output.WriteLineAsync($"  directory API: {aggregator}/api/directory/search?q=libre");
        await _output.WriteLineAsync($"  map data: {aggregator}/api/directory/export.geojson");
        await _output.WriteLineAsync($"  data folder: {Path.Combine(_root, AggregatorFolder)}");
        await _output.WriteLineAsync();
        await _output.WriteLineAsync("Try, while it runs (from the repository root):");
        await _output.WriteLineAsync($"  dotnet run --project src/ChatonsFed.Cli -- service list --data {Path.Combine(_root, _chatons[0].Chaton.Handle)}");
        await _output.WriteLineAsync($"  dotnet run --project src/ChatonsFed.Cli -- directory status --data {Path.Combine(_root, AggregatorFolder)}");
        await _output.FlushAsync(cancellationToken);
    }

    private RunningNode Aggregator => _aggregator ?? throw new InvalidOperationException("the aggregator is not started");

    private async Task WaitUntilListedAndFollowedAsync(CancellationToken cancellationToken)
    {
        await _output.WriteAsync($"{Environment.NewLine}Waiting for the aggregator to list and follow the {_chatons.Count} chatons… ");
        await _output.FlushAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        var listed = 0;
        var followed = 0;
        while (listed < _chatons.Count || followed < _chatons.Count)
        {
            if (clock.Elapsed > ListingTimeout)
            {
                await _output.WriteLineAsync();
                throw new CliException($"the aggregator listed {listed} and was accepted as follower by {followed} of {_chatons.Count} chatons within {ListingTimeout.TotalSeconds:0} s; see 'chatonsfed directory status --data {Path.Combine(_root, AggregatorFolder)}' (run with --keep)", 1);
            }

            await Task.Delay(100, cancellationToken);
            listed = (await GetJsonAsync($"{Aggregator.Options.BaseUrl}/api/directory/search?limit=100", cancellationToken))?["total"]?.GetValue<int>() ?? 0;
            followed = 0;
            foreach (var (_, node) in _chatons)
            {
                followed += (await GetJsonAsync(node.Options.BaseUrl + "/actor/followers", cancellationToken))?["totalItems"]?.GetValue<int>() > 0 ? 1 : 0;
            }
        }

        await _output.WriteLineAsync($"listed {listed}, followed {followed} ({Seconds(clock.Elapsed)})");
    }

    /// <summary>Reopens a full service to new accounts on its node, and measures how long the aggregator's API takes to show it.</summary>
    private async Task ShowAnUpdateAsync(CancellationToken cancellationToken)
    {
        var (chaton, node, service) = _chatons
            .SelectMany(c => c.Chaton.Services.Select(s => (c.Chaton, c.Node, Service: s)))
            .FirstOrDefault(c => c.Service.Capacity == "full");
        if (service is null)
        {
            return;
        }

        var actor = node.Options.BaseUrl + "/actor";
        var query = $"{Aggregator.Options.BaseUrl}/api/directory/search?category={service.Category}&open=true";
        await _output.WriteLineAsync($"Update: {chaton.Name} reopens \"{service.Name}\" to new accounts, as 'chatonsfed service update {service.Slug} --capacity open' does");
        await _output.FlushAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        var result = await NodeCommands.GuardAsync(() => node.ServiceCatalogue.UpdateAsync(service.Slug!, new ServiceChanges { Capacity = "open" }, cancellationToken));
        while (!await ListsAsync(query, actor, cancellationToken))
        {
            if (clock.Elapsed > ListingTimeout)
            {
                throw new CliException($"the aggregator did not show the update within {ListingTimeout.TotalSeconds:0} s ({query})", 1);
            }

            await Task.Delay(20, cancellationToken);
        }

        await _output.WriteLineAsync($"  the node signed an Update of the service and a note, and queued {result.DeliveriesQueued} deliveries to its followers;");
        await _output.WriteLineAsync($"  the aggregator shows it after {Seconds(clock.Elapsed)}: {query}");
    }

    /// <summary>
    /// The first root endorses the last chaton, as 'chatonsfed membership endorse' does: one endorsement of the two the
    /// quorum asks, so the aggregator shows it as a candidate beside the admitted roots. Prints how to endorse it from the
    /// second root and watch it become an admitted member.
    /// </summary>
    private async Task ShowAnEndorsementAsync(CancellationToken cancellationToken)
    {
        if (_chatons.Count < 3)
        {
            return;
        }

        var (issuer, issuerNode) = _chatons[0];
        var second = _chatons[1].Chaton;
        var (candidate, candidateNode) = _chatons[^1];
        var candidateActor = candidateNode.Options.BaseUrl + "/actor";
        var handle = $"@{candidate.Handle}@{candidateNode.Options.PublicUri.Authority}";
        await _output.WriteLineAsync();
        await _output.WriteLineAsync($"Membership: the aggregator admits from its trust roots {issuer.Name} and {second.Name}, with a quorum of {TrustQuorum} endorsements");
        await _output.WriteLineAsync($"  {issuer.Name} endorses {candidate.Name}, as 'chatonsfed membership endorse {handle}' does");
        await _output.FlushAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        var issued = await NodeCommands.GuardAsync(() => issuerNode.Membership.EndorseAsync(new EndorseRequest { Subject = handle }, cancellationToken));
        var query = $"{Aggregator.Options.BaseUrl}/api/directory/search?admission=candidate";
        while (await EndorsementsAsync(query, candidateActor, cancellationToken) != 1)
        {
            if (clock.Elapsed > ListingTimeout)
            {
                throw new CliException($"the aggregator did not show {candidate.Name} as a candidate with one endorsement within {ListingTimeout.TotalSeconds:0} s ({query})", 1);
            }

            await Task.Delay(20, cancellationToken);
        }

        await _output.WriteLineAsync($"  credential {issued.Id}, valid until {issued.ValidUntil.UtcDateTime:yyyy-MM-dd}");
        await _output.WriteLineAsync($"  the aggregator shows {candidate.Name} as a candidate (1 endorsement of {TrustQuorum}) after {Seconds(clock.Elapsed)}: {query}");
        await _output.WriteLineAsync($"  Endorse it from {second.Name} too, and it becomes an admitted member:");
        await _output.WriteLineAsync($"    dotnet run --project src/ChatonsFed.Cli -- membership endorse {handle} --data {Path.Combine(_root, second.Handle)}");
        await _output.WriteLineAsync($"    then {Aggregator.Options.BaseUrl}/api/directory/search?admission=admitted lists it, and {Aggregator.Options.BaseUrl}/about says who the roots are");
    }

    /// <summary>The number of counted endorsements the search at <paramref name="query"/> shows for <paramref name="actor"/>, or null when it is not listed there.</summary>
    private async Task<int?> EndorsementsAsync(string query, string actor, CancellationToken cancellationToken) =>
        (await GetJsonAsync(query, cancellationToken))?["items"]?.AsArray()
            .FirstOrDefault(i => i?["id"]?.GetValue<string>() == actor)?["admission"]?["endorsements"]?.GetValue<int>();

    private async Task<bool> ListsAsync(string query, string actor, CancellationToken cancellationToken) =>
        (await GetJsonAsync(query, cancellationToken))?["items"]?.AsArray().Any(i => i?["id"]?.GetValue<string>() == actor) == true;

    private async Task<JsonNode?> GetJsonAsync(string url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("application/activity+json");
        request.Headers.Accept.ParseAdd("application/json");
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>Until cancelled (Ctrl-C, SIGTERM), or until a node stops by itself.</summary>
    private async Task WaitForStopAsync(CancellationToken cancellationToken)
    {
        var nodes = _chatons.Select(c => c.Node).Append(Aggregator);
        await Task.WhenAny(nodes.Select(n => n.WaitForShutdownAsync(cancellationToken)));
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static string Seconds(TimeSpan elapsed) => elapsed < TimeSpan.FromSeconds(1)
        ? elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms"
        : elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    /// <summary>A port free now on <paramref name="address"/> (a node's public URL is fixed before it starts).</summary>
    private static int FreePort(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_aggregator is not null)
        {
            await _aggregator.DisposeAsync();
        }

        foreach (var (_, node) in _chatons)
        {
            await node.DisposeAsync();
        }

        _http.Dispose();
        if (_keep)
        {
            await _output.WriteLineAsync($"Stopped; the data folders are kept in {_root}");
            return;
        }

        try
        {
            System.IO.Directory.Delete(_root, recursive: true);
            await _output.WriteLineAsync($"Stopped; removed {_root}");
        }
        catch (IOException ex)
        {
            await _output.WriteLineAsync($"Stopped; could not remove {_root}: {CliApplication.OneLine(ex.Message)}");
        }
    }
}
