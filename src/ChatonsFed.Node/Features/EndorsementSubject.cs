using System.Text.Json;
using System.Text.Json.Nodes;
using ChatonsFed.Federation.Discovery;
using ChatonsFed.Federation.Http;
using ChatonsFed.Hosting;
using ChatonsFed.Protocol;
using ChatonsFed.Protocol.Discovery;
using ChatonsFed.Protocol.Proofs;
using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Node.Features;

/// <summary>
/// The chaton a credential is about, as found and checked before it is endorsed: its actor and its charter attestation,
/// fetched from its origin, each verified as an aggregator verifies them before listing a chaton.
/// </summary>
/// <param name="Inbox">Where activities for the subject go: its shared inbox when it has one, else its inbox.</param>
public sealed record EndorsementSubject(string ActorId, JsonObject Actor, string? Inbox, string AttestationId, JsonObject Attestation, string CharterVersion, string? CharterDigest);

/// <summary>
/// Finds the subject of an endorsement from what the owner typed (an actor URL, <c>acct:NAME@HOST</c> or
/// <c>@NAME@HOST</c>, the port included) and checks it: an <c>Organization</c> whose context defines the chatons terms,
/// with a <c>structureType</c>, verified by its own <c>assertionMethod</c> key, and a charter attestation on its
/// origin, attributed to it and verified by the same key. Every refusal is a <see cref="NodeInputException"/> with one
/// line saying why. Every request goes through the node's <see cref="ActivityPubClient"/> (its address policy and limits).
/// </summary>
public sealed class SubjectFinder(ActivityPubClient client)
{
    /// <summary>The largest actor or attestation accepted, as an aggregator accepts them.</summary>
    public const int MaxDocumentBytes = 256 * 1024;

    private const string StructureTypeIri = ChatonsContext.Namespace + "structureType";

    /// <summary>Finds and checks the subject named by <paramref name="address"/>; <paramref name="self"/> is the node's own actor, which is refused.</summary>
    /// <exception cref="NodeInputException">The subject is this node, cannot be found, is not a chaton, or has no verified attestation.</exception>
    public async Task<EndorsementSubject> FindAsync(string address, SelfAddress self, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(self);
        var text = address?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            throw new NodeInputException("the subject is missing: give its actor URL, acct:NAME@HOST or @NAME@HOST");
        }

        if (self.IsNamedBy(text))
        {
            throw new NodeInputException($"{text} is this chaton itself; a chaton cannot endorse itself");
        }

        var found = await new ActorLocator(client).LocateAsync(text, cancellationToken).ConfigureAwait(false);
        if (!found.IsFound)
        {
            throw new NodeInputException($"the subject {text} cannot be found: {found.Reason}");
        }

        var actorId = found.ActorId!.AbsoluteUri;
        if (actorId == self.ActorId)
        {
            throw new NodeInputException($"{text} is this chaton itself ({actorId}); a chaton cannot endorse itself");
        }

        var actor = found.Actor!;
        var (organization, notChaton) = CheckActor(found.ActorFetch!.Body.Span, actor, actorId);
        if (organization is null)
        {
            throw new NodeInputException($"{actorId} is not a chaton: {notChaton}");
        }

        var attestationUrl = organization.CharterAttestation?.Id;
        if (!ProofVerifier.TryParseHttpUrl(attestationUrl, out var attestationUri))
        {
            throw new NodeInputException($"{actorId} has no verified charter attestation: its actor links none");
        }

        if (!ProofVerifier.SameOrigin(attestationUri, found.ActorId))
        {
            throw new NodeInputException($"{actorId} has no verified charter attestation: {attestationUrl} is not on the actor's origin");
        }

        var fetch = await client.FetchObjectAsync(attestationUri, cancellationToken).ConfigureAwait(false);
        if (!fetch.IsOk)
        {
            throw new NodeInputException($"{actorId} has no verified charter attestation: {fetch.Reason}");
        }

        var (attestation, refusal) = CheckAttestation(fetch.Body.Span, fetch.Document!, actor, actorId);
        if (attestation is null)
        {
            throw new NodeInputException($"{actorId} has no verified charter attestation: {refusal}");
        }

