using ChatonsFed.Protocol.Keys;

namespace ChatonsFed.Server.Hosting;

/// <summary>
/// The node's two key pairs, read from DIR/keys: Ed25519 for object proofs, RSA-2048 for HTTP signatures.
/// File names match <c>chatonsfed keygen</c>; private files are created owner-only (0600).
/// </summary>
public sealed class NodeKeys : IDisposable
{
    public const string Ed25519Private = "ed25519-private.pem";
    public const string Ed25519Public = "ed25519-public.pem";
    public const string Ed25519PublicMultibase = "ed25519-public.multibase";
    public const string RsaPrivate = "rsa-private.pem";
    public const string RsaPublic = "rsa-public.pem";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly Lazy<RsaKeyPair> _rsa;

    private NodeKeys(Ed25519KeyPair ed25519, RsaKeyPair rsa)
    {
        Ed25519 = ed25519;
        _rsa = new Lazy<RsaKeyPair>(rsa);
    }

    private NodeKeys(Ed25519KeyPair ed25519, Lazy<RsaKeyPair> rsa)
    {
        Ed25519 = ed25519;
        _rsa = rsa;
    }

    public Ed25519KeyPair Ed25519 { get; }

    /// <summary>
    /// The RSA key pair. A loaded node reads it on first use (the first signed request): an idle node that signs
    /// nothing never loads OpenSSL's RSA code, which is a tenth of its resident memory.
    /// </summary>
    public RsaKeyPair Rsa => _rsa.Value;

    public static bool Exist(string folder) => File.Exists(Path.Combine(folder, Ed25519Private)) || File.Exists(Path.Combine(folder, RsaPrivate));

    /// <summary>Creates both key pairs in <paramref name="folder"/>, which must not hold keys yet.</summary>
    public static NodeKeys Create(string folder)
    {
        if (Exist(folder))
        {
            throw new IOException($"{folder} already holds keys; keys are never overwritten");
        }

        System.IO.Directory.CreateDirectory(folder);
        var ed = Ed25519KeyPair.Generate(allowSeedExport: true);
        var rsa = RsaKeyPair.Generate();
        Write(folder, ed, rsa);
        return new NodeKeys(ed, rsa);
    }

    public static NodeKeys Load(string folder)
    {
        var edPath = Path.Combine(folder, Ed25519Private);
        var rsaPath = Path.Combine(folder, RsaPrivate);
        if (!File.Exists(edPath) || !File.Exists(rsaPath))
        {
            throw new IOException($"{folder} lacks {Ed25519Private} or {RsaPrivate}; is this a data folder made by 'chatonsfed init'?");
        }

        if (!Ed25519KeyPair.TryFromPkcs8Pem(File.ReadAllText(edPath), out var ed, out var error))
        {
            throw new IOException($"{edPath}: {error}");
        }

        var rsaPem = File.ReadAllText(rsaPath);
        if (!rsaPem.TrimStart().StartsWith("-----BEGIN ", StringComparison.Ordinal) || !rsaPem.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            ed.Dispose();
            throw new IOException($"{rsaPath}: not a PEM private key (-----BEGIN PRIVATE KEY-----)");
        }

        return new NodeKeys(ed, new Lazy<RsaKeyPair>(() => RsaKeyPair.TryFromPkcs8Pem(rsaPem, out var rsa, out var rsaError)
            ? rsa
            : throw new IOException($"{rsaPath}: {rsaError}")));
    }

    /// <summary>
    /// Moves the current keys to a dated sub-folder (kept, owner-only, so the old key can still sign the
    /// announcing Update) and writes new ones. Returns the new keys; the caller still owns the old ones.
    /// </summary>
    public static NodeKeys Rotate(string folder, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var archive = Path.Combine(folder, "retired", time.GetUtcNow().ToString("yyyyMMdd'T'HHmmssfff'Z'", System.Globalization.CultureInfo.InvariantCulture));
        System.IO.Directory.CreateDirectory(archive);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(archive, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        foreach (var name in new[] { Ed25519Private, Ed25519Public, Ed25519PublicMultibase, RsaPrivate, RsaPublic })
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path))
            {
                File.Move(path, Path.Combine(archive, name));
            }
        }

        return Create(folder);
    }

    private static void Write(string folder, Ed25519KeyPair ed, RsaKeyPair rsa)
    {
        WritePrivate(Path.Combine(folder, Ed25519Private), ed.ExportPkcs8Pem());
        WritePrivate(Path.Combine(folder, RsaPrivate), rsa.ExportPkcs8Pem());
        File.WriteAllText(Path.Combine(folder, Ed25519Public), ed.PublicKey.ToPem());
        File.WriteAllText(Path.Combine(folder, Ed25519PublicMultibase), ed.PublicKey.ToMultibase() + "\n");
        File.WriteAllText(Path.Combine(folder, RsaPublic), rsa.PublicKey.ToPem());
    }

    /// <summary>Writes a file that only its owner can read, created with that mode so it is never readable by others even briefly.</summary>
    public static void WritePrivate(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(content);
    }

    public void Dispose()
    {
        Ed25519.Dispose();
        if (_rsa.IsValueCreated)
        {
            _rsa.Value.Dispose();
        }
    }
}
