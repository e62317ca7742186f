using Microsoft.Extensions.Logging;

namespace ChatonsFed.Hosting.Admin;

/// <summary>
/// The admin API's log lines (event ids 5xxx): each names the client's address and the reason, never a token. They are
/// written through <see cref="Operations.LogThrottle"/>, one kind each, so a flood cannot fill the disk.
/// </summary>
internal static partial class AdminLog
{
    public const string ProxiedKind = "admin request through a proxy refused";

    public const string SignInFailedKind = "admin sign-in failed";

    public const string LockedOutKind = "admin sign-in locked out";

    [LoggerMessage(EventId = 5001, EventName = "AdminProxiedRefused", Level = LogLevel.Warning,
        Message = "Admin request {Method} {Path} from {Client} refused: it came through a proxy ({Evidence}; forwarded for '{ForwardedFor}')")]
    public static partial void ProxiedRefused(ILogger logger, string client, string method, string path, string evidence, string forwardedFor);

    [LoggerMessage(EventId = 5002, EventName = "AdminSignInFailed", Level = LogLevel.Warning,
        Message = "Admin sign-in failed for {Method} {Path} from {Client}: {Reason}")]
    public static partial void SignInFailed(ILogger logger, string client, string method, string path, string reason);

    [LoggerMessage(EventId = 5003, EventName = "AdminLockedOut", Level = LogLevel.Warning,
        Message = "Admin request {Method} {Path} from {Client} refused: too many failed sign-ins from this address, {RetryAfter} s left")]
    public static partial void LockedOut(ILogger logger, string client, string method, string path, int retryAfter);
}
