using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Hosting.Operations;
using ChatonsFed.Hosting.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatonsFed.Hosting.Admin;

/// <summary>Where the owner's admin API lives, and the authorization policy that guards every admin endpoint.</summary>
public static class AdminApi
{
    public const string Prefix = "/api/admin";

    public const string Policy = "owner";
}

/// <summary>
/// The admin tokens accepted by this run: the owner's credential (its hash is in the store) and a token
/// made for this run only, written to DIR/run/admin.json for the local command line.
/// </summary>
public sealed class AdminTokens
{
    private readonly Lazy<byte[]> _runTokenHash;

    public AdminTokens()
    {
        RunToken = "cfrun_" + Base64Url.EncodeToString(SystemRandom.GetBytes(32));
        // Hashed on the first admin request: a node nobody administers never loads the crypto library.
        _runTokenHash = new Lazy<byte[]>(() => SHA256.HashData(Encoding.UTF8.GetBytes(RunToken)));
    }

    public string RunToken { get; }

    private byte[] RunTokenHash => _runTokenHash.Value;

    /// <summary>The token a request presents (<c>Authorization: Bearer TOKEN</c>), or null when it presents none in that form.</summary>
    public static string? PresentedBy(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }

    /// <summary>Whether <paramref name="presented"/> is this run's token (compared in constant time).</summary>
    public bool IsRunToken(string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), RunTokenHash);

    /// <summary>Compares hashes in constant time; both candidates are always compared, so timing tells nothing.</summary>
    public bool Accepts(string presented, DataStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var ownerMatch = IsOwnerCredential(presented ?? string.Empty, store.AdminCredentials.FindById(1));
        var runMatch = CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented ?? string.Empty)), RunTokenHash);
        return ownerMatch | runMatch;
    }

    /// <summary>Whether <paramref name="presented"/> is the owner's credential, whose hash <paramref name="record"/> holds (compared in constant time).</summary>
    public static bool IsOwnerCredential(string presented, AdminCredentialRecord? record)
    {
        ArgumentNullException.ThrowIfNull(presented);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var owner = record?.TokenHash;
        var usable = owner is { Length: 64 };
        var ownerHash = usable ? Convert.FromHexString(owner!) : new byte[32];
        return usable & CryptographicOperations.FixedTimeEquals(hash, ownerHash);
    }
}

/// <summary>
/// Counts failed admin authentications per client address (<see cref="ClientAddress"/>: the real client behind a known
/// proxy) within a minute.
/// </summary>
public sealed class AdminFailureTracker(IOptions<NodeOptions> options, TimeProvider time)
{
    /// <summary>Past this many addresses, those whose minute is over are forgotten: failures from many addresses take bounded memory.</summary>
    private const int MaxAddresses = 10_000;

    private readonly FixedWindows _failures = new(MaxAddresses);

    public void RecordFailure(string address) => _failures.Add(address, Now);

    /// <summary>Seconds until the address may try again, or 0 when it may now.</summary>
    public int RetryAfter(string address) => _failures.RetryAfter(address, options.Value.AdminFailuresPerMinute, Now);

    private long Now => time.GetUtcNow().ToUnixTimeSeconds();
}

/// <summary>Bearer-token authentication for the owner's admin API.</summary>
public sealed class AdminTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AdminTokens tokens,
    DataStore store,
    AdminFailureTracker failures,
    LogThrottle throttle)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AdminToken";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Headers.Authorization.ToString().Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var presented = AdminTokens.PresentedBy(Request);
        if (presented is null || !tokens.Accepts(presented, store))
        {
            // The log names the client and why, never what it presented.
            var client = ClientAddress.Of(Context);
            failures.RecordFailure(client);
            var reason = presented is null ? "the Authorization header is not 'Bearer TOKEN'" : "the admin token is not valid";
            if (throttle.Allows(Logger, AdminLog.SignInFailedKind))
            {
                AdminLog.SignInFailed(Logger, client, Request.Method, Request.Path, reason);
            }

            return Task.FromResult(AuthenticateResult.Fail(reason));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "owner")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"chatonsfed-admin\"";
        Response.ContentType = "text/plain; charset=utf-8";
        var reason = Request.Headers.Authorization.Count == 0
            ? "an admin token is required: send 'Authorization: Bearer TOKEN' (the credential printed by 'chatonsfed init')"
            : "the admin token is not valid";
        await Response.WriteAsync(reason);
    }
}
