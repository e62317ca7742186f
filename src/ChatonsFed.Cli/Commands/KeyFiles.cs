using ChatonsFed.Protocol.Keys;

namespace ChatonsFed.Cli.Commands;

/// <summary>The key files of a node: names, owner-only permissions on private keys, and reading them back.</summary>
internal static class KeyFiles
{
    public const string Ed25519Private = "ed25519-private.pem";
    public const string Ed25519Public = "ed25519-public.pem";
    public const string Ed25519PublicMultibase = "ed25519-public.multibase";
    public const string RsaPrivate = "rsa-private.pem";
    public const string RsaPublic = "rsa-public.pem";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static (string Ed25519PublicMultibase, string RsaPublicMultibase) Create(string folder)
    {
        var names = new[] { Ed25519Private, Ed25519Public, Ed25519PublicMultibase, RsaPrivate, RsaPublic };
        var existing = names.Where(n => File.Exists(Path.Combine(folder, n))).ToList();
        if (existing.Count > 0)
        {
            throw new CliException($"{Path.Combine(folder, existing[0])} already exists; keys are never overwritten (use another folder, or 'keys rotate' on a node)");
        }

        System.IO.Directory.CreateDirectory(folder);
        using var ed = Ed25519KeyPair.Generate(allowSeedExport: true);
        using var rsa = RsaKeyPair.Generate();

        WritePrivate(Path.Combine(folder, Ed25519Private), ed.ExportPkcs8Pem());
        WritePrivate(Path.Combine(folder, RsaPrivate), rsa.ExportPkcs8Pem());
        File.WriteAllText(Path.Combine(folder, Ed25519Public), ed.PublicKey.ToPem());
        File.WriteAllText(Path.Combine(folder, Ed25519PublicMultibase), ed.PublicKey.ToMultibase() + "\n");
        File.WriteAllText(Path.Combine(folder, RsaPublic), rsa.PublicKey.ToPem());
        return (ed.PublicKey.ToMultibase(), rsa.PublicKey.ToMultibase());
    }

    /// <summary>Reads an Ed25519 private key from a PKCS#8 PEM file or a file holding a multibase seed (<c>z3u2…</c>).</summary>
    public static Ed25519KeyPair ReadEd25519Private(string path)
    {
        var text = ReadText(path).Trim();
        if (text.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            return Ed25519KeyPair.TryFromPkcs8Pem(text, out var pair, out var error)
                ? pair
                : throw new CliException($"{path}: {error}");
        }

        return Ed25519KeyPair.TryFromMultibaseSeed(text, out var fromSeed, out var seedError)
            ? fromSeed
            : throw new CliException($"{path} is neither an Ed25519 PKCS#8 PEM key nor a multibase secret key: {seedError}");
    }

    public static string ReadText(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"{path}: no such file");
        }

        return File.ReadAllText(path);
    }

    private static void WritePrivate(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Created with owner-only permissions from the start, so the key is never readable by others even briefly.
            options.UnixCreateMode = OwnerOnly;
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(content);
    }
}
