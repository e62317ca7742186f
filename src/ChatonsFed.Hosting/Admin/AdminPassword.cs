using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using ChatonsFed.Hosting.Storage;

namespace ChatonsFed.Hosting.Admin;

/// <summary>
/// The password the owner may set for the web page (<c>chatonsfed admin password</c>): at least
/// <see cref="MinLength"/> characters, stored as a PBKDF2-SHA256 hash with a random salt, never in clear. The stored form
/// names its iterations, so that a later version can raise them and still read older hashes.
/// </summary>
public static class AdminPassword
{
    public const int MinLength = 12;

    /// <summary>Longest password taken: a bound on the work one sign-in can ask of the node.</summary>
    public const int MaxLength = 1024;

    public const int Iterations = 600_000;

    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>Hashed instead when no password is set, so that a sign-in takes as long either way.</summary>
    private static readonly Lazy<string> Dummy = new(() => Hash("no password is set for this node"));

    /// <summary>Why <paramref name="password"/> cannot be the owner's password, in one line; null when it can.</summary>
    public static string? Problem(string? password)
    {
        if (string.IsNullOrWhiteSpace(password))
        {
            return $"the password is empty; give one of at least {MinLength} characters";
        }

        var length = password.EnumerateRunes().Count();
        return length < MinLength
            ? string.Create(CultureInfo.InvariantCulture, $"the password has {length} characters; give one of at least {MinLength}")
            : length > MaxLength
                ? string.Create(CultureInfo.InvariantCulture, $"the password has {length} characters; give one of at most {MaxLength}")
                : null;
    }

    /// <summary>The stored form of <paramref name="password"/>: <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c>, salt and hash in base64url.</summary>
    public static string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${Iterations}${Base64Url.EncodeToString(salt)}${Base64Url.EncodeToString(hash)}");
    }

    /// <summary>
    /// Whether <paramref name="presented"/> is the password whose stored form is <paramref name="stored"/>, compared in
    /// constant time. With no password stored (or one this version cannot read) it is false, after the same work.
    /// </summary>
    public static bool Verify(string presented, string? stored)
    {
        ArgumentNullException.ThrowIfNull(presented);
        var usable = TryParse(stored, out var iterations, out var salt, out var expected);
        if (!usable && !TryParse(Dummy.Value, out iterations, out salt, out expected))
        {
            throw new InvalidOperationException("the stand-in password hash cannot be read");
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(presented, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected) & usable;
    }

    /// <summary>
    /// Stores the hash of <paramref name="password"/> and a new session stamp, which ends every web page session signed in
    /// before; fails with <see cref="NodeInputException"/> when the password is refused (see <see cref="Problem"/>).
    /// </summary>
    public static async Task SetAsync(DataStore store, string? password, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        if (Problem(password) is { } problem)
        {
            throw new NodeInputException(problem);
        }

        var hash = Hash(password!);
        await store.WriteLock.WaitAsync(cancellationToken);
        try
        {
            var record = store.AdminCredentials.FindById(1)
                ?? throw new NodeInputException("this data folder has no admin credential; was it made by 'chatonsfed init'?");
            record.PasswordHash = hash;
            record.PasswordSet = time.GetUtcNow();
            record.SessionStamp = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
            store.AdminCredentials.Upsert(record);
        }
        finally
        {
            store.WriteLock.Release();
        }
    }

    private static bool TryParse(string? stored, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = [];
        hash = [];
        var parts = (stored ?? string.Empty).Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < 1)
        {
            return false;
        }

        try
        {
            salt = Base64Url.DecodeFromChars(parts[2]);
            hash = Base64Url.DecodeFromChars(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        return salt.Length > 0 && hash.Length > 0;
    }
}
