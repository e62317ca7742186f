using System.Globalization;
using System.Text.Json.Nodes;
using ChatonsFed.Federation.Keys;
using ChatonsFed.Protocol;
using ChatonsFed.Protocol.HttpSignatures;
using ChatonsFed.Protocol.Proofs;

namespace ChatonsFed.Federation.Inbox;

/// <summary>Why an inbox request was refused; each maps to one status code.</summary>
public enum InboxFailure
{
    None,

    /// <summary>413: the body is over the size limit.</summary>
    BodyTooLarge,

    /// <summary>400: the body is not a JSON object within the depth limit, or names no actor.</summary>
    MalformedBody,

    /// <summary>401: no HTTP signature (and no valid object proof).</summary>
    NotSigned,

    /// <summary>401: the signature headers cannot be read.</summary>
    MalformedSignature,

    /// <summary>401: a POST without Digest or Content-Digest.</summary>
    DigestMissing,

    /// <summary>401: Digest or Content-Digest does not match the body.</summary>
    DigestMismatch,

    /// <summary>401: neither Date nor created is given.</summary>
    DateMissing,

    /// <summary>401: Date or created is outside the clock window (a replay, or a wrong clock).</summary>
    DateOutOfWindow,

    /// <summary>401: the signer's key could not be fetched or read.</summary>
    KeyUnavailable,

    /// <summary>401: the signature does not verify with the signer's key, even after fetching the key again (or that refetch was refused as too soon).</summary>
    BadSignature,

    /// <summary>401: the activity's actor is not the owner of the key that signed it.</summary>
    ActorMismatch,

    /// <summary>503: the signer's key is not held, and the budget of key fetches is spent for now (see <see cref="InboxVerification.RetryAfter"/>).</summary>
    Busy,
}

/// <summary>How a verified request was authenticated.</summary>
public enum InboxAuthentication
{
    None,
    HttpSignature,

    /// <summary>By the activity's eddsa-jcs-2022 <c>proof</c>, the HTTP signature having failed.</summary>
    ObjectProof,
}

public sealed class InboxVerification
{
    public bool IsValid => Failure == InboxFailure.None;

    public InboxFailure Failure { get; init; }

    /// <summary>What to tell the sender; never holds a key or the request.</summary>
    public string? Reason { get; init; }

    /// <summary>200 when valid; otherwise 401, 400, 413 or 503.</summary>
    public int StatusCode => Failure switch
    {
        InboxFailure.None => 200,
        InboxFailure.BodyTooLarge => 413,
        InboxFailure.MalformedBody => 400,
        InboxFailure.Busy => 503,
        _ => 401,
    };

    /// <summary>When <see cref="InboxFailure.Busy"/>: how long to wait before sending again.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The authenticated actor.</summary>
    public string? ActorId { get; init; }

    /// <summary>
    /// The signer's key could not be fetched because its document answered 404 or 410 at its own origin: the signer is
    /// gone (an account deleted: Mastodon signs the Delete it sends then with the key it has just removed).
    /// </summary>
    public bool SignerGone { get; init; }

    /// <summary>The key that authenticated the request (HTTP signature key id, or the proof's verificationMethod).</summary>
    public string? KeyId { get; init; }

    public HttpSignatureFlavour Flavour { get; init; }

    public InboxAuthentication AuthenticatedBy { get; init; }

    /// <summary>The body as received, parsed; null for a request without a body.</summary>
    public JsonObject? Document { get; init; }

    public override string ToString() => IsValid ? $"valid: {ActorId} by {AuthenticatedBy}" : $"{Failure}: {Reason}";
}

public sealed class InboxVerifierOptions
{
    public long MaxBodyBytes { get; set; } = JsonGuard.DefaultMaxBytes;

    public int MaxJsonDepth { get; set; } = JsonGuard.DefaultMaxDepth;

    /// <summary>How far Date or created may be from now, either way.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Accept an activity whose HTTP signature fails (or is missing) when its eddsa-jcs-2022 <c>proof</c> verifies
    /// against its actor's assertionMethod, as Fedify does. On by default: every ChatonsFed and Fedify activity carries
    /// a proof, and a proof binds the body to the actor more tightly than an HTTP signature does. A proof has no clock
    /// window, so a proved activity can be replayed; activities are idempotent by id, which the inbox must enforce.
    /// </summary>
    public bool AcceptObjectProofs { get; set; } = true;

