using ChatonsFed.Hosting;
using ChatonsFed.Protocol.Keys;

namespace ChatonsFed.Cli.Commands;

/// <summary>Key files for the command line: a new pair written as a node keeps them, and a private key read back for signing.</summary>
internal static class KeyFiles
{
    public static (string Ed25519PublicMultibase, string RsaPublicMultibase) Create(string folder)
    {
        var names = new[] { HostKeys.Ed25519Private, HostKeys.Ed25519Public, HostKeys.Ed25519PublicMultibase, HostKeys.RsaPrivate, HostKeys.RsaPublic };
        var existing = names.Where(n => File.Exists(Path.Combine(folder, n))).ToList();
        if (existing.Count > 0)
        {
            throw new CliException($"{Path.Combine(folder, existing[0])} already exists; keys are never overwritten (use another folder, or 'keys rotate' on a node)");
        }

        using var keys = HostKeys.Create(folder);
        return (keys.Ed25519.PublicKey.ToMultibase(), keys.Rsa.PublicKey.ToMultibase());
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
}
