using System.CommandLine;
using System.Globalization;
using ChatonsFed.Directory.Node;
using ChatonsFed.Node.Admin;

namespace ChatonsFed.Cli.Commands;

/// <summary>The owner's commands: profile, service, attestation, keys, block and unblock. Each works whether or not the node runs.</summary>
internal static class ChangeCommands
{
    public static IEnumerable<Command> Create(TextWriter output, TextWriter error)
    {
        yield return Profile(output, error);
        yield return Service(output, error);
        yield return Attestation(output, error);
        yield return Keys(output, error);
        yield return Block(output, error, block: true);
        yield return Block(output, error, block: false);
        yield return Leave(output, error);
    }

    private static Command Profile(TextWriter output, TextWriter error)
    {
        var data = NodeCommands.DataOption();
        var name = Text("--name", "Display name.");
        var summary = Text("--summary", "A short description.");
        var website = Text("--website", "The chaton's website URL.");
        var latitude = new Option<double?>("--latitude") { Description = "Latitude in degrees, e.g. 44.93 (with --longitude)." };
        var longitude = new Option<double?>("--longitude") { Description = "Longitude in degrees, e.g. 4.89 (with --latitude)." };
        var place = Text("--place-name", "The place's name, e.g. Valence.");
        var structure = Text("--structure-type", "ASSOCIATION, INFORMAL, COOPERATIVE, MICROCOMPANY, COMPANY, INDIVIDUAL or OTHER.");
        var country = Text("--country", "ISO 3166-1 alpha-2 code, e.g. FR.");
        var status = Text("--membership-status", "ACTIVE, IDLE or AWAY.");
        var since = Text("--member-since", "Date of joining the collective, YYYY-MM-DD.");
        var until = Text("--member-until", "Date of leaving the collective, YYYY-MM-DD.");
        var contact = Text("--contact", "Contact URL or e-mail address.");
        var legal = Text("--legal-notice", "Legal notice URL.");
        var icon = Text("--icon", "Icon image URL.");
        var set = new Command("set", "Change the chaton's profile (only the options given); the actor is re-signed and followers get an Update.")
        {
            data, name, summary, website, latitude, longitude, place, structure, country, status, since, until, contact, legal, icon,
        };
        set.SetAction(async (parse, ct) =>
        {
            var changes = new ProfileChanges
            {
                Name = parse.GetValue(name),
                Summary = parse.GetValue(summary),
                Website = parse.GetValue(website),
                Latitude = parse.GetValue(latitude),
                Longitude = parse.GetValue(longitude),
                PlaceName = parse.GetValue(place),
                StructureType = parse.GetValue(structure),
                Country = parse.GetValue(country),
                MembershipStatus = parse.GetValue(status),
                MemberSince = parse.GetValue(since),
                MemberUntil = parse.GetValue(until),
                Contact = parse.GetValue(contact),
                LegalNotice = parse.GetValue(legal),
                Icon = parse.GetValue(icon),
            };
            await using var admin = await NodeAdministration.OpenAsync(parse.GetValue(data)!, ct);
            var result = await admin.SetProfileAsync(changes, ct);
            return await Report(output, error, $"Profile updated ({admin.Mode})", result);
        });
        var showData = NodeCommands.DataOption();
        var show = new Command("show", "Print the chaton's profile.") { showData };
        show.SetAction(async (parse, ct) =>
        {
            await using var admin = await NodeAdministration.OpenAsync(parse.GetValue(showData)!, ct);
            var profile = await admin.GetProfileAsync(ct);
            await output.WriteLineAsync($"{profile.Name} (@{profile.Handle}), updated {profile.Updated:yyyy-MM-dd'T'HH:mm:ss'Z'}");
            return 0;
        });
        return new Command("profile", "Show or change the chaton's profile.") { set, show };
    }

