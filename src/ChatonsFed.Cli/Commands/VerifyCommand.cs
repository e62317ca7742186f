using System.CommandLine;
using ChatonsFed.Federation.Http;
using ChatonsFed.Hosting;
using ChatonsFed.Protocol;
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
        var allowPrivate = new Option<bool>("--allow-private-network")
        {
            Description = "When verifying a URL: allow plain http and loopback or private addresses (local tests only).",
        };
        var file = new Argument<string>("FILE.json|URL")
        {
            Description = "The signed JSON document to check: a file, or an http(s) URL fetched with its owner actor from the owner's own origin.",
        };
        var command = new Command("verify", "Check a document's eddsa-jcs-2022 proof (FEP-8b32): prints 'valid' (exit 0) or 'invalid: <reason>' (exit 1).")
        {
            actor, allowPrivate, file,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var target = parse.GetValue(file)!;
            if (Uri.TryCreate(target, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            {
                if (parse.GetValue(actor) is not null)
                {
                    throw new CliException("--actor goes with a file; for a URL the owner actor is fetched from its own origin");
                }

                var remote = await VerifyUrlAsync(uri, parse.GetValue(allowPrivate), cancellationToken);
                await output.WriteLineAsync(remote.ToString());
                return remote.IsValid ? 0 : Invalid;
            }

            var document = JsonFiles.ReadObject(target);
            var actorFile = parse.GetValue(actor);
            var owner = actorFile is null ? document : JsonFiles.ReadObject(actorFile.FullName);
            var result = ProofVerifier.Verify(document, owner);
            await output.WriteLineAsync(result.ToString());
            return result.IsValid ? 0 : Invalid;
        });
        return command;
    }

    /// <summary>Fetches the document, then its owner from the owner's own origin, behind the same address policy as the node.</summary>
    private static async Task<VerificationResult> VerifyUrlAsync(Uri url, bool allowPrivateNetwork, CancellationToken cancellationToken)
    {
        var options = new OutboundHttpOptions { AllowPrivateNetwork = allowPrivateNetwork, AllowHttp = allowPrivateNetwork };
        using var clients = OutboundClients.Create(options);
        var client = new ActivityPubClient(clients.CreateFederationClient(), options, TimeProvider.System);
        var fetched = await client.FetchObjectAsync(url, cancellationToken);
        if (fetched.Status != FetchStatus.Ok || fetched.Document is null)
        {
            throw new CliException(fetched.Reason ?? $"{url}: {fetched.Error}");
        }

        return await ProofVerifier.VerifyAsync(
            fetched.Document,
            async (actorUrl, ct) => (await client.FetchObjectAsync(actorUrl, ct)).Document,
            cancellationToken);
    }
}
