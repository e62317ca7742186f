using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using ChatonsFed.Aggregator.Observatory;
using ChatonsFed.Hosting;

namespace ChatonsFed.Cli.Commands;

/// <summary>
/// <c>chatonsfed directory observe [--chaton ID]</c>: runs the service observatory's checks now, on every target or on
/// one chaton's, stores what they give and prints a table. Like the other directory commands, through the running
/// node's admin API when it runs, on the data folder otherwise.
/// </summary>
internal static class ObserveCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Command Create(TextWriter output, TextWriter error)
    {
        var data = NodeCommands.DataOption();
        var chaton = new Option<string?>("--chaton") { Description = "Only this chaton's targets: its actor id (or an unsigned entry's organization file URL)." };
        var command = new Command("observe", "Check now what the chatons serve (service URLs, websites, legal notices), store it, and print a table.") { data, chaton };
        command.SetAction(async (parse, ct) =>
        {
            var folder = new DataFolder(parse.GetValue(data)!.FullName);
            var id = parse.GetValue(chaton);
            IReadOnlyList<ObservationRow>? rows;
            var (offline, remote) = await DirectoryCommands.OpenAsync(folder, error, ct);
            await using (offline)
            using (remote)
            {
                if (remote is not null)
                {
                    var path = "directory/observe" + (id is null ? string.Empty : "?chaton=" + Uri.EscapeDataString(id));
                    using var response = await remote.PostAsync(path, null, ct);
                    await RemoteNodeAdministration.EnsureSuccessAsync(response, ct);
                    rows = await response.Content.ReadFromJsonAsync<List<ObservationRow>>(Json, ct);
                }
                else
                {
                    rows = await ObserveNow.RunAsync(offline!.Observatory, TimeProvider.System, id, ct);
                }
            }

            if (rows is null)
            {
                throw new CliException($"no chaton {id} in this directory ('chatonsfed directory status' lists the chatons)");
            }

            await Print(output, rows);
            return 0;
        });
        return command;
    }

    private static async Task Print(TextWriter output, IReadOnlyList<ObservationRow> rows)
    {
        if (rows.Count == 0)
        {
            await output.WriteLineAsync("Nothing to observe: no service URL, website or legal notice is listed");
            return;
        }

        string[] header = ["TARGET", "STATE", "STATUS", "MS", "TLS DAYS", "THIRD PARTIES", "TRACKERS"];
        var lines = rows.Select(r => new[]
        {
            r.Target,
            r.State + (r.Reason is null ? string.Empty : $" ({r.Reason})"),
            r.HttpStatus?.ToString(CultureInfo.InvariantCulture) ?? "-",
            r.ResponseMs?.ToString(CultureInfo.InvariantCulture) ?? "-",
            r.TlsDaysLeft?.ToString(CultureInfo.InvariantCulture) ?? "-",
            r.ThirdPartyHosts.Count == 0 ? "-" : string.Join(",", r.ThirdPartyHosts),
            r.Trackers.Count == 0 ? "-" : string.Join(",", r.Trackers),
        }).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(i => lines.Select(l => l[i].Length).Append(header[i].Length).Max()).ToArray();
        foreach (var line in lines.Prepend(header))
        {
            await output.WriteLineAsync(string.Join("  ", line.Select((cell, i) => i == line.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }

        var up = rows.Count(r => r.State == ObservedState.Up);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{rows.Count} target(s): {up} up, {rows.Count(r => r.State == ObservedState.Down)} down, {rows.Count(r => r.State == ObservedState.Error)} error, {rows.Count(r => r.State == "skipped")} skipped"));
    }
}