    /// <summary>Fragments of this node's key ids, tried on RFC 9421 <c>@target-uri</c> (see <see cref="HttpSignatureVerificationPolicy.TargetUriFragments"/>).</summary>
    public IReadOnlyList<string> TargetUriFragments { get; set; } = [];
}

/// <summary>
/// Verifies a request to an inbox: body limits, an HTTP signature of either flavour, the body digest, the clock
/// window, the signer's key (fetched, and fetched again once when a cached key fails, for key rotation), and that the
/// activity's actor owns the key.
/// </summary>
public sealed class InboxRequestVerifier
{
    private readonly RemoteKeyResolver _keys;
    private readonly TimeProvider _time;
    private readonly InboxVerifierOptions _options;
    private readonly HttpSignatureVerificationPolicy _policy;

    public InboxRequestVerifier(RemoteKeyResolver keys, TimeProvider timeProvider, InboxVerifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _keys = keys;
        _time = timeProvider;
        _options = options ?? new InboxVerifierOptions();
        _policy = new HttpSignatureVerificationPolicy { ClockSkew = _options.ClockSkew, TargetUriFragments = _options.TargetUriFragments };
    }

    /// <summary>Verifies a request, parsing its body (when it has one) within the limits.</summary>
    public async Task<InboxVerification> VerifyAsync(HttpRequestSnapshot request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!JsonGuard.CheckSize(request.Body.Length, _options.MaxBodyBytes, out var sizeReason))
        {
            return Fail(InboxFailure.BodyTooLarge, sizeReason);
        }

        var hasBody = !request.Body.IsEmpty || request.Method.Equals("POST", StringComparison.OrdinalIgnoreCase);
        if (!hasBody)
        {
            return await VerifyParsedAsync(request, null, cancellationToken).ConfigureAwait(false);
        }

        if (!JsonGuard.TryParseObject(request.Body, _options.MaxJsonDepth, out var document, out var jsonReason))
        {
            return Fail(InboxFailure.MalformedBody, jsonReason);
        }

