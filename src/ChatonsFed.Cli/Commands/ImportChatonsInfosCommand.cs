using System.CommandLine;
using System.Globalization;
using ChatonsFed.ChatonsInfos;
using ChatonsFed.Federation.Http;
using ChatonsFed.Hosting;
using ChatonsFed.Hosting.ChatonsInfos;
using ChatonsFed.Node.Admin;
using ChatonsFed.Node.Documents;
using ChatonsFed.Node.Storage;

namespace ChatonsFed.Cli.Commands;

/// <summary>
/// <c>chatonsfed import-chatonsinfos --data DIR FILE|URL</c>: fills the node's profile and services from an organization
/// file and the service files its <c>subs.</c> lines point to, then signs and publishes the result. Running it again
/// updates the services it imported before (matched by address, else by slug) and adds none twice.
/// </summary>
internal static class ImportChatonsInfosCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var data = NodeCommands.DataOption();
        var source = new Argument<string>("FILE|URL")
        {
            Description = "The organization's ChatonsInfos file: a path, or an http(s) URL fetched under the node's address policy.",
        };
        var command = new Command(
            "import-chatonsinfos",
            "Fill the profile and services from a ChatonsInfos organization file and its service files (subs. lines), then sign and publish them. Prints what was mapped and what was skipped.")
        {
            data, source,
        };
        command.SetAction(async (parse, ct) =>
        {
            var folder = parse.GetValue(data)!;
            await using var admin = await NodeAdministration.OpenAsync(folder, ct);
            var options = NodeCommands.Guard(() => new DataFolder(folder.FullName).LoadOptions());
            var outbound = options.OutboundHttp();
            outbound.MaxResponseBytes = ChatonsInfosLimits.Default.MaxFileBytes;
            using var clients = OutboundClients.Create(outbound);
            var files = new FileSource(parse.GetValue(source)!, new ActivityPubClient(clients.CreateFederationClient(), outbound, TimeProvider.System));
            return await new Import(admin, files, output, error).RunAsync(ct);
        });
        return command;
    }

    /// <summary>Where the files come from: the first from a path or a URL; a sub from beside a local first file when a file of its name is there, else from its URL.</summary>
    private sealed class FileSource(string first, ActivityPubClient client)
    {
        private readonly Uri? _url = Uri.TryCreate(first, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;

        public string Name => _url?.AbsoluteUri ?? first;

        public Uri? Url => _url;

        public async Task<byte[]> ReadFirstAsync(CancellationToken cancellationToken)
        {
            if (_url is not null)
            {
                var fetched = await FetchAsync(_url, cancellationToken);
                return fetched.Bytes ?? throw new CliException($"{_url}: {fetched.Error}");
            }

            var file = new FileInfo(first);
            if (!file.Exists)
            {
                throw new CliException($"{first}: no such file; give the path or the http(s) URL of an organization file");
            }

            var read = await ChatonsInfosMapping.ReadFileAsync(file, cancellationToken);
            return read.Bytes ?? throw new CliException($"{first}: {read.Error}");
        }

        public async Task<FetchedFile> FetchAsync(Uri url, CancellationToken cancellationToken)
        {
            return _url is null && Beside(url) is { } local
                ? await ChatonsInfosMapping.ReadFileAsync(new FileInfo(local), cancellationToken)
                : await ChatonsInfosMapping.FetchAsync(client, url, cancellationToken);
        }

        /// <summary>The local file named as the URL's last segment, beside the first file, if there is one.</summary>
        public string? Beside(Uri url)
        {
            var name = Path.GetFileName(url.AbsolutePath);
            var folder = Path.GetDirectoryName(Path.GetFullPath(first));
            var candidate = name.Length == 0 || folder is null ? null : Path.Combine(folder, name);
            return candidate is not null && File.Exists(candidate) ? candidate : null;
        }
    }

    private sealed class Import(INodeAdministration admin, FileSource files, TextWriter output, TextWriter error)
    {
        public async Task<int> RunAsync(CancellationToken cancellationToken)
        {
            var parsed = ChatonsInfosParser.ParseOrganization(await files.ReadFirstAsync(cancellationToken));
            await WarnAsync(files.Name, parsed.Warnings);
            var organization = parsed.Value ?? throw new CliException($"{files.Name}: {parsed.Error}");

            var (profileChanges, profileReport) = ChatonsInfosMapping.ToProfileChanges(organization);
            await output.WriteLineAsync($"Organization file {files.Name}: {organization.Name}");
            await ReportAsync(profileReport);
            if (Differs(await admin.GetProfileAsync(cancellationToken), profileChanges))
            {
                await PublishedAsync($"Profile updated ({admin.Mode})", await admin.SetProfileAsync(profileChanges, cancellationToken));
            }
            else
            {
                await output.WriteLineAsync("Profile unchanged");
            }

            var walker = new SubsWalker(files.FetchAsync);
            walker.Visited(files.Url);
            var walked = await walker.ReadServicesAsync(organization, cancellationToken);
            var counts = new Dictionary<string, int>(StringComparer.Ordinal) { ["added"] = 0, ["updated"] = 0, ["unchanged"] = 0, ["skipped"] = 0 };
            var existing = (await admin.ListServicesAsync(cancellationToken)).ToList();
            foreach (var sub in walked.Services)
            {
                counts[await ImportServiceAsync(sub, existing, cancellationToken)]++;
            }

            var kept = existing.Where(s => !walked.Services.Any(w => w.File?.Website?.AbsoluteUri == s.Url || Slug(w.Sub.Id) == s.Id)).Select(s => s.Id).ToList();
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Imported {walked.Services.Count} service file(s): {counts["added"]} added, {counts["updated"]} updated, {counts["unchanged"]} unchanged, {counts["skipped"]} skipped")
                + (kept.Count > 0 ? $"; services not in the file kept as they are: {string.Join(", ", kept)}" : string.Empty));
            return 0;
        }

        private async Task<string> ImportServiceAsync(SubResult<ChatonsInfosService> sub, List<ServiceRecord> existing, CancellationToken cancellationToken)
        {
            var where = files.Url is null && files.Beside(sub.Sub.Url) is { } local ? $"{sub.Sub.Url}, read from {local}" : sub.Sub.Url.AbsoluteUri;
            await WarnAsync($"subs.{sub.Sub.Id} ({where})", sub.Warnings);
            if (sub.File is null)
            {
                await error.WriteLineAsync($"chatonsfed: warning: service skipped: {sub.Error}");
                return "skipped";
            }

            await output.WriteLineAsync($"Service file subs.{sub.Sub.Id} ({where}): {sub.File.Name}");
            var (changes, report, problem) = ChatonsInfosMapping.ToServiceChanges(sub.File, Slug(sub.Sub.Id), NodeDocumentBuilder.Categories);
            await ReportAsync(report);
            if (changes is null)
            {
                await error.WriteLineAsync($"chatonsfed: warning: service subs.{sub.Sub.Id} skipped: {problem}");
                return "skipped";
            }

            var match = existing.FirstOrDefault(s => s.Url == changes.Url) ?? existing.FirstOrDefault(s => s.Id == changes.Slug);
            try
            {
                if (match is null)
                {
                    var added = await admin.AddServiceAsync(changes, cancellationToken);
                    existing.Add(new ServiceRecord { Id = added.Slug ?? string.Empty, Url = changes.Url! });
                    await PublishedAsync($"Service '{added.Slug}' added ({admin.Mode})", added);
                    return "added";
                }

                if (!Differs(match, changes))
                {
                    await output.WriteLineAsync($"Service '{match.Id}' unchanged");
                    return "unchanged";
                }

                await PublishedAsync($"Service '{match.Id}' updated ({admin.Mode})", await admin.UpdateServiceAsync(match.Id, changes with { Slug = null }, cancellationToken));
                return "updated";
            }
            catch (CliException ex)
            {
                // One refused service (a value the node does not take) does not stop the others.
                await error.WriteLineAsync($"chatonsfed: warning: service subs.{sub.Sub.Id} skipped: {ex.Message}");
                return "skipped";
            }
        }

        private async Task ReportAsync(MappingReport report)
        {
            foreach (var key in report.Mapped)
            {
                await output.WriteLineAsync($"  mapped: {key}");
            }

            foreach (var key in report.Skipped)
            {
                await output.WriteLineAsync($"  skipped: {key}");
            }
        }

        private async Task WarnAsync(string where, IReadOnlyList<ChatonsInfosWarning> warnings)
        {
            foreach (var warning in warnings)
            {
                await error.WriteLineAsync($"chatonsfed: warning: {where}: {warning}");
            }
        }

        private async Task PublishedAsync(string what, ChangeResult result)
        {
            foreach (var warning in result.Warnings)
            {
                await error.WriteLineAsync($"chatonsfed: warning: {warning}");
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{what}: {result.Activities.Count} activities published, {result.DeliveriesQueued} deliveries queued"));
        }

        /// <summary>Whether applying <paramref name="changes"/> would change <paramref name="current"/>: a member given in the changes differs from the record's member of the same name.</summary>
        private static bool Differs(object current, object changes) =>
            changes.GetType().GetProperties().Any(p => p.GetValue(changes) is { } value
                && current.GetType().GetProperty(p.Name) is { } target
                && !Equals(target.GetValue(current), value));

        /// <summary>The <c>subs.</c> id as a service slug, or null (the node makes one from the name) when it cannot be one.</summary>
        private static string? Slug(string id)
        {
            var slug = new string([.. id.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
            return slug.Length is > 0 and <= 64 ? slug : null;
        }
    }
}
