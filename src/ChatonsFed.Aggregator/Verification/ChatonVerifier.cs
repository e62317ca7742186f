using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol;
using ChatonsFed.Protocol.Proofs;
using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Aggregator.Verification;

/// <summary>Limits that keep one chaton from filling the directory.</summary>
public sealed record ChatonVerifierOptions
{
    /// <summary>The largest document accepted, in bytes.</summary>
    public int MaxDocumentBytes { get; init; } = 256 * 1024;

    /// <summary>The most services one chaton may list; the rest are refused.</summary>
    public int MaxServices { get; init; } = 100;
}

/// <summary>
/// Decides whether a chaton's documents can be listed: the actor is an <c>Organization</c> with the chatons terms and a
/// valid eddsa-jcs-2022 proof by its own <c>assertionMethod</c> key; every other document is on the actor's origin,
/// owned by the actor, and verifies against the same key. Pure code: no I/O, no clock, no store.
/// </summary>
public sealed class ChatonVerifier
{
    private const string StructureTypeTerm = "structureType";

    private static readonly JsonDocumentOptions ReadOptions = new() { MaxDepth = 64 };

    private readonly ChatonVerifierOptions _options;

    public ChatonVerifier(ChatonVerifierOptions? options = null)
    {
        _options = options ?? new ChatonVerifierOptions();
    }

    /// <summary>
    /// Verifies <paramref name="set"/>. The keys come from the set's own actor unless <paramref name="keyActor"/> is
    /// given: the actor document the caller fetched from the chaton's origin just now. Pass it whenever the set did
    /// not come from that origin (a bundle from another aggregator), so that no copy vouches for itself.
    /// </summary>
    public ChatonVerification Verify(ChatonDocumentSet set, ReceivedDocument? keyActor = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        var rejections = new List<DocumentRejection>();
        // The parsed texts are given back to their pool when the set is decided: nothing verified keeps them.
        using var scope = new ParseScope();
        var actor = VerifyActor(set, keyActor, rejections, scope, out var actorId, out var keySource);
        if (actor is null || keySource is null)
        {
            return new ChatonVerification(actorId, null, [], null, null, set.ListedServiceIds, rejections);
        }

        var actorOrigin = new Uri(actor.Id);
        var services = new List<VerifiedDocument>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var received in set.Services)
        {
            if (seen.Count >= _options.MaxServices)
            {
                rejections.Add(new DocumentRejection(DocumentKind.Service, PeekId(received), RejectionReason.TooManyServices, $"a chaton may list at most {_options.MaxServices} services"));
                continue;
            }

            var service = VerifyObject(received, DocumentKind.Service, actor.Id, actorOrigin, keySource, rejections, scope);
            if (service is null)
            {
                continue;
            }

            if (!seen.Add(service.Id))
            {
                rejections.Add(new DocumentRejection(DocumentKind.Service, service.Id, RejectionReason.Duplicate, "the service appears more than once in the set"));
                continue;
            }

            services.Add(service);
        }