        return new EndorsementSubject(actorId, actor, InboxOf(actor), attestation.Id!, fetch.Document!, attestation.Charter!.Version!, attestation.Charter.Digest);
    }

    /// <summary>
    /// The actor (its bytes as received, and parsed) when it is a chaton's: an <c>Organization</c> at
    /// <paramref name="expectedId"/> with the chatons terms, verified by its own key; else why not.
    /// </summary>
    public static (Organization? Actor, string? Refusal) CheckActor(ReadOnlySpan<byte> received, JsonObject actor, string expectedId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (parsed, unreadable) = Read(received);
        var refusal = parsed switch
        {
            null => "its actor " + unreadable,
            not Organization => $"its actor is a {TypeName(parsed)}, not an Organization",
            Organization { Id: var id } when id != expectedId => $"its actor claims the id {id ?? "(none)"}",
            Organization { StructureType: null or "" } => "its actor has no structureType",
            _ when !DefinesStructureType(actor["@context"]) => $"its actor's @context does not define structureType as {StructureTypeIri}",
            _ => ProofVerifier.Verify(actor, actor) is { IsValid: false } proof ? "its actor's proof does not verify: " + proof.Failure : null,
        };
        return refusal is null ? ((Organization)parsed!, null) : (null, refusal);
    }

    /// <summary>
    /// The attestation (its bytes as received, and parsed) when it is a <c>CharterAttestation</c> on the actor's origin,
    /// attributed to the actor alone, naming a charter version, and verified by the actor's key; else why not.
    /// </summary>
    public static (CharterAttestation? Attestation, string? Refusal) CheckAttestation(ReadOnlySpan<byte> received, JsonObject document, JsonObject actor, string actorId)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(actor);
        var (parsed, unreadable) = Read(received);
        if (parsed is null)
        {
            return (null, "it " + unreadable);
        }

        if (parsed is not CharterAttestation attestation)
        {
            return (null, $"the document is a {TypeName(parsed)}, not a CharterAttestation");
        }

        if (!ProofVerifier.TryParseHttpUrl(attestation.Id, out var id) || !ProofVerifier.SameOrigin(id, new Uri(actorId)))
        {
            return (null, $"its id {attestation.Id ?? "(none)"} is not an http(s) URL on the actor's origin");
        }

        if (!ProofVerifier.TryGetOwnerId(document, out var owner, out var ownerFailure) || owner != actorId)
        {
            return (null, ownerFailure ?? $"it is attributed to {owner}, not to {actorId}");
        }

        if (string.IsNullOrEmpty(attestation.Charter?.Version))
        {
            return (null, "it names no charter version");
        }

        var proof = ProofVerifier.Verify(document, actor);
        return proof.IsValid ? (attestation, null) : (null, "its proof does not verify: " + proof.Failure);
    }

    /// <summary>The document read as ActivityStreams, or (null and) why it cannot be: too large, or not readable.</summary>
    private static (JsonLdNode? Parsed, string? Problem) Read(ReadOnlySpan<byte> received)
    {
        if (received.Length > MaxDocumentBytes)
        {
            return (null, $"is {received.Length} bytes, more than the {MaxDocumentBytes} accepted");
        }

        try
        {
            return (ActivityStreamsJson.Parse(received), null);
        }
        catch (Exception e) when (e is JsonException or ProtocolFormatException)
        {
            return (null, "cannot be read: " + e.Message);
        }
    }

    /// <summary>The shared inbox of <paramref name="actor"/> when it has one, else its inbox; null when it has neither as an http(s) URL.</summary>
    public static string? InboxOf(JsonObject actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var shared = actor["endpoints"] is JsonObject endpoints ? Text(endpoints["sharedInbox"]) : null;
        var inbox = ProofVerifier.TryParseHttpUrl(shared, out _) ? shared : Text(actor["inbox"]);
        return ProofVerifier.TryParseHttpUrl(inbox, out _) ? inbox : null;
    }

    /// <summary>Whether the <c>@context</c> defines <c>structureType</c> as the chatons term, directly or through the <c>chatons</c> prefix.</summary>
    private static bool DefinesStructureType(JsonNode? context)
    {
        var terms = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var item in context is JsonArray array ? [.. array] : new[] { context })
        {
            if (item is JsonObject definitions)
            {
                foreach (var (term, definition) in definitions)
                {
                    terms[term] = definition;
                }
            }
        }

        var iri = terms.GetValueOrDefault("structureType") switch
        {
            JsonObject definition => Text(definition["@id"]),
            var definition => Text(definition),
        };
        if (iri is not null && iri.StartsWith("chatons:", StringComparison.Ordinal) && Text(terms.GetValueOrDefault("chatons")) is { } prefix)
        {
            iri = prefix + iri["chatons:".Length..];
        }

        return iri == StructureTypeIri;
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string TypeName(JsonLdNode node) => node.Type is { Count: > 0 } type ? string.Join("/", type) : "document without type";
}

/// <summary>How the node's own actor is written, so that an endorsement of itself is refused before any request.</summary>
public sealed record SelfAddress(string ActorId, string Handle, string Authority)
{
    /// <summary>Whether <paramref name="text"/> is the node's actor URL or its account handle (any form).</summary>
    public bool IsNamedBy(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Contains("://", StringComparison.Ordinal))
        {
            return Uri.TryCreate(text, UriKind.Absolute, out var url) && url.GetLeftPart(UriPartial.Query) == ActorId;
        }

        return AccountHandle.TryParse(text, out var handle, out _)
            && handle.Name.Equals(Handle, StringComparison.OrdinalIgnoreCase)
            && handle.Host.Equals(Authority, StringComparison.OrdinalIgnoreCase);
    }
}
