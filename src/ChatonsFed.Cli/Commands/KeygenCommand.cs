using System.CommandLine;

namespace ChatonsFed.Cli.Commands;

/// <summary><c>chatonsfed keygen --out DIR</c>: a new Ed25519 key pair (object proofs) and RSA-2048 key pair (HTTP signatures).</summary>
internal static class KeygenCommand
{
    public static Command Create(TextWriter output)
    {
        var outOption = new Option<DirectoryInfo>("--out")
        {
            Description = "Folder to write the key files to (created if missing). Existing keys are never overwritten.",
            Required = true,
        };
        var command = new Command("keygen", "Create an Ed25519 key pair (object proofs) and an RSA-2048 key pair (HTTP signatures).")
        {
            outOption,
        };
        command.SetAction(parse => Run(parse.GetValue(outOption)!, output));
        return command;
    }

    private static int Run(DirectoryInfo folder, TextWriter output)
    {
        var written = KeyFiles.Create(folder.FullName);
        output.WriteLine($"Keys written to {folder.FullName}");
        output.WriteLine($"  Ed25519 publicKeyMultibase: {written.Ed25519PublicMultibase}");
        output.WriteLine($"  RSA publicKeyMultibase:     {written.RsaPublicMultibase}");
        output.WriteLine("  Private key files are readable by their owner only; keep them out of backups you share.");
        return 0;
    }
}
