using System.CommandLine;
using ChatonsFed.Cli.Demo;

namespace ChatonsFed.Cli.Commands;

/// <summary><c>chatonsfed demo</c>: the whole system on one machine (see <see cref="DemoFederation"/>).</summary>
internal static class DemoCommand
{
    public static Command Create(TextWriter output)
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Make the demo's data folders in DIR (new or empty) and keep them on exit, instead of a temporary folder." };
        var keep = new Option<bool>("--keep") { Description = "Keep the temporary data folder on exit." };
        var command = new Command(
            "demo",
            "Run a demo federation on loopback addresses (127.0.0.1, 127.0.0.2, …): chaton nodes made from the collective's ChatonsInfos samples and an aggregator following them. Stops on Ctrl-C or SIGTERM.")
        {
            data, keep,
        };
        command.SetAction((parse, cancellationToken) => DemoFederation.RunAsync(parse.GetValue(data), parse.GetValue(keep), output, cancellationToken));
        return command;
    }
}
