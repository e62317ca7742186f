using System.CommandLine;
using ChatonsFed.Hosting.Admin;

namespace ChatonsFed.Cli.Commands;

/// <summary>
/// <c>chatonsfed admin password --data D --password-stdin</c>: sets the password of the owner's web page, read from
/// standard input (never from the command line, which other users of the machine can see). Works whether or not the
/// node runs.
/// </summary>
internal static class AdminCommands
{
    public static Command Create(TextReader input, TextWriter output)
    {
        var data = NodeCommands.DataOption();
        var stdin = new Option<bool>("--password-stdin") { Description = "Read the password from standard input (its first line; at least 12 characters)." };
        var password = new Command("password", "Set the password of the owner's web page (/admin); it is stored as a slow salted hash, and every session signed in before ends.")
        {
            data, stdin,
        };
        password.SetAction(async (parse, ct) =>
        {
            if (!parse.GetValue(stdin))
            {
                throw new CliException("give the password on standard input with --password-stdin, e.g. 'chatonsfed admin password --data DIR --password-stdin < file'");
            }

            var text = await ReadPasswordAsync(input, ct);
            if (AdminPassword.Problem(text) is { } problem)
            {
                throw new CliException(problem + "; nothing changed");
            }

            await using var admin = await NodeAdministration.OpenAsync(parse.GetValue(data)!, ct);
            await admin.SetPasswordAsync(text, ct);
            await output.WriteLineAsync($"Password of the web page set ({admin.Mode}); sessions signed in before are ended");
            return 0;
        });
        return new Command("admin", "The owner's access to the node's web page.") { password };
    }

    /// <summary>The first line of <paramref name="input"/>, without its line ending; at most a few kilobytes are read.</summary>
    private static async Task<string> ReadPasswordAsync(TextReader input, CancellationToken cancellationToken)
    {
        var buffer = new char[(AdminPassword.MaxLength * 2) + 2];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await input.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                break;
            }

            length += read;
            if (buffer.AsSpan(0, length).IndexOfAny('\r', '\n') >= 0)
            {
                break;
            }
        }

        var text = new string(buffer, 0, length);
        var end = text.IndexOfAny(['\r', '\n']);
        return end >= 0 ? text[..end] : text;
    }
}
