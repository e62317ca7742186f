using ChatonsFed.Protocol.Keys;

namespace ChatonsFed.Hosting;

/// <summary>
/// The data folder's two key pairs, read from DIR/keys: Ed25519 for object proofs, RSA-2048 for HTTP signatures.
/// The chaton node's actor and the aggregator's publish and sign with the same keys. File names match
/// <c>chatonsfed keygen</c>; private files are created owner-only (0600).
/// </summary>
public sealed class HostKeys : IDisposable
{
    public const string Ed25519Private = "ed25519-private.pem";
    public const string Ed25519Public = "ed25519-public.pem";
    public const string Ed25519PublicMultibase = "ed25519-public.multibase";
    public const string RsaPrivate = "rsa-private.pem";
    public const string RsaPublic = "rsa-public.pem";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    // DER prefixes checked when the files are read, before any crypto library is loaded: an Ed25519 PKCS#8 key
    // (RFC 8410: version 0, algorithm 1.3.101.112, a 32-byte seed) and the rsaEncryption OID (1.2.840.113549.1.1.1).
    private static readonly byte[] Ed25519Pkcs8Prefix = Convert.FromHexString("302e020100300506032b657004220420");
    private static readonly byte[] RsaEncryptionOid = Convert.FromHexString("06092a864886f70d010101");

    private readonly Lazy<Ed25519KeyPair> _ed25519;
    private readonly Lazy<RsaKeyPair> _rsa;

    private HostKeys(Ed25519KeyPair ed25519, RsaKeyPair rsa)
    {
        _ed25519 = new Lazy<Ed25519KeyPair>(ed25519);
        _rsa = new Lazy<RsaKeyPair>(rsa);
    }

    private HostKeys(Lazy<Ed25519KeyPair> ed25519, Lazy<RsaKeyPair> rsa)
    {
        _ed25519 = ed25519;
        _rsa = rsa;
    }

    /// <summary>
    /// The Ed25519 key pair. Like <see cref="Rsa"/>, a loaded node imports it on first use (the first document it
    /// signs): the files are checked when read, but an idle node that signs nothing never loads the crypto libraries,
    /// which are a tenth of its resident memory.
    /// </summary>
    public Ed25519KeyPair Ed25519 => _ed25519.Value;

    /// <summary>The RSA key pair, imported on first use (the first signed request).</summary>
    public RsaKeyPair Rsa => _rsa.Value;

    public static bool Exist(string folder) => File.Exists(Path.Combine(folder, Ed25519Private)) || File.Exists(Path.Combine(folder, RsaPrivate));

    /// <summary>Creates both key pairs in <paramref name="folder"/>, which must not hold keys yet.</summary>
    public static HostKeys Create(string folder)
    {
        if (Exist(folder))
        {
            throw new IOException($"{folder} already holds keys; keys are never overwritten");
        }

        System.IO.Directory.CreateDirectory(folder);
        var ed = Ed25519KeyPair.Generate(allowSeedExport: true);
        var rsa = RsaKeyPair.Generate();
        Write(folder, ed, rsa);
        return new HostKeys(ed, rsa);
    }

    public static HostKeys Load(string folder)
    {
        var edPath = Path.Combine(folder, Ed25519Private);
        var rsaPath = Path.Combine(folder, RsaPrivate);
        if (!File.Exists(edPath) || !File.Exists(rsaPath))
        {
            throw new IOException($"{folder} lacks {Ed25519Private} or {RsaPrivate}; is this a data folder made by 'chatonsfed init'?");
        }

        var edPem = File.ReadAllText(edPath);
        var rsaPem = File.ReadAllText(rsaPath);
        Check(edPath, edPem, "PRIVATE KEY", der => der.Length == Ed25519Pkcs8Prefix.Length + 32 && der.AsSpan().StartsWith(Ed25519Pkcs8Prefix), "an Ed25519 PKCS#8 private key");
        Check(rsaPath, rsaPem, "PRIVATE KEY", der => der.AsSpan().IndexOf(RsaEncryptionOid) is > 0 and < 16, "an RSA PKCS#8 private key");
        return new HostKeys(
            new Lazy<Ed25519KeyPair>(() => Ed25519KeyPair.TryFromPkcs8Pem(edPem, out var ed, out var error) ? ed : throw new IOException($"{edPath}: {error}")),
            new Lazy<RsaKeyPair>(() => RsaKeyPair.TryFromPkcs8Pem(rsaPem, out var rsa, out var error) ? rsa : throw new IOException($"{rsaPath}: {error}")));
    }

    private static void Check(string path, string pem, string label, Func<byte[], bool> shape, string expected)
    {
        if (!PemText.TryRead(pem, out var found, out var der, out var error))
        {
            throw new IOException($"{path}: {error}");
        }

        try
        {
            if (found != label || !shape(der))
            {
                throw new IOException($"{path}: not {expected}; restore the file from a backup, or rotate the keys with 'chatonsfed keys rotate'");
            }
        }
        finally
        {
            Array.Clear(der);
        }
    }

    /// <summary>
    /// Moves the current keys to a dated sub-folder (kept, owner-only, so the old key can still sign the
    /// announcing Update) and writes new ones. Returns the new keys; the caller still owns the old ones.
    /// </summary>
    public static HostKeys Rotate(string folder, TimeProvider time)
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
        if (_ed25519.IsValueCreated)
        {
            _ed25519.Value.Dispose();
        }

        if (_rsa.IsValueCreated)
        {
            _rsa.Value.Dispose();
        }
    }
}
