using System.CommandLine;
using System.Text.Json;
using ChatonsFed.Protocol.Proofs;

namespace ChatonsFed.Cli.Commands;

/// <summary><c>chatonsfed sign --key PRIVATE --method URL FILE.json</c>: prints the document with an eddsa-jcs-2022 proof added.</summary>
internal static class SignCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(TextWriter output)
    {
        var key = new Option<FileInfo>("--key")
        {
            Description = "Ed25519 private key: a PKCS#8 PEM file (as 'keygen' writes) or a file holding a multibase secret key (z3u2…).",
            Required = true,
        };
        var method = new Option<string>("--method")
        {
            Description = "The proof's verificationMethod: the key's id in the owner actor's assertionMethod, e.g. https://host/actor#ed25519-key.",
            Required = true,
        };
        var created = new Option<DateTimeOffset?>("--created")
        {
            Description = "The proof's creation time (ISO 8601). Default: now.",
        };
        var file = new Argument<FileInfo>("FILE.json") { Description = "The JSON document to sign. Any existing proof is replaced." };
        var command = new Command("sign", "Add an eddsa-jcs-2022 Data Integrity proof to a JSON document and print it.")
        {
            key, method, created, file,
        };
        command.SetAction(parse =>
        {
            var methodText = parse.GetValue(method)!;
            if (!Uri.TryCreate(methodText, UriKind.Absolute, out var methodUri) || (methodUri.Scheme != Uri.UriSchemeHttps && methodUri.Scheme != Uri.UriSchemeHttp))
            {
                throw new CliException($"--method must be an absolute http(s) URL, not '{methodText}'");
            }

            var document = JsonFiles.ReadObject(parse.GetValue(file)!.FullName);
            document.Remove("proof");
            using var pair = KeyFiles.ReadEd25519Private(parse.GetValue(key)!.FullName);
            var signer = new ProofSigner(pair, methodText, TimeProvider.System);
            var when = parse.GetValue(created) ?? TimeProvider.System.GetUtcNow();
            var signed = signer.Sign(document, when);
            output.WriteLine(signed.ToJsonString(Indented));
            return 0;
        });
        return command;
    }
}
