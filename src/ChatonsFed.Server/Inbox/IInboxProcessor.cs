using System.Text.Json;
using ChatonsFed.Federation.Inbox;
using ChatonsFed.Protocol.HttpSignatures;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;

namespace ChatonsFed.Server.Inbox;

/// <summary>What the inbox answers: a status code and a reason in plain text.</summary>
public sealed record InboxOutcome(int StatusCode, string Reason)
{
    public static InboxOutcome Accepted(string reason = "accepted") => new(StatusCodes.Status202Accepted, reason);

    public static InboxOutcome Unauthorized(string reason) => new(StatusCodes.Status401Unauthorized, reason);

    public static InboxOutcome BadRequest(string reason) => new(StatusCodes.Status400BadRequest, reason);

    public static InboxOutcome Conflict(string reason) => new(StatusCodes.Status409Conflict, reason);

    /// <summary>Checks the request's HTTP signature (or the activity's proof); null when it holds, else the answer that refuses it.</summary>
    public static async Task<(InboxVerification Verification, InboxOutcome? Refusal)> VerifyAsync(InboxRequestVerifier verifier, HttpRequest request, byte[] body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(request);
        var headers = new HeaderFields(request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? string.Empty))));
        var verification = await verifier.VerifyAsync(new HttpRequestSnapshot(request.Method, request.GetEncodedUrl(), headers, body), cancellationToken);
        return (verification, verification.IsValid ? null : new InboxOutcome(verification.StatusCode, verification.Reason ?? verification.Failure.ToString()));
    }
}

/// <summary>Checks a received activity's signature and applies it.</summary>
public interface IInboxProcessor
{
    Task<InboxOutcome> ProcessAsync(HttpRequest request, byte[] body, JsonElement activity, CancellationToken cancellationToken);
}