        var attestation = set.Attestation is null ? null : VerifyObject(set.Attestation, DocumentKind.Attestation, actor.Id, actorOrigin, keySource, rejections, scope);
        var collection = set.ServicesCollection is null ? null : VerifyObject(set.ServicesCollection, DocumentKind.ServicesCollection, actor.Id, actorOrigin, keySource, rejections, scope);
        return new ChatonVerification(actor.Id, actor, services, attestation, collection, set.ListedServiceIds, rejections);
    }

    /// <summary>
    /// Verifies a <c>Delete</c> sent by a chaton: signed by <paramref name="ownerActor"/> (for the chaton's own
    /// departure, the actor document the directory holds, since the node answers 410 afterwards), about one of the
    /// actor's own documents.
    /// </summary>
    public DeleteVerification VerifyDelete(ReceivedDocument activity, ReceivedDocument ownerActor)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(ownerActor);
        var rejections = new List<DocumentRejection>();
        using var scope = new ParseScope();
        if (!TryLoad(ownerActor, DocumentKind.Actor, rejections, scope, out var owner) || !TryLoad(activity, DocumentKind.Activity, rejections, scope, out var loaded))
        {
            return new DeleteVerification(null, null, null, null, rejections[0]);
        }

        return VerifyDelete(loaded, owner);
    }

    /// <summary>
    /// As <see cref="VerifyDelete(ReceivedDocument, ReceivedDocument)"/>, for an activity its receiver has already read
    /// (an inbox parses each body once): <paramref name="json"/> is <paramref name="activity"/>'s bytes as received,
    /// <paramref name="parsed"/> the same read into the vocabulary; neither is read again.
    /// </summary>
    public DeleteVerification VerifyDelete(ReceivedDocument activity, JsonObject json, JsonLdNode parsed, ReceivedDocument ownerActor)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(parsed);
        ArgumentNullException.ThrowIfNull(ownerActor);
        var rejections = new List<DocumentRejection>();
        using var scope = new ParseScope();
        if (!TryLoad(ownerActor, DocumentKind.Actor, rejections, scope, out var owner) || !CheckSize(activity, DocumentKind.Activity, rejections))
        {
            return new DeleteVerification(null, null, null, null, rejections[0]);
        }

        return VerifyDelete(new LoadedDocument(json, parsed, parsed.Id), owner);
    }

    private static DeleteVerification VerifyDelete(LoadedDocument loaded, LoadedDocument owner)
    {
        var ownerId = owner.Id;
        if (loaded.Parsed is not Delete delete)
        {
            return Refused(RejectionReason.WrongType, $"a {TypeName(loaded.Parsed)} is not a Delete");
        }

        if (ownerId is null || !string.Equals(delete.ActorId, ownerId, StringComparison.Ordinal))
        {
            return Refused(RejectionReason.WrongOwner, $"the Delete is by {delete.ActorId ?? "nobody"}, not by {ownerId ?? "an actor without id"}");
        }

        var self = ProofVerifier.Verify(owner.Json, owner.Json);
        if (!self.IsValid)
        {
            return Refused(Classify(self.Failure!), "the owner actor does not verify: " + self.Failure);
        }

        var proof = ProofVerifier.Verify(loaded.Json, owner.Json);
        if (!proof.IsValid)
        {
            return Refused(Classify(proof.Failure!), proof.Failure!);
        }

        var objectId = delete.ObjectId;
        if (!ProofVerifier.TryParseHttpUrl(objectId, out var objectUri))
        {
            return Refused(RejectionReason.MissingId, "the Delete names no http(s) object");
        }

        if (!ProofVerifier.SameOrigin(objectUri, new Uri(ownerId)))
        {
            return Refused(RejectionReason.CrossOrigin, $"{objectId} is not on the origin of {ownerId}");
        }

        var tombstone = delete.EmbeddedObject as Tombstone;
        DocumentKind? kind = string.Equals(objectId, ownerId, StringComparison.Ordinal) ? DocumentKind.Actor
            : tombstone?.FormerType?.Any(t => VocabularyTypes.LocalName(t) == ChatonsTypes.HostedService) == true ? DocumentKind.Service
            : tombstone?.FormerType?.Any(t => VocabularyTypes.LocalName(t) == ChatonsTypes.CharterAttestation) == true ? DocumentKind.Attestation
            : null;
        var deleted = tombstone?.Deleted?.Instant ?? delete.Published?.Instant;
        return new DeleteVerification(ownerId, objectId, kind, deleted, null);

        DeleteVerification Refused(RejectionReason reason, string message) =>
            new(ownerId, null, null, null, new DocumentRejection(DocumentKind.Activity, loaded.Id, reason, message));
    }

    private VerifiedDocument? VerifyActor(ChatonDocumentSet set, ReceivedDocument? keyActor, List<DocumentRejection> rejections, ParseScope scope, out string? actorId, out JsonObject? keySource)
    {
        actorId = null;
        keySource = null;
        if (!TryLoad(set.Actor, DocumentKind.Actor, rejections, scope, out var loaded))
        {
            return null;
        }

        actorId = loaded.Id;
        if (loaded.Parsed is not Organization organization)
        {
            return Reject(RejectionReason.WrongType, $"a {TypeName(loaded.Parsed)} is not an Organization");
        }

        if (!ProofVerifier.TryParseHttpUrl(actorId, out _))
        {
            return Reject(RejectionReason.MissingId, "the actor has no http(s) id");
        }

        if (set.ExpectedActorId is { } expected && !string.Equals(expected, actorId, StringComparison.Ordinal))
        {
            return Reject(RejectionReason.UnexpectedId, $"asked for {expected}, received {actorId}");
        }

        if (MissingChatonsTerms(loaded.Json, organization) is { } missing)
        {
            return Reject(RejectionReason.MissingChatonsTerms, missing);
        }

        var source = loaded.Json;
        if (keyActor is not null)
        {
            var keyRejections = new List<DocumentRejection>();
            if (!TryLoad(keyActor, DocumentKind.Actor, keyRejections, scope, out var key))
            {
                return Reject(keyRejections[0].Reason, "the key actor: " + keyRejections[0].Message);
            }

            if (!string.Equals(key.Id, actorId, StringComparison.Ordinal))
            {
                return Reject(RejectionReason.UnexpectedId, $"the key actor is {key.Id ?? "an actor without id"}, not {actorId}");
            }

            var self = ProofVerifier.Verify(key.Json, key.Wire, key.Json);
            if (!self.IsValid)
            {
                return Reject(Classify(self.Failure!), "the key actor does not verify: " + self.Failure);
            }

            source = key.Json;
        }

        var result = ProofVerifier.Verify(loaded.Json, loaded.Wire, source);
        if (!result.IsValid)
        {
            return Reject(Classify(result.Failure!), result.Failure!);
        }

        keySource = source;
        return Verified(DocumentKind.Actor, actorId, set.Actor, organization);

        VerifiedDocument? Reject(RejectionReason reason, string message)
        {
            rejections.Add(new DocumentRejection(DocumentKind.Actor, loaded.Id, reason, message));
            return null;
        }
    }

    private VerifiedDocument? VerifyObject(ReceivedDocument received, DocumentKind kind, string actorId, Uri actorOrigin, JsonObject keySource, List<DocumentRejection> rejections, ParseScope scope)
    {
        if (!TryLoad(received, kind, rejections, scope, out var loaded))
        {
            return null;
        }

        var expectedType = kind switch
        {
            DocumentKind.Service => loaded.Parsed is HostedService ? null : ChatonsTypes.HostedService,
            DocumentKind.Attestation => loaded.Parsed is CharterAttestation ? null : ChatonsTypes.CharterAttestation,
            _ => loaded.Parsed is Collection ? null : "OrderedCollection",
        };
        if (expectedType is not null)
        {
            return Reject(RejectionReason.WrongType, $"a {TypeName(loaded.Parsed)} is not a {expectedType}");
        }

        if (!ProofVerifier.TryParseHttpUrl(loaded.Id, out var objectUri))
        {
            return Reject(RejectionReason.MissingId, "the document has no http(s) id");
        }

        if (!ProofVerifier.SameOrigin(objectUri, actorOrigin))
        {
            return Reject(RejectionReason.CrossOrigin, $"{loaded.Id} is not on the origin of {actorId}");
        }

        if (!ProofVerifier.TryGetOwnerId(loaded.Json, out var owner, out var ownerFailure))
        {
            return Reject(RejectionReason.WrongOwner, ownerFailure);
        }

        if (!string.Equals(owner, actorId, StringComparison.Ordinal))
        {
            return Reject(RejectionReason.WrongOwner, $"attributed to {owner}, not to {actorId}");
        }

        var result = ProofVerifier.Verify(loaded.Json, loaded.Wire, keySource);
        return result.IsValid
            ? Verified(kind, loaded.Id, received, loaded.Parsed)
            : Reject(Classify(result.Failure!), result.Failure!);

        VerifiedDocument? Reject(RejectionReason reason, string message)
        {
            rejections.Add(new DocumentRejection(kind, loaded.Id, reason, message));
            return null;
        }
    }

    private static VerifiedDocument Verified(DocumentKind kind, string id, ReceivedDocument received, JsonLdNode parsed)
    {
        var asObject = parsed as AsObject;
        var proofCreated = asObject?.Proof?.First?.Created?.Instant;
        var version = asObject?.Updated?.Instant ?? asObject?.Published?.Instant ?? proofCreated;
        return new VerifiedDocument(kind, id, received, parsed, version, proofCreated);
    }

    private bool CheckSize(ReceivedDocument received, DocumentKind kind, List<DocumentRejection> rejections)
    {
        var length = received.Utf8Json.Length;
        if (length <= _options.MaxDocumentBytes)
        {
            return true;
        }

        rejections.Add(new DocumentRejection(kind, null, RejectionReason.TooLarge, $"{length} bytes, more than the {_options.MaxDocumentBytes} accepted"));
        return false;
    }

    private bool TryLoad(ReceivedDocument received, DocumentKind kind, List<DocumentRejection> rejections, ParseScope scope, [NotNullWhen(true)] out LoadedDocument? loaded)
    {
        loaded = null;
        if (!CheckSize(received, kind, rejections))
        {
            return false;
        }

        JsonObject json;
        JsonElement wire;
        JsonLdNode parsed;
        try
        {
            // Parsed once: the tree of nodes is made lazily from this text, and proofs are hashed from it directly.
            var document = scope.Own(JsonDocument.Parse(received.Utf8Json, ReadOptions));
            wire = document.RootElement;
            if (wire.ValueKind != JsonValueKind.Object)
            {
                rejections.Add(new DocumentRejection(kind, null, RejectionReason.Malformed, "the document is not a JSON object"));
                return false;
            }

            json = JsonObject.Create(wire)!;
            parsed = ActivityStreamsJson.ParseWithoutContext(received.Utf8Json.Span);
        }
        catch (Exception e) when (e is JsonException or ProtocolFormatException)
        {
            rejections.Add(new DocumentRejection(kind, null, RejectionReason.Malformed, e.Message));
            return false;
        }

        loaded = new LoadedDocument(json, parsed, parsed.Id, wire);
        return true;
    }

    /// <summary>Why the actor does not carry the chatons terms, or <c>null</c> when it does.</summary>
    private static string? MissingChatonsTerms(JsonObject json, Organization organization)
    {
        if (string.IsNullOrEmpty(organization.StructureType))
        {
            return "the actor has no structureType";
        }

        var terms = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var context = json["@context"];
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

        var iri = terms.GetValueOrDefault(StructureTypeTerm) switch
        {
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            JsonObject definition when definition["@id"] is JsonValue id && id.TryGetValue<string>(out var text) => text,
            _ => null,
        };
        if (iri is not null && iri.StartsWith("chatons:", StringComparison.Ordinal)
            && terms.GetValueOrDefault("chatons") is JsonValue prefix && prefix.TryGetValue<string>(out var ns))
        {
            iri = ns + iri["chatons:".Length..];
        }

        return iri == ChatonsContext.Namespace + StructureTypeTerm
            ? null
            : $"the @context does not define structureType as {ChatonsContext.Namespace}{StructureTypeTerm}";
    }

    /// <summary>Sorts a <see cref="ProofVerifier"/> failure into a reason; the message keeps the verifier's words.</summary>
    internal static RejectionReason Classify(string failure)
    {
        if (failure.StartsWith(ProofFailure.NoProof, StringComparison.Ordinal))
        {
            return RejectionReason.MissingProof;
        }

        if (StartsWithAny(failure, ProofFailure.VerificationMethodOrigin, ProofFailure.OwnerOrigin))
        {
            return RejectionReason.CrossOrigin;
        }

        if (StartsWithAny(failure, ProofFailure.NoOwner, ProofFailure.SeveralOwners, ProofFailure.ActorMismatch))
        {
            return RejectionReason.WrongOwner;
        }

        if (StartsWithAny(failure, ProofFailure.NotInAssertionMethod, ProofFailure.KeyNotFound, ProofFailure.NotMultikey, ProofFailure.ControllerMismatch, ProofFailure.BadPublicKey, ProofFailure.OwnerUnavailable))
        {
            return RejectionReason.KeyNotOwned;
        }

        return failure.StartsWith(ProofFailure.NoObjectId, StringComparison.Ordinal) ? RejectionReason.MissingId : RejectionReason.InvalidProof;

        static bool StartsWithAny(string text, params ReadOnlySpan<string> prefixes)
        {
            foreach (var prefix in prefixes)
            {
                if (text.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private static string? PeekId(ReceivedDocument received)
    {
        try
        {
            using var document = JsonDocument.Parse(received.Utf8Json, ReadOptions);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("id", out var id)
                && id.ValueKind == JsonValueKind.String
                    ? id.GetString()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string TypeName(JsonLdNode node) => node.Type is { Count: > 0 } type ? string.Join("/", type) : "document without type";

    /// <summary>A document read: its tree of nodes, its vocabulary reading, and the parsed text both come from (when at hand).</summary>
    /// <summary>The parsed texts of one verification, disposed together when it is decided.</summary>
    private sealed class ParseScope : IDisposable
    {
        private readonly List<JsonDocument> _documents = new(8);

        public JsonDocument Own(JsonDocument document)
        {
            _documents.Add(document);
            return document;
        }

        public void Dispose()
        {
            foreach (var document in _documents)
            {
                document.Dispose();
            }
        }
    }

    private sealed record LoadedDocument(JsonObject Json, JsonLdNode Parsed, string? Id, JsonElement? Wire = null);
}
