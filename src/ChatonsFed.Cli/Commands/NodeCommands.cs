using System.CommandLine;
using ChatonsFed.Server.Admin;
using ChatonsFed.Server.Configuration;
using ChatonsFed.Server.Hosting;
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
        var handle = new Option<string>("--handle") { Description = "The account name, the NAME in @NAME@HOST.", Required = true };
        var name = new Option<string>("--name") { Description = "The chaton's display name.", Required = true };
        var allowPrivate = new Option<bool>("--allow-private-network") { Description = "Allow plain http and loopback or private addresses (local tests only; kept in the settings)." };
        var command = new Command("init", "Create a node's data folder: settings, keys, database with the initial profile, and the owner's admin credential.")
        {
            data, url, handle, name, allowPrivate,
        };
        command.SetAction(parse =>
        {
            var options = new NodeOptions
            {
                PublicUrl = parse.GetValue(url)!,
                Handle = parse.GetValue(handle)!,
                AllowPrivateNetwork = parse.GetValue(allowPrivate),
            };
            var folder = parse.GetValue(data)!.FullName;
            var token = Guard(() => NodeDataFolder.Initialize(folder, options, parse.GetValue(name)!, TimeProvider.System));
            output.WriteLine($"Node created in {folder}");
            output.WriteLine($"  Actor: {options.BaseUrl}/actor (@{options.Handle}@{options.PublicUri.Authority})");
            output.WriteLine($"  Admin credential (shown once, only its hash is kept): {token}");
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
            var node = await GuardAsync(() => NodeHost.StartAsync(folder, parse.GetValue(urls), cancellationToken));
            await using (node)
            {
                await output.WriteLineAsync($"chatonsfed: serving {node.Options.BaseUrl}/actor on {node.Address}");
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
            throw new CliException(string.Join("; ", ex.Failures));
        }
        catch (NodeInputException ex)
        {
            throw new CliException(ex.Message);
        }
    }

    public static async Task<T> GuardAsync<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (OptionsValidationException ex)
        {
            throw new CliException(string.Join("; ", ex.Failures));
        }
        catch (NodeInputException ex)
        {
            throw new CliException(ex.Message);
        }
        catch (Microsoft.AspNetCore.Connections.AddressInUseException ex)
        {
            throw new CliException($"cannot listen: {ex.Message}; choose another address with --urls");
        }
    }
}
