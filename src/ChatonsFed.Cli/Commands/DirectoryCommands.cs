using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using ChatonsFed.Aggregator.Aggregation;
using ChatonsFed.Aggregator.ChatonsInfosSource;
using ChatonsFed.Aggregator.Crawling;
using ChatonsFed.Hosting;

namespace ChatonsFed.Cli.Commands;

/// <summary>
/// <c>chatonsfed directory follow|rebuild|refresh|bootstrap|status|observe</c>: the aggregator owner's commands. Each works
/// through the running node's admin API when it runs, on the data folder otherwise.
/// </summary>
internal static class DirectoryCommands
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public static Command Create(TextWriter output, TextWriter error)
    {
        var directory = new Command("directory", "The aggregator's directory: follow chatons, rebuild it from the network, show its state.");
        directory.Subcommands.Add(Follow(output, error));
        directory.Subcommands.Add(Crawl(output, error, "rebuild", "Empty the directory and rebuild it from the nodes alone (seeds, tracked actors, discovery), showing progress."));
        directory.Subcommands.Add(Crawl(output, error, "refresh", "Poll every tracked chaton now (conditional requests), then apply the stale and removal rules."));
        directory.Subcommands.Add(Bootstrap(output, error));
        directory.Subcommands.Add(Status(output, error));
        directory.Subcommands.Add(ObserveCommand.Create(output, error));
        return directory;
    }

    private static Command Follow(TextWriter output, TextWriter error)
    {
        var data = NodeCommands.DataOption();
        var address = new Argument<string>("HANDLE|URL") { Description = "The chaton: acct:NAME@HOST, @NAME@HOST or its actor URL; or the URL of a ChatonsInfos federation file (….properties)." };
        var command = new Command("follow", "Add a chaton to the seeds, check it now, and follow it (its changes then arrive as they happen); or add a ChatonsInfos federation file to the sources and read it now.") { data, address };
        command.SetAction(async (parse, ct) =>
        {
            var folder = new DataFolder(parse.GetValue(data)!.FullName);
            var text = parse.GetValue(address)!;
            FollowOutcome outcome;
            string mode;
            var (offline, remote) = await OpenAsync(folder, error, ct);
            await using (offline)
            using (remote)
            {
                if (remote is not null)
                {
                    mode = "through the running node";
                    using var response = await remote.PostAsJsonAsync("directory/follow", new { address = text }, Json, ct);
                    await RemoteNodeAdministration.EnsureSuccessAsync(response, ct);
                    outcome = (await response.Content.ReadFromJsonAsync<FollowOutcome>(Json, ct))!;
                }
                else
                {
                    mode = "offline";
                    outcome = await NodeCommands.GuardAsync(() => offline!.Service.FollowAsync(text, ct));
                }
            }

            if (outcome.Federation is { } federation)
            {
                await PrintFederation(output, federation, $"Added ChatonsInfos federation {federation.Source} ({mode})");
                return 0;
            }

            if (outcome.ActorId is null)
            {
                throw new CliException(outcome.Problem ?? $"{text} could not be resolved to an actor", CliApplication.UsageError);
            }

            await output.WriteLineAsync(outcome.Listed
                ? $"Following {outcome.ActorId} ({mode}): listed; follow {outcome.Follow.ToString().ToLowerInvariant()}"
                : $"Following {outcome.ActorId} ({mode}): not listed: {outcome.Problem}");
            return outcome.Listed ? 0 : 1;
        });
        return command;
    }

    private static Command Crawl(TextWriter output, TextWriter error, string name, string description)
    {
        var data = NodeCommands.DataOption();
        var command = new Command(name, description) { data };
        command.SetAction(async (parse, ct) =>
        {
            var folder = new DataFolder(parse.GetValue(data)!.FullName);
            var report = await RunAsync(folder, output, error, name, null, ct);
            return await Summarize(output, error, name == "rebuild" ? "Rebuilt" : "Refreshed", report);
        });
        return command;
    }

    private static Command Bootstrap(TextWriter output, TextWriter error)
    {
        var data = NodeCommands.DataOption();
        var source = new Argument<string>("URL|FILE") { Description = "Another aggregator's signed bundle: its URL (…/api/directory/export/bundle.json) or a file." };
        var command = new Command("bootstrap", "Fill the directory from another aggregator's signed bundle, verifying every document against its author's key fetched from the author's own origin.") { data, source };
        command.SetAction(async (parse, ct) =>
        {
            var folder = new DataFolder(parse.GetValue(data)!.FullName);
            var bundle = await ReadBundleAsync(folder, parse.GetValue(source)!, ct);
            var report = await RunAsync(folder, output, error, "bootstrap", bundle, ct);
            return await Summarize(output, error, "Bootstrapped", report);
        });
        return command;
    }

    private static Command Status(TextWriter output, TextWriter error)
    {
        var data = NodeCommands.DataOption();
        var command = new Command("status", "Show the directory: listed and stale chatons, follows, the last crawl, actors not listed and why, recent rejections.") { data };
        command.SetAction(async (parse, ct) =>
        {
            var folder = new DataFolder(parse.GetValue(data)!.FullName);
            DirectoryStatus status;
            var (offline, remote) = await OpenAsync(folder, error, ct);
            await using (offline)
            using (remote)
            {
                if (remote is not null)
                {
                    using var response = await remote.GetAsync("directory/status", ct);
                    await RemoteNodeAdministration.EnsureSuccessAsync(response, ct);
                    status = (await response.Content.ReadFromJsonAsync<DirectoryStatus>(Json, ct))!;
                }
                else
                {
                    status = offline!.Service.Status();
                }
            }

            await Print(output, status);
            return 0;
        });
        return command;
    }

    private static async Task<CrawlReport> RunAsync(DataFolder folder, TextWriter output, TextWriter error, string operation, byte[]? bundle, CancellationToken ct)
    {
        var (offline, remote) = await OpenAsync(folder, error, ct);
        await using var _ = offline;
        using var __ = remote;
        if (remote is not null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "directory/" + operation);
            if (bundle is not null)
            {
                request.Content = new ByteArrayContent(bundle);
            }

            using var response = await remote.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            await RemoteNodeAdministration.EnsureSuccessAsync(response, ct);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                using var document = JsonDocument.Parse(line);
                if (document.RootElement.TryGetProperty("done", out var done) && done.ValueKind == JsonValueKind.True)
                {
                    return document.RootElement.Deserialize<CrawlReport>(Json)!;
                }

                var progress = document.RootElement.Deserialize<ProgressLine>(Json)!;
                await WriteProgress(output, new CrawlProgress(progress.Found, progress.Done, progress.Failed, progress.Listed));
            }

            throw new CliException("the node closed the connection before the end of the operation");
        }

        var last = 0L;
        var printer = new Progress(p =>
        {
            var now = Environment.TickCount64;
            if (now - Interlocked.Read(ref last) >= 200)
            {
                Interlocked.Exchange(ref last, now);
                lock (output)
                {
                    output.WriteLine(Line(p));
                }
            }
        });
        var service = offline!.Service;
        return operation switch
        {
            "rebuild" => CrawlReport.From(await service.RebuildAsync(printer, ct)),
            "refresh" => CrawlReport.From(await service.RefreshAsync(printer, ct)),
            _ => CrawlReport.From(await service.BootstrapAsync(bundle!, printer, ct)),
        };
    }

    private static async Task<byte[]> ReadBundleAsync(DataFolder folder, string source, CancellationToken ct)
    {
        if (!source.Contains("://", StringComparison.Ordinal))
        {
            return File.Exists(source)
                ? await File.ReadAllBytesAsync(source, ct)
                : throw new CliException($"{source}: no such file (give a bundle file or the URL of another aggregator's bundle)", CliApplication.UsageError);
        }

        if (!Uri.TryCreate(source, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw new CliException($"'{source}' is not an http(s) URL", CliApplication.UsageError);
        }

        // The bundle is fetched under the node's own address policy: it is data from outside, like any other.
        var options = NodeCommands.Guard(folder.LoadOptions);
        var outbound = options.OutboundHttp();
        outbound.MaxResponseBytes = 256L * 1024 * 1024;
        outbound.RequestTimeout = TimeSpan.FromMinutes(5);
        using var clients = OutboundClients.Create(outbound);
        var client = new Federation.Http.ActivityPubClient(clients.CreateFederationClient(), outbound, TimeProvider.System);
        var fetch = await client.FetchDocumentAsync(url, "application/json", ct);
        return fetch.IsOk ? fetch.Body.ToArray() : throw new CliException($"the bundle could not be fetched: {fetch.Reason}");
    }

    private static async Task<int> Summarize(TextWriter output, TextWriter error, string verb, CrawlReport report)
    {
        if (report.Error is not null)
        {
            throw new CliException(report.Error, CliApplication.UsageError);
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{verb}: {report.Listed} listed of {report.Found} found, {report.Failed} not listed ({report.Rejected} refused, {report.Unreachable} unreachable) in {report.Seconds:0.00} s"));
        foreach (var problem in report.Problems.Take(20))
        {
            await error.WriteLineAsync("  " + problem);
        }

        if (report.Problems.Count > 20)
        {
            await error.WriteLineAsync($"  … and {report.Problems.Count - 20} more ('chatonsfed directory status' lists them)");
        }

        return 0;
    }

    private static async Task Print(TextWriter output, DirectoryStatus status)
    {
        var invariant = CultureInfo.InvariantCulture;
        await output.WriteLineAsync(string.Create(invariant, $"Directory: {status.Listed} listed ({status.Stale} stale); {status.Tracked} actors tracked: {status.NotListed} not listed, {status.Unreachable} unreachable, {status.Gone} gone (404/410)")
            + (status.ChatonsInfos.Count > 0 ? string.Create(invariant, $"; apart, {status.UnsignedListed} unsigned from ChatonsInfos") : string.Empty));
        await output.WriteLineAsync("Seeds: " + (status.Seeds.Count == 0 ? "none" : string.Join(", ", status.Seeds)));
        await output.WriteLineAsync("Follows: " + (status.Follows.Count == 0 ? "none" : string.Join(", ", status.Follows.Select(f => $"{f.Key.ToLowerInvariant()} {f.Value}"))));
        if (status.LastCrawl is { } crawl)
        {
            await output.WriteLineAsync(string.Create(invariant, $"Last crawl: {status.LastCrawlAt:yyyy-MM-dd'T'HH:mm:ss'Z'}: {crawl.Found} found, {crawl.Listed} listed, {crawl.Rejected} refused, {crawl.Unreachable} unreachable, in {crawl.Seconds:0.00} s"));
        }

        if (status.Admission is { } admission)
        {
            await output.WriteLineAsync(string.Create(invariant,
                $"Membership: trust roots {string.Join(", ", admission.TrustRoots)}; quorum {admission.Quorum}: {admission.Admitted} admitted, {admission.Candidates} candidate(s), {admission.Lapsed} lapsed, {admission.Revoked} revoked; {admission.Credentials} credential(s) and {admission.StatusLists} status list(s) held"));
            foreach (var problem in admission.Problems)
            {
                await output.WriteLineAsync("  problem: " + problem);
            }
        }
        else
        {
            await output.WriteLineAsync("Membership: no trust root, admission is not computed");
        }

        if (status.Problems.Count > 0)
        {
            await output.WriteLineAsync("Not listed or not answering:");
            foreach (var problem in status.Problems)
            {
                var since = problem.GoneSince is { } gone ? $" (gone since {gone:yyyy-MM-dd'T'HH:mm:ss'Z'})" : problem.FailingSince is { } failing ? $" (failing since {failing:yyyy-MM-dd'T'HH:mm:ss'Z'})" : string.Empty;
                await output.WriteLineAsync(string.Create(invariant, $"  {problem.ActorId}{since}: {problem.Problem}"));
            }
        }

        foreach (var federation in status.ChatonsInfos)
        {
            await PrintFederation(output, federation, "ChatonsInfos federation " + federation.Source);
        }

        if (status.Rejections.Count > 0)
        {
            await output.WriteLineAsync("Recent rejections:");
            foreach (var rejection in status.Rejections)
            {
                await output.WriteLineAsync(string.Create(invariant, $"  {rejection.At:yyyy-MM-dd'T'HH:mm:ss'Z'} {rejection.Kind} {rejection.DocumentId ?? rejection.ActorId ?? "(no id)"}: {rejection.Reason}: {rejection.Message}"));
            }
        }
    }

    private static async Task PrintFederation(TextWriter output, FederationReport federation, string title)
    {
        var counts = federation.Outcomes.Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.Key} {o.Value}"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{title}: {federation.Name ?? "not read"}; {federation.Outcomes.Values.Sum()} organization(s): {string.Join(", ", counts)}; {federation.ListedUnsigned} listed unsigned"));
        foreach (var organization in federation.Organizations.Where(o => o.Outcome != UnsignedDirectory.Outcome))
        {
            await output.WriteLineAsync($"  {organization.File} ({organization.Name}): {organization.Outcome}{(organization.Actor is null ? string.Empty : " " + organization.Actor)}");
        }

        foreach (var problem in federation.Problems)
        {
            await output.WriteLineAsync("  problem: " + problem);
        }
    }

    private static string Line(CrawlProgress p) => string.Create(CultureInfo.InvariantCulture, $"  done {p.Done} / found {p.Found} / failed {p.Failed}");

    private static Task WriteProgress(TextWriter output, CrawlProgress progress) => output.WriteLineAsync(Line(progress));

    /// <summary>
    /// The directory on the folder's files when this process takes the folder's lock (nothing serves it), its warnings
    /// (a directory file set aside) on <paramref name="error"/>; otherwise a client of the admin API of the process
    /// that holds it, or one line saying why it cannot be reached.
    /// </summary>
    internal static async Task<(OfflineDirectory? Offline, HttpClient? Remote)> OpenAsync(DataFolder folder, TextWriter error, CancellationToken ct)
    {
        if (!File.Exists(folder.Settings))
        {
            throw new CliException($"{folder.Settings} not found; create the data folder with 'chatonsfed init --data {folder.Path} --aggregator …'", CliApplication.UsageError);
        }

        try
        {
            return (NodeCommands.Guard(() => OfflineDirectory.Open(folder, TimeProvider.System, error)), null);
        }
        catch (DataFolderInUseException held)
        {
            return (null, await RemoteNodeAdministration.ConnectClientAsync(folder, held, "directory/status", ct));
        }
        catch (IOException ex)
        {
            throw new CliException(CliApplication.OneLine(ex.Message));
        }
    }

    private sealed record ProgressLine(int Found, int Done, int Failed, int Listed);

    /// <summary>Reports on the caller's thread.</summary>
    private sealed class Progress(Action<CrawlProgress> report) : IProgress<CrawlProgress>
    {
        public void Report(CrawlProgress value) => report(value);
    }
}