    private static Command Service(TextWriter output, TextWriter error)
    {
        var service = new Command("service", "Add, change, remove or list hosted services.");

        (Option<string> Category, Option<string> Name, Option<string> Url, Option<string> Summary, Option<string> Software, Option<string> Version,
            Option<string> License, Option<string> Source, Option<string> Registration, Option<string> Capacity, Option<string> Status) Fields(bool required) => (
            new Option<string>("--category") { Description = "Category id from the shared list, e.g. collaborative-writing (unknown ids are kept, with a warning).", Required = required },
            new Option<string>("--name") { Description = "The service's name, e.g. Pad.", Required = required },
            new Option<string>("--url") { Description = "Where people use it, e.g. https://pad.example.", Required = required },
            Text("--summary", "A short description."),
            Text("--software", "The software's name, e.g. Etherpad."),
            Text("--software-version", "The software's version."),
            Text("--license", "The software's licence as an SPDX id, e.g. Apache-2.0."),
            Text("--source-code", "URL of the software's source code."),
            Text("--registration", "none, free, member or client."),
            Text("--capacity", "open or full."),
            Text("--status", "ok, degraded, down or closed."));

        ServiceChanges Read(ParseResult parse, (Option<string> Category, Option<string> Name, Option<string> Url, Option<string> Summary, Option<string> Software, Option<string> Version,
            Option<string> License, Option<string> Source, Option<string> Registration, Option<string> Capacity, Option<string> Status) f, string? slug) => new()
            {
                Slug = slug,
                Category = parse.GetValue(f.Category),
                Name = parse.GetValue(f.Name),
                Url = parse.GetValue(f.Url),
                Summary = parse.GetValue(f.Summary),
                Software = parse.GetValue(f.Software),
                SoftwareVersion = parse.GetValue(f.Version),
                License = parse.GetValue(f.License),
                SourceCode = parse.GetValue(f.Source),
                Registration = parse.GetValue(f.Registration),
                Capacity = parse.GetValue(f.Capacity),
                Status = parse.GetValue(f.Status),
            };

        void AddFields(Command command, (Option<string> Category, Option<string> Name, Option<string> Url, Option<string> Summary, Option<string> Software, Option<string> Version,
            Option<string> License, Option<string> Source, Option<string> Registration, Option<string> Capacity, Option<string> Status) f)
        {
            foreach (var option in new[] { f.Category, f.Name, f.Url, f.Summary, f.Software, f.Version, f.License, f.Source, f.Registration, f.Capacity, f.Status })
            {
                command.Options.Add(option);
            }
        }

        var addData = NodeCommands.DataOption();
        var addFields = Fields(required: true);
        var slugOption = Text("--slug", "The last segment of the service's URL (default: from the name).");
        var add = new Command("add", "Publish a new hosted service; followers get a Create.") { addData, slugOption };
        AddFields(add, addFields);
        add.SetAction(async (parse, ct) =>
        {
            await using var admin = await NodeAdministration.OpenAsync(parse.GetValue(addData)!, ct);
            var result = await admin.AddServiceAsync(Read(parse, addFields, parse.GetValue(slugOption)), ct);
            return await Report(output, error, $"Service '{result.Slug}' added ({admin.Mode})", result);
        });

        var updateData = NodeCommands.DataOption();
        var updateFields = Fields(required: false);
        var updateSlug = new Argument<string>("SLUG") { Description = "The service's slug ('service list' shows them)." };
        var update = new Command("update", "Change a hosted service (only the options given); followers get an Update.") { updateData, updateSlug };
        AddFields(update, updateFields);
        update.SetAction(async (parse, ct) =>
        {
            await using var admin = await NodeAdministration.OpenAsync(parse.GetValue(updateData)!, ct);
            var result = await admin.UpdateServiceAsync(parse.GetValue(updateSlug)!, Read(parse, updateFields, null), ct);
            return await Report(output, error, $"Service '{result.Slug}' updated ({admin.Mode})", result);
        });

        var removeData = NodeCommands.DataOption();
        var removeSlug = new Argument<string>("SLUG") { Description = "The service's slug." };
        var remove = new Command("remove", "Withdraw a hosted service: its URL answers 410 Gone and followers get a Delete.") { removeData, removeSlug };
        remove.SetAction(async (parse, ct) =>
        {
            await using var admin = await NodeAdministration.OpenAsync(parse.GetValue(removeData)!, ct);
            var result = await admin.RemoveServiceAsync(parse.GetValue(removeSlug)!, ct);
            return await Report(output, error, $"Service '{result.Slug}' removed ({admin.Mode})", result);
        });

        var listData = NodeCommands.DataOption();
        var list = new Command("list", "List the hosted services.") { listData };
        list.SetAction(async (parse, ct) =>
        {
            await using var admin = await NodeAdministration.OpenAsync(parse.GetValue(listData)!, ct);
            foreach (var s in await admin.ListServicesAsync(ct))
            {
                await output.WriteLineAsync($"{s.Id}\t{s.Category}\t{s.Name}\t{s.Url}\t{s.Status ?? "-"}");
            }

            return 0;
        });

        service.Subcommands.Add(add);
        service.Subcommands.Add(update);
        service.Subcommands.Add(remove);
        service.Subcommands.Add(list);
        return service;
    }

