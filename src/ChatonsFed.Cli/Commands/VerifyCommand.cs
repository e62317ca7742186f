using System.CommandLine;
using ChatonsFed.Protocol.Proofs;

namespace ChatonsFed.Cli.Commands;

/// <summary><c>chatonsfed verify FILE.json [--actor ACTOR.json]</c>: checks a document's proof against its owner's keys.</summary>
internal static class VerifyCommand
{
    /// <summary>Exit code when the document was read but its proof does not hold.</summary>
    public const int Invalid = 1;

    public static Command Create(TextWriter output)
    {
        var actor = new Option<FileInfo>("--actor")
        {
            Description = "The owner actor's document (its assertionMethod lists the signing key). Not needed when FILE is the actor itself.",
        };
        var file = new Argument<string>("FILE.json") { Description = "The signed JSON document to check." };
        var command = new Command("verify", "Check a document's eddsa-jcs-2022 proof (FEP-8b32): prints 'valid' (exit 0) or 'invalid: <reason>' (exit 1).")
        {
            actor, file,
        };
        command.SetAction(parse =>
        {
            var target = parse.GetValue(file)!;
            if (Uri.TryCreate(target, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            {
                throw new CliException("verifying a URL needs the node's fetcher, which this build does not have yet; save the document and its actor to files and pass them");
            }

            var document = JsonFiles.ReadObject(target);
            var actorFile = parse.GetValue(actor);
            var owner = actorFile is null ? document : JsonFiles.ReadObject(actorFile.FullName);
            var result = ProofVerifier.Verify(document, owner);
            output.WriteLine(result.ToString());
            return result.IsValid ? 0 : Invalid;
        });
        return command;
    }
}
