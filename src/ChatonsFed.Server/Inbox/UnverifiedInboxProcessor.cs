using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Server.Inbox;

/// <summary>Refuses every activity: used while no signature verifier is configured, since nothing unsigned is ever applied.</summary>
public sealed class UnverifiedInboxProcessor : IInboxProcessor
{
    public Task<InboxOutcome> ProcessAsync(HttpRequest request, byte[] body, JsonElement activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var signed = request.Headers.ContainsKey("Signature") || request.Headers.ContainsKey("Signature-Input");
        return Task.FromResult(InboxOutcome.Unauthorized(signed
            ? "this node cannot verify HTTP signatures yet; the activity was not applied"
            : "the request has no HTTP signature; sign it (draft-cavage-12 or RFC 9421)"));
    }
}