    private static Command Attestation(TextWriter output, TextWriter error)
    {
        var data = NodeCommands.DataOption();
        var met = new Option<string[]>("--met") { Description = "Criterion ids the chaton meets.", AllowMultipleArgumentsPerToken = true };
        var notMet = new Option<string[]>("--not-met") { Description = "Criterion ids the chaton does not meet.", AllowMultipleArgumentsPerToken = true };
        var note = new Option<string[]>("--note") { Description = "A note on a criterion, as ID=TEXT (an empty TEXT removes the note)." };
        var allRequired = new Option<bool>("--all-required-met") { Description = "Declare every required criterion of the charter met." };
        var set = new Command("set", "Change the charter declaration; the attestation is re-signed and followers get an Update.")
        {
            data, met, notMet, note, allRequired,
        };
        set.SetAction(async (parse, ct) =>
        {
            var notes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in parse.GetValue(note) ?? [])
            {
                var eq = entry.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    throw new CliException($"--note '{entry}' is not ID=TEXT; write e.g. --note open.free-software=\"All our services\"");
                }

                notes[entry[..eq].Trim()] = entry[(eq + 1)..];
            }

            var changes = new AttestationChanges
            {
                Met = parse.GetValue(met) ?? [],
                NotMet = parse.GetValue(notMet) ?? [],
                Notes = notes,
                AllRequiredMet = parse.GetValue(allRequired),
            };
            if (changes.Met.Count == 0 && changes.NotMet.Count == 0 && notes.Count == 0 && !changes.AllRequiredMet)
            {
                throw new CliException("nothing to change; give --met, --not-met, --note or --all-required-met");
            }

            await using var admin = await NodeAdministration.OpenAsync(parse.GetValue(data)!, ct);
            var result = await admin.SetAttestationAsync(changes, ct);
            return await Report(output, error, $"Charter declaration updated ({admin.Mode})", result);
        });
        return new Command("attestation", "Change the chaton's declaration on the charter.") { set };
    }

    private static Command Keys(TextWriter output, TextWriter error)
    {
        var data = NodeCommands.DataOption();
        var rotate = new Command("rotate", "Make new keys and publish them in the actor; followers get an Update signed with the old key.") { data };
        rotate.SetAction(async (parse, ct) =>
        {
            await using var admin = await NodeAdministration.OpenAsync(parse.GetValue(data)!, ct);
            var result = await admin.RotateKeysAsync(ct);
            return await Report(output, error, $"Keys rotated ({admin.Mode}); the old ones are kept under keys/retired/", result);
        });
        return new Command("keys", "Manage the node's keys.") { rotate };
    }

    private static Command Leave(TextWriter output, TextWriter error)
    {
        var data = NodeCommands.DataOption();
        var yes = new Option<bool>("--yes") { Description = "Confirm: this cannot be undone." };
        var leave = new Command("leave", "Leave the network: followers get a Delete of the actor and every document answers 410 Gone. Cannot be undone.") { data, yes };
        leave.SetAction(async (parse, ct) =>
        {
            if (!parse.GetValue(yes))
            {
                throw new CliException("leaving the network cannot be undone: the actor and its documents will answer 410 Gone; run again with --yes to confirm");
            }

            await using var admin = await NodeAdministration.OpenAsync(parse.GetValue(data)!, ct);
            var result = await admin.LeaveAsync(ct);
            return await Report(output, error, $"The chaton left the network ({admin.Mode}); keep the node running until the Delete is delivered", result);
        });
        return leave;
    }

    private static Command Block(TextWriter output, TextWriter error, bool block)
    {
        var data = NodeCommands.DataOption();
        var domain = new Argument<string>("DOMAIN") { Description = "The domain (its subdomains too)." };
        var command = block
            ? new Command("block", "Refuse follows from a domain and drop its followers.") { domain, data }
            : new Command("unblock", "Accept follows from a domain again.") { domain, data };
        command.SetAction(async (parse, ct) =>
        {
            await using var admin = await NodeAdministration.OpenAsync(parse.GetValue(data)!, ct);
            var name = parse.GetValue(domain)!;
            if (block)
            {
                await admin.BlockAsync(name, ct);
                await output.WriteLineAsync($"{name} blocked ({admin.Mode})");
            }
            else if (await admin.UnblockAsync(name, ct))
            {
                await output.WriteLineAsync($"{name} unblocked ({admin.Mode})");
            }
            else
            {
                await error.WriteLineAsync($"chatonsfed: warning: {name} was not blocked");
            }

            return 0;
        });
        return command;
    }

    private static Option<string> Text(string name, string description) => new(name) { Description = description };

    private static async Task<int> Report(TextWriter output, TextWriter error, string what, ChangeResult result)
    {
        foreach (var warning in result.Warnings)
        {
            await error.WriteLineAsync($"chatonsfed: warning: {warning}");
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {result.Activities.Count} activit{(result.Activities.Count == 1 ? "y" : "ies")} published, {result.DeliveriesQueued} deliver{(result.DeliveriesQueued == 1 ? "y" : "ies")} queued"));
        return 0;
    }
}
