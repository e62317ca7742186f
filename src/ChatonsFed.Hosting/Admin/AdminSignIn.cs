using System.Security.Claims;
using ChatonsFed.Hosting.Operations;
using ChatonsFed.Hosting.Storage;
using Microsoft.Extensions.Logging;

namespace ChatonsFed.Hosting.Admin;

/// <summary>What a sign-in to the owner's web page came to.</summary>
public enum SignInOutcome
{
    SignedIn,
    Refused,
    LockedOut,
}

/// <summary>A sign-in's outcome; the session's principal when signed in, the seconds to wait when locked out.</summary>
public sealed record SignInAttempt(SignInOutcome Outcome, ClaimsPrincipal? Principal = null, int RetryAfter = 0);

/// <summary>
/// Signs the owner in to the web page with the admin credential <c>chatonsfed init</c> printed, or the password set by
/// <c>chatonsfed admin password</c>. After <see cref="MaxFailures"/> failures from one client address
/// (<see cref="ClientAddress"/>: the real client behind a known proxy) within <see cref="Window"/>, the address is
/// refused for <see cref="Window"/>, whatever it presents. Each failure is logged with the address, never what was presented.
/// </summary>
public sealed class AdminSignIn(DataStore store, TimeProvider time, LogThrottle throttle, ILoggerFactory loggers)
{
    public const int MaxFailures = 5;

    /// <summary>The claim that carries the session stamp (<see cref="AdminCredentialRecord.SessionStamp"/>).</summary>
    public const string SessionClaim = "chatonsfed:session";

    private const int MaxClients = 10_000;

    private readonly SignInFailures _failures = new(MaxFailures, Window, MaxClients);
    private readonly ILogger _logger = loggers.CreateLogger(typeof(AdminSignIn).FullName!);

    public static TimeSpan Window { get; } = TimeSpan.FromMinutes(15);

    /// <summary>Seconds until <paramref name="client"/> may try again, or 0 when it may now.</summary>
    public int RetryAfter(string client) => _failures.RetryAfter(client, time.GetUtcNow());

    /// <summary>Like <see cref="RetryAfter"/>, for a sign-in sent: a refusal is logged.</summary>
    public int Refuses(string client)
    {
        var wait = RetryAfter(client);
        if (wait > 0 && throttle.Allows(_logger, AdminLog.PageLockedOutKind))
        {
            AdminLog.PageLockedOut(_logger, client, wait);
        }

        return wait;
    }

    /// <summary>Checks <paramref name="presented"/> against the credential and the password, unless <paramref name="client"/> is locked out.</summary>
    public SignInAttempt Try(string client, string presented)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(presented);
        if (!_failures.TryBegin(client, time.GetUtcNow(), out var wait))
        {
            if (throttle.Allows(_logger, AdminLog.PageLockedOutKind))
            {
                AdminLog.PageLockedOut(_logger, client, wait);
            }

            return new SignInAttempt(SignInOutcome.LockedOut, RetryAfter: wait);
        }

        var record = store.AdminCredentials.FindById(1);
        // Both are checked whatever the first says, so that the time taken tells nothing; an overlong value is checked as empty.
        var value = presented.Length <= AdminPassword.MaxLength * 4 ? presented : string.Empty;
        var credential = AdminTokens.IsOwnerCredential(value, record);
        var password = AdminPassword.Verify(value, record?.PasswordHash);
        if (credential | password)
        {
            _failures.Succeeded(client);
            var method = credential ? "admin credential" : "password";
            AdminLog.PageSignedIn(_logger, client, method);
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "owner"), new Claim(SessionClaim, record?.SessionStamp ?? string.Empty)], AdminPageSession.Scheme);
            return new SignInAttempt(SignInOutcome.SignedIn, new ClaimsPrincipal(identity));
        }

        var failures = _failures.Failed(client, time.GetUtcNow());
        if (throttle.Allows(_logger, AdminLog.PageSignInFailedKind))
        {
            AdminLog.PageSignInFailed(_logger, client, "neither the admin credential nor the password", failures, MaxFailures, (int)Window.TotalMinutes);
        }

        return new SignInAttempt(SignInOutcome.Refused);
    }

    /// <summary>Whether a session's principal was signed in since the password last changed.</summary>
    public bool IsCurrent(ClaimsPrincipal? principal) =>
        principal?.FindFirst(SessionClaim)?.Value is { } stamp
        && string.Equals(stamp, store.AdminCredentials.FindById(1)?.SessionStamp ?? string.Empty, StringComparison.Ordinal);

    /// <summary>Logs the end of a session.</summary>
    public void SignedOut(string client) => AdminLog.PageSignedOut(_logger, client);

    /// <summary>Logs a form refused for a missing or wrong antiforgery token (or an unreadable body).</summary>
    public void FormRefused(string client, string method, string path, string reason)
    {
        if (throttle.Allows(_logger, AdminLog.PageFormRefusedKind))
        {
            AdminLog.PageFormRefused(_logger, client, method, path, reason);
        }
    }
}
