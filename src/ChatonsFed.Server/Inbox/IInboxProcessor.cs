using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Server.Inbox;

/// <summary>What the inbox answers: a status code and a reason in plain text.</summary>
public sealed record InboxOutcome(int StatusCode, string Reason)
{
    public static InboxOutcome Accepted(string reason = "accepted") => new(StatusCodes.Status202Accepted, reason);

    public static InboxOutcome Unauthorized(string reason) => new(StatusCodes.Status401Unauthorized, reason);

    public static InboxOutcome BadRequest(string reason) => new(StatusCodes.Status400BadRequest, reason);

    public static InboxOutcome Conflict(string reason) => new(StatusCodes.Status409Conflict, reason);
}

/// <summary>Checks a received activity's signature and applies it.</summary>
public interface IInboxProcessor
{
    Task<InboxOutcome> ProcessAsync(HttpRequest request, byte[] body, JsonElement activity, CancellationToken cancellationToken);
}
