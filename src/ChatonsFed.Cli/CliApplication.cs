using System.CommandLine;
using ChatonsFed.Cli.Commands;

namespace ChatonsFed.Cli;

/// <summary>Builds the command tree and turns every failure into one line on stderr with a non-zero exit code.</summary>
public static class CliApplication
{
    /// <summary>Exit code for a bad command line or unusable input.</summary>
    public const int UsageError = 2;

    /// <summary>Exit code for a fault in the program itself (reported in one line, like the others).</summary>
    public const int InternalError = 70;

    public static RootCommand BuildRootCommand(TextWriter output, TextWriter? error = null, TextReader? input = null)
    {
        error ??= TextWriter.Null;
        input ??= TextReader.Null;
        var root = new RootCommand("ChatonsFed: the federated directory of the CHATONS collective.");
        root.Subcommands.Add(KeygenCommand.Create(output));
        root.Subcommands.Add(SignCommand.Create(output));
        root.Subcommands.Add(VerifyCommand.Create(output));
        root.Subcommands.Add(NodeCommands.Init(output));
        root.Subcommands.Add(NodeCommands.Serve(output, error));
        foreach (var command in ChangeCommands.Create(output, error))
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(MembershipCommands.Create(output));
        root.Subcommands.Add(AdminCommands.Create(input, output));
        root.Subcommands.Add(ImportChatonsInfosCommand.Create(output, error));
        root.Subcommands.Add(DirectoryCommands.Create(output, error));
        root.Subcommands.Add(DemoCommand.Create(output));
        return root;
    }

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        RunAsync(args, Console.In, output, error, cancellationToken);

    /// <summary>Runs the command line; <paramref name="input"/> is its standard input (read by <c>admin password --password-stdin</c>).</summary>
    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        var root = BuildRootCommand(output, error, input);
        // No response files: an argument starting with '@' is an account handle (@NAME@HOST), not a file to read.
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count > 0)
        {
            var command = parsed.CommandResult.Command;
            var path = command == root ? "chatonsfed" : $"chatonsfed {CommandPath(parsed.CommandResult)}";
            await error.WriteLineAsync($"chatonsfed: {parsed.Errors[0].Message} (see '{path} --help')");
            return UsageError;
        }

        try
        {
            var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = output, Error = error };
            return await parsed.InvokeAsync(config, cancellationToken);
        }
        catch (CliException ex)
        {
            // A message of several lines (one per wrong setting) gets the prefix on each.
            foreach (var line in ex.Message.Split('\n'))
            {
                await error.WriteLineAsync($"chatonsfed: {line}");
            }

            return ex.ExitCode;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("chatonsfed: cancelled");
            return 130;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or System.Text.Json.JsonException)
        {
            await error.WriteLineAsync($"chatonsfed: {OneLine(ex.Message)}");
            return UsageError;
        }
#pragma warning disable CA1031 // The last resort: whatever happened, the user gets one line, never a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await error.WriteLineAsync($"chatonsfed: unexpected error: {OneLine(ex.Message)}");
            return InternalError;
        }
    }

    private static string CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new List<string>();
        for (var r = result; r?.Parent is System.CommandLine.Parsing.CommandResult parent; r = parent)
        {
            names.Insert(0, r.Command.Name);
        }

        return string.Join(' ', names);
    }

    internal static string OneLine(string message) =>
        message.ReplaceLineEndings(" ").Trim();
}
