using System.CommandLine;
using ChatonsFed.Directory.Node;
using ChatonsFed.Hosting;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Node.Hosting;
using Microsoft.Extensions.Options;

namespace ChatonsFed.Cli.Commands;

/// <summary><c>chatonsfed init</c> and <c>chatonsfed serve</c>: create a node's data folder, and run the node.</summary>
internal static class NodeCommands
{
    public static Option<DirectoryInfo> DataOption() => new("--data")
    {
        Description = "The node's data folder (settings, keys, database).",
        Required = true,
    };

    public static Command Init(TextWriter output)
    {
        var data = DataOption();
        var url = new Option<string>("--url") { Description = "The node's public base URL, e.g. https://chaton.example (https unless --allow-private-network).", Required = true };
        var handle = new Option<string>("--handle") { Description = "The account name, the NAME in @NAME@HOST (required for a chaton; an aggregator's defaults to 'directory')." };
        var name = new Option<string>("--name") { Description = "The chaton's display name (required for a chaton), or the aggregator's." };
        var allowPrivate = new Option<bool>("--allow-private-network") { Description = "Allow plain http and loopback or private addresses (local tests only; kept in the settings)." };
        var aggregator = new Option<bool>("--aggregator") { Description = "Make an aggregator: same as --role aggregator." };
        var role = new Option<string>("--role") { Description = "chaton (default), aggregator, or both (a chaton that also runs an aggregator).", DefaultValueFactory = _ => "chaton" };
        role.AcceptOnlyFromAmong("chaton", "aggregator", "both");
        var aggregatorHandle = new Option<string>("--aggregator-handle") { Description = "With --role both: the aggregator actor's NAME (default 'directory')." };
        var seeds = new Option<string[]>("--seed") { Description = "An aggregator's seed: acct:NAME@HOST, @NAME@HOST or an actor URL (repeatable).", AllowMultipleArgumentsPerToken = false };
        var trustRoots = new Option<string[]>("--trust-root") { Description = "An aggregator's trust root for membership: acct:NAME@HOST, @NAME@HOST or an actor URL (repeatable); none: admission is not computed.", AllowMultipleArgumentsPerToken = false };
        var command = new Command("init", "Create a node's data folder: settings, keys, database with the initial profile, and the owner's admin credential.")
        {
            data, url, handle, name, allowPrivate, aggregator, role, aggregatorHandle, seeds, trustRoots,
        };
        command.SetAction(parse =>
        {
            var chosen = parse.GetValue(aggregator) ? "aggregator" : parse.GetValue(role)!;
            var serveChaton = chosen != "aggregator";
            var runAggregator = chosen != "chaton";
            var handleText = parse.GetValue(handle) ?? (serveChaton ? throw new CliException("--handle is required for a chaton: the NAME in @NAME@HOST") : "directory");
            var nameText = parse.GetValue(name) ?? (serveChaton ? throw new CliException("--name is required for a chaton: its display name") : new AggregatorOptions().Name);
            var options = new NodeOptions
            {
                PublicUrl = parse.GetValue(url)!,
                Handle = handleText,
                AllowPrivateNetwork = parse.GetValue(allowPrivate),
                ServeChaton = serveChaton,
            };
            options.Aggregator.Enabled = runAggregator;
            options.Aggregator.Handle = serveChaton ? parse.GetValue(aggregatorHandle) ?? "directory" : handleText;
            if (!serveChaton)
            {
                options.Aggregator.Name = nameText;
            }

            foreach (var seed in parse.GetValue(seeds) ?? [])
            {
                options.Aggregator.Seeds.Add(seed);
            }

            var roots = parse.GetValue(trustRoots) ?? [];
            if (roots.Length > 0 && !runAggregator)
            {
                throw new CliException("--trust-root is an aggregator's setting: add --aggregator (or --role both)");
            }

            foreach (var root in roots)
            {
                options.Aggregator.Membership.TrustRoots.Add(root);
            }

            var folder = parse.GetValue(data)!.FullName;
            var token = Guard(() => NodeDataFolder.Initialize(folder, options, nameText, TimeProvider.System));
            output.WriteLine($"Node created in {folder}");
            if (serveChaton)
            {
                output.WriteLine($"  Actor: {options.BaseUrl}/actor (@{options.Handle}@{options.PublicUri.Authority})");
            }

            if (runAggregator)
            {
                output.WriteLine($"  Aggregator: {options.BaseUrl}/aggregator (@{options.Aggregator.Handle}@{options.PublicUri.Authority}), directory API {options.BaseUrl}/api/directory/");
                output.WriteLine(roots.Length == 0
                    ? "  Membership: no trust root, admission is not computed (add them under ChatonsFed:Aggregator:Membership:TrustRoots)"
                    : $"  Membership: trust roots {string.Join(", ", roots)}; quorum {options.Aggregator.Membership.Quorum}");
            }

            output.WriteLine($"  Admin credential (shown once, only its hash is kept): {token}");
            if (serveChaton)
            {
                output.WriteLine($"  Owner's web page: {options.BaseUrl}/admin (sign in with this credential, or a password set by 'chatonsfed admin password --data {folder} --password-stdin')");
            }

            output.WriteLine($"  Start it with: chatonsfed serve --data {folder}");
            return 0;
        });
        return command;
    }

    public static Command Serve(TextWriter output, TextWriter error)
    {
        var data = DataOption();
        var urls = new Option<string>("--urls") { Description = $"Addresses to listen on, separated by ';' (default {NodeHost.DefaultUrls}). The public URL comes from the settings." };
        var command = new Command("serve", "Run the node until interrupted (Ctrl+C or SIGTERM).")
        {
            data, urls,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var folder = parse.GetValue(data)!.FullName;
            var node = await GuardAsync(() => HostRoles.StartAsync(folder, parse.GetValue(urls), cancellationToken));
            await using (node)
            {
                var roles = node.Options.ServeChaton ? $"{node.Options.BaseUrl}/actor" : string.Empty;
                if (node.Options.Aggregator.Enabled)
                {
                    roles += (roles.Length > 0 ? " and " : string.Empty) + $"the directory {node.Options.BaseUrl}/api/directory/";
                }

                await output.WriteLineAsync($"chatonsfed: serving {roles} on {node.Address}");
                await error.FlushAsync(cancellationToken);
                try
                {
                    // Ends on SIGTERM/Ctrl+C, whichever of the host and the command line sees the signal first.
                    await node.WaitForShutdownAsync(cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    // Interrupted: stop cleanly.
                }
            }

            return 0;
        });
        return command;
    }

    /// <summary>Turns the library's refusals into one-line command-line errors.</summary>
    public static T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (OptionsValidationException ex)
        {
            throw SettingsRefused(ex);
        }
        catch (Exception ex) when (ex is NodeInputException or InvalidFieldException)
        {
            throw new CliException(FieldFlags.InMessage(ex.Message));
        }
    }

    /// <summary>One line per wrong setting, each naming it.</summary>
    private static CliException SettingsRefused(OptionsValidationException refusal) => new(string.Join('\n', refusal.Failures));

    public static async Task<T> GuardAsync<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (OptionsValidationException ex)
        {
            throw SettingsRefused(ex);
        }
        catch (Exception ex) when (ex is NodeInputException or InvalidFieldException)
        {
            throw new CliException(FieldFlags.InMessage(ex.Message));
        }
        catch (Microsoft.AspNetCore.Connections.AddressInUseException ex)
        {
            throw new CliException($"cannot listen: {ex.Message}; choose another address with --urls");
        }
    }
}
