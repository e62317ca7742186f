using ChatonsFed.Federation.Inbox;
using ChatonsFed.Federation.Keys;
using ChatonsFed.Protocol.HttpSignatures;
using ChatonsFed.Protocol.Vocabulary;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;

namespace ChatonsFed.Hosting.Inbox;

/// <summary>What the inbox answers: a status code and a reason in plain text (and, for 429 or 503, the seconds to wait).</summary>
public sealed record InboxOutcome(int StatusCode, string Reason)
{
    /// <summary>Sent as Retry-After, in seconds.</summary>
    public int? RetryAfter { get; init; }

    public static InboxOutcome Accepted(string reason = "accepted") => new(StatusCodes.Status202Accepted, reason);

    public static InboxOutcome Unauthorized(string reason) => new(StatusCodes.Status401Unauthorized, reason);

    public static InboxOutcome BadRequest(string reason) => new(StatusCodes.Status400BadRequest, reason);

    public static InboxOutcome Conflict(string reason) => new(StatusCodes.Status409Conflict, reason);

    /// <summary>
    /// Checks the request's HTTP signature (or the activity's proof); null when it holds and its actor's host is within
    /// its rate (<see cref="InboxAdmission"/>), else the answer that refuses it.
    /// </summary>
    public static async Task<(InboxVerification Verification, InboxOutcome? Refusal)> VerifyAsync(InboxRequestVerifier verifier, HttpRequest request, InboxDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(document);
        var headers = new HeaderFields(request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? string.Empty))));
        var verification = await verifier.VerifyAsync(new HttpRequestSnapshot(request.Method, request.GetEncodedUrl(), headers, document.Body), document, cancellationToken);
        if (verification.IsValid)
        {
            var admission = request.HttpContext.Features.Get<InboxAdmission>();
            var wait = admission?.Verified(verification.ActorId!) ?? 0;
            return (verification, wait == 0 ? null
                : new InboxOutcome(StatusCodes.Status429TooManyRequests, $"too many requests from {admission!.VerifiedHost}; retry after {wait} s") { RetryAfter = wait });
        }

        return (verification, GoneSignersOwnDelete(verification, document) is not null
            ? Accepted("the signer's actor is gone from its origin (404/410): its Delete needs no signature check and changes nothing more here")
            : new InboxOutcome(verification.StatusCode, verification.Reason ?? verification.Failure.ToString())
            {
                RetryAfter = verification.RetryAfter is { } later ? RemoteKeyResolver.RetrySeconds(later) : null,
            });
    }

    /// <summary>
    /// A Delete of an actor by itself, signed with a key that its own origin now answers 404 or 410 for. Mastodon sends
    /// these to every server that knew a deleted account; the signature cannot be checked any more, but the origin has
    /// just said the actor is gone, which is all the Delete says. Such a request is acknowledged rather than refused.
    /// Returns that actor's id, or null when the request is not such a Delete.
    /// </summary>
    public static string? GoneSignersOwnDelete(InboxVerification verification, InboxDocument document)
    {
        ArgumentNullException.ThrowIfNull(verification);
        ArgumentNullException.ThrowIfNull(document);
        if (!verification.SignerGone || document.Activity is not Delete delete || verification.KeyId is not { } keyId)
        {
            return null;
        }

        // The actor given by id only, as Mastodon sends it; the object by id or embedded.
        var actor = delete.Actor is { WriteAsArray: false, First: { IsEmbedded: false } only } ? only.Id : null;
        var target = InboxDocument.IdOf(delete.Object);
        var keyOwner = keyId.Split('#')[0];
        return actor is not null && actor == target && actor == keyOwner ? actor : null;
    }
}

/// <summary>Checks a received activity's signature and applies it.</summary>
public interface IInboxProcessor
{
    /// <summary>Verifies and applies the activity in <paramref name="document"/>, the request's body parsed once.</summary>
    Task<InboxOutcome> ProcessAsync(HttpRequest request, InboxDocument document, CancellationToken cancellationToken);
}