        using (document)
        {
            var verification = await VerifyParsedAsync(request, document, cancellationToken).ConfigureAwait(false);

            // The parse ends here; the document handed back is a copy of its own.
            return verification.Document is { } json ? WithDocument(verification, json.DeepClone().AsObject()) : verification;
        }
    }

    /// <summary>
    /// Verifies a request whose body the caller has already parsed into <paramref name="document"/>, which is not parsed
    /// again: the digest is checked on the request's bytes, an object proof over the document's tree, and
    /// <see cref="InboxVerification.Document"/> is that tree itself.
    /// </summary>
    /// <exception cref="ArgumentException">The document is not the request's body, or was parsed with a looser depth limit than this verifier's.</exception>
    public Task<InboxVerification> VerifyAsync(HttpRequestSnapshot request, InboxDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(document);
        if (document.MaxDepth > _options.MaxJsonDepth)
        {
            throw new ArgumentException($"The body was parsed allowing {document.MaxDepth} levels, more than the {_options.MaxJsonDepth} this verifier accepts.", nameof(document));
        }

        if (!document.Body.Span.SequenceEqual(request.Body.Span))
        {
            throw new ArgumentException("The document was not parsed from the request's body.", nameof(document));
        }

        return JsonGuard.CheckSize(request.Body.Length, _options.MaxBodyBytes, out var sizeReason)
            ? VerifyParsedAsync(request, document, cancellationToken)
            : Task.FromResult(Fail(InboxFailure.BodyTooLarge, sizeReason));
    }

    private async Task<InboxVerification> VerifyParsedAsync(HttpRequestSnapshot request, InboxDocument? body, CancellationToken cancellationToken)
    {
        var document = body?.Json;
        string? actorId = null;
        if (document is not null)
        {
            actorId = ReadActorId(document);
            if (actorId is null)
            {
                return Fail(InboxFailure.MalformedBody, "the activity names no actor (one id, or an object with an id)");
            }
        }

        var signed = await VerifySignatureAsync(request, hasBody: document is not null, actorId, cancellationToken).ConfigureAwait(false);
        if (signed.IsValid || signed.Failure == InboxFailure.Busy || document is null || !_options.AcceptObjectProofs || document["proof"] is null)
        {
            // A refusal keeps the body too, so that the caller can tell a gone signer's own Delete (SignerGone).
            return WithDocument(signed, document);
        }

        ActorLookup? spent = null;
        var proved = await ProofVerifier.VerifyAsync(document, async (uri, token) =>
        {
            var found = await _keys.LookUpActorAsync(uri, token).ConfigureAwait(false);
            spent ??= found.RetryAfter is null ? null : found;
            return found.Document;
        }, cancellationToken).ConfigureAwait(false);
        if (proved.IsValid && ProofVerifier.TryGetOwnerId(document, out var ownerId, out _) && ownerId == actorId)
        {
            await _keys.ConfirmActorAsync(actorId, cancellationToken).ConfigureAwait(false);
            return new InboxVerification
            {
                ActorId = actorId,
                KeyId = ReadProofMethod(document),
                AuthenticatedBy = InboxAuthentication.ObjectProof,
                Document = document,
            };
        }

        if (spent is { RetryAfter: { } wait })
        {
            return WithDocument(Busy($"{signed.Reason}; the object proof could not be checked: {spent.Failure}", wait), document);
        }

        return Fail(signed.Failure, $"{signed.Reason}; the object proof does not make up for it: {proved.Failure ?? "its owner is not the actor"}");
    }

    private async Task<InboxVerification> VerifySignatureAsync(HttpRequestSnapshot request, bool hasBody, string? actorId, CancellationToken cancellationToken)
    {
        if (HttpSignatureDetector.Detect(request.Headers) == HttpSignatureFlavour.None)
        {
            return Fail(InboxFailure.NotSigned, "the request is not signed");
        }

        if (!HttpSignatureDetector.TryParse(request, out var signature, out var parseError))
        {
            return Fail(InboxFailure.MalformedSignature, parseError);
        }

        if (hasBody)
        {
            var digest = request.Headers.GetCombinedValue(DigestHeader.Name);
            var contentDigest = request.Headers.GetCombinedValue(ContentDigestHeader.Name);
            if (digest is null && contentDigest is null)
            {
                return Fail(InboxFailure.DigestMissing, "the request has neither Digest nor Content-Digest");
            }

            foreach (var check in new[] { digest is null ? (VerificationResult?)null : DigestHeader.Verify(digest, request.Body.Span), contentDigest is null ? null : ContentDigestHeader.Verify(contentDigest, request.Body.Span) })
            {
                if (check is { IsValid: false } failed)
                {
                    return Fail(InboxFailure.DigestMismatch, failed.Failure!);
                }
            }
        }

        var window = CheckWindow(request, signature);
        if (window is not null)
        {
            return window;
        }

        var keyId = signature.KeyId!;
        var resolved = await _keys.ResolveAsync(keyId, bypassCache: false, cancellationToken).ConfigureAwait(false);
        if (resolved.RetryAfter is { } wait)
        {
            return Busy(resolved.Failure!, wait, keyId, signature.Flavour);
        }

        if (!resolved.IsFound)
        {
            return new InboxVerification
            {
                Failure = InboxFailure.KeyUnavailable,
                Reason = resolved.Failure,
                KeyId = keyId,
                Flavour = signature.Flavour,
                SignerGone = resolved.FetchStatus is 404 or 410,
            };
        }

        var result = Verify(request, signature, resolved.Key!);
        var refetch = string.Empty;
        if (!result.IsValid && resolved.FromCache)
        {
            // The signer may have rotated its key since we cached it: fetch it once more (the resolver limits how often).
            var fresh = await _keys.ResolveAsync(keyId, bypassCache: true, cancellationToken).ConfigureAwait(false);
            if (fresh.RetryAfter is { } later)
            {
                return Busy($"the {Describe(signature.Flavour)} signature by {keyId} does not verify with the key held, and {fresh.Failure}", later, keyId, signature.Flavour);
            }

            if (fresh.IsFound)
            {
                resolved = fresh;
                result = Verify(request, signature, fresh.Key!);
            }
            else
            {
                refetch = fresh.Throttled ? $"; the key was not fetched again: {fresh.Failure}" : $"; fetching the key again failed: {fresh.Failure}";
            }
        }

        if (!result.IsValid)
        {
            return Fail(InboxFailure.BadSignature, $"the {Describe(signature.Flavour)} signature by {keyId} is not valid: {result.Failure}{refetch}", keyId, signature.Flavour);
        }

        var owner = resolved.Key!.OwnerId;
        if (actorId is not null && owner != actorId)
        {
            return Fail(InboxFailure.ActorMismatch, $"the activity's actor {actorId} is not {owner}, who owns the key {keyId}", keyId, signature.Flavour);
        }

        // Only now is the key known to be good: it is kept (or its use noted) for the next requests.
        await _keys.ConfirmAsync(resolved.Key!, cancellationToken).ConfigureAwait(false);
        return new InboxVerification
        {
            ActorId = owner,
            KeyId = keyId,
            Flavour = signature.Flavour,
            AuthenticatedBy = InboxAuthentication.HttpSignature,
        };
    }

    private VerificationResult Verify(HttpRequestSnapshot request, ParsedHttpSignature signature, CachedRemoteKey key)
    {
        if (!HttpSignatureKey.TryImportPem(key.PublicKeyPem, out var imported, out var error))
        {
            return VerificationResult.Invalid($"the key cannot be read: {error}");
        }

        using (imported)
        {
            return signature.Verify(request, imported, _time.GetUtcNow(), _policy);
        }
    }

    private InboxVerification? CheckWindow(HttpRequestSnapshot request, ParsedHttpSignature signature)
    {
        long? created = signature switch
        {
            MessageSignature message => message.Created,
            CavageSignature cavage when cavage.CoveredHeaders.Contains("(created)") => cavage.Created,
            _ => null,
        };
        DateTimeOffset signedAt;
        if (created is { } seconds)
        {
            signedAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        }
        else if (request.Headers.GetCombinedValue("Date") is { } date)
        {
            if (!DateTimeOffset.TryParseExact(date, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out signedAt))
            {
                return Fail(InboxFailure.DateMissing, "the Date header is not an HTTP date", signature.KeyId, signature.Flavour);
            }
        }
        else
        {
            return Fail(InboxFailure.DateMissing, "the request has neither a Date header nor a signature created time", signature.KeyId, signature.Flavour);
        }

        var offset = signedAt - _time.GetUtcNow();
        return offset.Duration() > _options.ClockSkew
            ? Fail(InboxFailure.DateOutOfWindow, $"the request was signed at {signedAt:u}, {FormatOffset(offset)}, outside the {_options.ClockSkew.TotalMinutes:0} minute window", signature.KeyId, signature.Flavour)
            : null;
    }

    private static string FormatOffset(TimeSpan offset) =>
        offset < TimeSpan.Zero ? $"{(-offset).TotalMinutes:0} minutes ago" : $"{offset.TotalMinutes:0} minutes ahead";

    private static string Describe(HttpSignatureFlavour flavour) => flavour == HttpSignatureFlavour.Rfc9421 ? "RFC 9421" : "draft-cavage";

    private static string? ReadActorId(JsonObject document) => document["actor"] switch
    {
        JsonValue value when value.TryGetValue<string>(out var id) => id,
        JsonObject actor => KeysGetString(actor, "id"),
        JsonArray { Count: 1 } single => single[0] switch
        {
            JsonValue value when value.TryGetValue<string>(out var id) => id,
            JsonObject actor => KeysGetString(actor, "id"),
            _ => null,
        },
        _ => null,
    };

    private static string? ReadProofMethod(JsonObject document) =>
        ActorKeys.Nodes(document["proof"]).OfType<JsonObject>().Select(p => KeysGetString(p, "verificationMethod")).FirstOrDefault(m => m is not null);

    private static string? KeysGetString(JsonObject node, string name) => ActorKeys.GetString(node, name);

    private static InboxVerification WithDocument(InboxVerification result, JsonObject? document) => new()
    {
        ActorId = result.ActorId,
        KeyId = result.KeyId,
        Flavour = result.Flavour,
        AuthenticatedBy = result.AuthenticatedBy,
        Failure = result.Failure,
        Reason = result.Reason,
        SignerGone = result.SignerGone,
        RetryAfter = result.RetryAfter,
        Document = document,
    };

    private static InboxVerification Fail(InboxFailure failure, string reason, string? keyId = null, HttpSignatureFlavour flavour = HttpSignatureFlavour.None) =>
        new() { Failure = failure, Reason = reason, KeyId = keyId, Flavour = flavour };

    private static InboxVerification Busy(string reason, TimeSpan retryAfter, string? keyId = null, HttpSignatureFlavour flavour = HttpSignatureFlavour.None) =>
        new() { Failure = InboxFailure.Busy, Reason = reason, RetryAfter = retryAfter, KeyId = keyId, Flavour = flavour };
}
