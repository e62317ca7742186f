using System.CommandLine;
using System.Globalization;
using ChatonsFed.Node.Admin;

namespace ChatonsFed.Cli.Commands;

/// <summary>
/// <c>chatonsfed membership endorse|revoke|list</c>: the credentials by which a chaton vouches for another one. Each works
/// through the running node's admin API when it runs, on the data folder otherwise.
/// </summary>
internal static class MembershipCommands
{
    public static Command Create(TextWriter output)
    {
        var membership = new Command("membership", "Endorse a chaton with a signed membership credential, revoke one, list those issued and held.");
        membership.Subcommands.Add(Endorse(output));
        membership.Subcommands.Add(Revoke(output));
        membership.Subcommands.Add(List(output));
        return membership;
    }

    private static Command Endorse(TextWriter output)
    {
        var data = NodeCommands.DataOption();
        var subject = new Argument<string>("ACTOR-URL-OR-ACCT") { Description = "The chaton endorsed: its actor URL, acct:NAME@HOST or @NAME@HOST (the port with the host when it has one)." };
        var validDays = new Option<int?>("--valid-days") { Description = "Days the credential is valid, 1 to 400 (default 365: the yearly review)." };
        var criteria = new Option<string>("--criteria") { Description = "The charter criteria you checked yourself: 'all', or ids separated by commas (e.g. hoster.control,open.free-software)." };
        var note = new Option<string>("--note") { Description = "A public note, such as the address of the review on the collective's forum (no personal data)." };
        var command = new Command("endorse", "Check a chaton (its actor and charter attestation), then sign, publish and announce a membership credential about it.")
        {
            subject, data, validDays, criteria, note,
        };
        command.SetAction(async (parse, ct) =>
        {
            var request = new EndorseRequest
            {
                Subject = parse.GetValue(subject),
                ValidDays = parse.GetValue(validDays),
                Criteria = parse.GetValue(criteria),
                Note = parse.GetValue(note),
            };
            await using var admin = await NodeAdministration.OpenAsync(parse.GetValue(data)!, ct);
            var result = await admin.EndorseAsync(request, ct);
            await output.WriteLineAsync($"Endorsed {result.Subject} ({admin.Mode}): {result.Id}");
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  valid until {Instant(result.ValidUntil)}; {result.DeliveriesQueued} deliver{(result.DeliveriesQueued == 1 ? "y" : "ies")} queued"));
            return 0;
        });
        return command;
    }

    private static Command Revoke(TextWriter output)
    {
        var data = NodeCommands.DataOption();
        var id = new Argument<string>("CREDENTIAL-ID") { Description = "The id of a credential this chaton issued ('membership list' shows them)." };
        var command = new Command("revoke", "Revoke a credential this chaton issued: its bit is set in the revocation list, which is signed and announced again.")
        {
            id, data,
        };
        command.SetAction(async (parse, ct) =>
        {
            await using var admin = await NodeAdministration.OpenAsync(parse.GetValue(data)!, ct);
            var result = await admin.RevokeAsync(parse.GetValue(id)!, ct);
            await output.WriteLineAsync(result.AlreadyRevoked
                ? $"{result.Id} was already revoked{(result.Revoked is { } when ? " on " + Instant(when) : string.Empty)}; nothing changed ({admin.Mode})"
                : string.Create(CultureInfo.InvariantCulture,
                    $"Revoked {result.Id} ({admin.Mode}); {result.DeliveriesQueued} deliver{(result.DeliveriesQueued == 1 ? "y" : "ies")} queued"));
            return 0;
        });
        return command;
    }

    private static Command List(TextWriter output)
    {
        var data = NodeCommands.DataOption();
        var command = new Command("list", "List the credentials this chaton issued (id, subject, valid until, state), then those about it that it holds (id, issuer, valid until, state).")
        {
            data,
        };
        command.SetAction(async (parse, ct) =>
        {
            await using var admin = await NodeAdministration.OpenAsync(parse.GetValue(data)!, ct);
            var overview = await admin.ListMembershipAsync(ct);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Issued ({overview.Issued.Count}):"));
            foreach (var entry in overview.Issued)
            {
                await output.WriteLineAsync($"  {entry.Id}\t{entry.Subject}\t{Instant(entry.ValidUntil)}\t{entry.State}");
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Held ({overview.Held.Count}):"));
            foreach (var entry in overview.Held)
            {
                await output.WriteLineAsync($"  {entry.Id}\t{entry.Issuer}\t{Instant(entry.ValidUntil)}\t{entry.State}");
            }

            return 0;
        });
        return command;
    }

    private static string Instant(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
