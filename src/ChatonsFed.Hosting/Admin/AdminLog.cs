using Microsoft.Extensions.Logging;

namespace ChatonsFed.Hosting.Admin;

/// <summary>
/// The admin API's and the owner's web page's log lines (event ids 5xxx): each names the client's address and the
/// reason, never a token or a password. Those strangers can cause are written through
/// <see cref="Operations.LogThrottle"/>, one kind each, so a flood cannot fill the disk.
/// </summary>
internal static partial class AdminLog
{
    public const string ProxiedKind = "admin request through a proxy refused";

    public const string SignInFailedKind = "admin sign-in failed";

    public const string LockedOutKind = "admin sign-in locked out";

    public const string PageSignInFailedKind = "admin page sign-in failed";

    public const string PageLockedOutKind = "admin page sign-in locked out";

    public const string PageFormRefusedKind = "admin page form refused";

    [LoggerMessage(EventId = 5001, EventName = "AdminProxiedRefused", Level = LogLevel.Warning,
        Message = "Admin request {Method} {Path} from {Client} refused: it came through a proxy ({Evidence}; forwarded for '{ForwardedFor}')")]
    public static partial void ProxiedRefused(ILogger logger, string client, string method, string path, string evidence, string forwardedFor);

    [LoggerMessage(EventId = 5002, EventName = "AdminSignInFailed", Level = LogLevel.Warning,
        Message = "Admin sign-in failed for {Method} {Path} from {Client}: {Reason}")]
    public static partial void SignInFailed(ILogger logger, string client, string method, string path, string reason);

    [LoggerMessage(EventId = 5003, EventName = "AdminLockedOut", Level = LogLevel.Warning,
        Message = "Admin request {Method} {Path} from {Client} refused: too many failed sign-ins from this address, {RetryAfter} s left")]
    public static partial void LockedOut(ILogger logger, string client, string method, string path, int retryAfter);

    [LoggerMessage(EventId = 5004, EventName = "AdminPageSignInFailed", Level = LogLevel.Warning,
        Message = "Admin page sign-in failed from {Client}: {Reason} ({Failures} of {Limit} allowed within {Minutes} min)")]
    public static partial void PageSignInFailed(ILogger logger, string client, string reason, int failures, int limit, int minutes);

    [LoggerMessage(EventId = 5005, EventName = "AdminPageLockedOut", Level = LogLevel.Warning,
        Message = "Admin page sign-in from {Client} refused: too many failed sign-ins from this address, {RetryAfter} s left")]
    public static partial void PageLockedOut(ILogger logger, string client, int retryAfter);

    [LoggerMessage(EventId = 5006, EventName = "AdminPageSignedIn", Level = LogLevel.Information,
        Message = "Admin page signed in from {Client} with the {Method}")]
    public static partial void PageSignedIn(ILogger logger, string client, string method);

    [LoggerMessage(EventId = 5007, EventName = "AdminPageSignedOut", Level = LogLevel.Information,
        Message = "Admin page signed out from {Client}")]
    public static partial void PageSignedOut(ILogger logger, string client);

    [LoggerMessage(EventId = 5008, EventName = "AdminPageFormRefused", Level = LogLevel.Warning,
        Message = "Admin page form {Method} {Path} from {Client} refused: {Reason}")]
    public static partial void PageFormRefused(ILogger logger, string client, string method, string path, string reason);
}
