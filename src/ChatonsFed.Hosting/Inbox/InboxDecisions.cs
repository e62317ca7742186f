using System.Diagnostics.Metrics;
using ChatonsFed.Federation.Delivery;
using ChatonsFed.Hosting.Operations;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ChatonsFed.Hosting.Inbox;

/// <summary>
/// Records each inbox decision: a log line (event ids 2xxx) and the <c>chatonsfed.inbox.accepted</c> or
/// <c>chatonsfed.inbox.refused</c> counter, tagged <c>activity</c> (the activity's type, or <c>other</c>) and
/// <c>reason</c> (a short fixed word derived from the answer: <c>accepted</c>, <c>rate_limited</c>, <c>too_large</c>,
/// <c>invalid</c>, <c>signature</c>, <c>forbidden</c>, <c>conflict</c>, <c>busy</c> or <c>status_NNN</c>).
/// </summary>
internal static partial class InboxDecisions
{
    private static readonly Meter Meter = new(DeliveryMetrics.MeterName);

    private static readonly Counter<long> Accepted = Meter.CreateCounter<long>("chatonsfed.inbox.accepted", "{activity}", "Activities an inbox accepted, by activity type");

    private static readonly Counter<long> Refused = Meter.CreateCounter<long>("chatonsfed.inbox.refused", "{activity}", "Activities an inbox refused, by activity type and reason");

    /// <summary>The activity types counted by name; any other is counted as <c>other</c>, so the tag's values stay few.</summary>
    private static readonly HashSet<string> KnownTypes = new(StringComparer.Ordinal)
    {
        "Accept", "Add", "Announce", "Block", "Create", "Delete", "Flag", "Follow", "Like", "Move", "Reject", "Remove", "Undo", "Update",
    };

    /// <summary>The activity tag for a type read from the body (null when the body could not be read).</summary>
    public static string ActivityTag(string? type) => type is not null && KnownTypes.Contains(type) ? type : "other";

    /// <summary>The reason tag of an answer's status code.</summary>
    public static string ReasonTag(int statusCode) => statusCode switch
    {
        >= 200 and < 300 => "accepted",
        StatusCodes.Status429TooManyRequests => "rate_limited",
        StatusCodes.Status413PayloadTooLarge => "too_large",
        StatusCodes.Status400BadRequest => "invalid",
        StatusCodes.Status401Unauthorized => "signature",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status409Conflict => "conflict",
        StatusCodes.Status503ServiceUnavailable => "busy",
        _ => "status_" + statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Logs and counts one decision; <paramref name="reason"/> is the answer's text, which names no secret. Refusals are
    /// logged with the client's address, at most <see cref="LogThrottle.LinesPerMinute"/> a minute for each reason.
    /// </summary>
    public static void Record(ILogger logger, LogThrottle throttle, string client, string remoteHost, string? type, int statusCode, string reason)
    {
        var activity = ActivityTag(type);
        var reasonTag = ReasonTag(statusCode);
        if (statusCode is >= 200 and < 300)
        {
            Accepted.Add(1, new KeyValuePair<string, object?>("activity", activity), new KeyValuePair<string, object?>("reason", reasonTag));
            LogAccepted(logger, activity, remoteHost, statusCode, reason);
        }
        else
        {
            Refused.Add(1, new KeyValuePair<string, object?>("activity", activity), new KeyValuePair<string, object?>("reason", reasonTag));
            if (throttle.Allows(logger, "inbox refused: " + reasonTag))
            {
                LogRefused(logger, activity, client, remoteHost, statusCode, reasonTag, reason);
            }
        }
    }

    [LoggerMessage(EventId = 2001, EventName = "InboxAccepted", Level = LogLevel.Information, Message = "Inbox accepted a {Activity} from {RemoteHost} ({Status}): {Reason}")]
    private static partial void LogAccepted(ILogger logger, string activity, string remoteHost, int status, string reason);

    [LoggerMessage(EventId = 2002, EventName = "InboxRefused", Level = LogLevel.Information, Message = "Inbox refused a {Activity} from {Client} (host {RemoteHost}) ({Status}, {ReasonTag}): {Reason}")]
    private static partial void LogRefused(ILogger logger, string activity, string client, string remoteHost, int status, string reasonTag, string reason);
}
