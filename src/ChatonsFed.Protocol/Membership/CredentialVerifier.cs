using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Keys;
using ChatonsFed.Protocol.Proofs;

namespace ChatonsFed.Protocol.Membership;

/// <summary>
/// Verifies a membership credential as received (spec/membership.md §5.1): steps 1–10 need no key
/// (<see cref="Parse(ReadOnlySpan{byte}, CredentialSource)"/>), 11–12 the issuer's verified actor
/// (<see cref="CheckProof"/>), 13–16 the clock and the issuer's status list (<see cref="StateAt(MembershipCredential, DateTimeOffset, StatusListBits)"/>).
/// The first failing step gives the reason.
/// </summary>
public static class CredentialVerifier
{
    public const int MaxCredentialBytes = 64 * 1024;
    public const int MaxStatusListBytes = 256 * 1024;
    public const int MaxValidityDays = 400;

    public const string CredentialType = "VerifiableCredential";
    public const string MembershipCredentialType = "ChatonsMembershipCredential";
    public const string StatusEntryType = "BitstringStatusListEntry";
    public const string RevocationPurpose = "revocation";
    public const string DigestPrefix = "sha256-";

    /// <summary>How far in the future <c>validFrom</c> may lie (step 13).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromHours(1);

    /// <summary>The longest a credential counts after its <c>validFrom</c>, whatever its <c>validUntil</c> (step 16).</summary>
    public static readonly TimeSpan MaxValidity = TimeSpan.FromDays(MaxValidityDays);

    /// <summary>Steps 1–10 over the bytes received.</summary>
    public static CredentialParse Parse(ReadOnlySpan<byte> utf8, CredentialSource source)
    {
        if (utf8.Length > MaxCredentialBytes)
        {
            return Fail(null, CredentialFailure.TooLarge, $"{utf8.Length} bytes, over the {MaxCredentialBytes} allowed");
        }

        if (!MembershipJson.TryParse(utf8, out var node, out var error))
        {
            return Fail(null, CredentialFailure.Malformed, error);
        }

        return node is JsonObject document
            ? ParseFields(document, source)
            : Fail(null, CredentialFailure.Malformed, "the document is not a JSON object");
    }

    /// <summary>Steps 1–10 over an object already parsed (for instance embedded in a collection); its size is its compact UTF-8 length.</summary>
    public static CredentialParse Parse(JsonObject document, CredentialSource source)
    {
        ArgumentNullException.ThrowIfNull(document);
        var size = MembershipJson.Utf8Length(document);
        return size > MaxCredentialBytes
            ? Fail(null, CredentialFailure.TooLarge, $"{size} bytes, over the {MaxCredentialBytes} allowed")
            : ParseFields(document, source);
    }

    /// <summary>
    /// Steps 11–12: <paramref name="issuerActor"/> is the issuer's actor fetched from its id and verified by its own
    /// proof (<see cref="IssuerActorCheck"/>). Null when the credential is authentic.
    /// </summary>
    public static (CredentialFailure Failure, string Detail)? CheckProof(CredentialParse parsed, JsonObject issuerActor)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        ArgumentNullException.ThrowIfNull(issuerActor);
        return CheckProofCore(parsed, issuerActor);
    }

    /// <summary>Steps 13–16 for an authentic credential. <paramref name="statusList"/>: the verified bits held for its list, or null.</summary>
    public static (CredentialState State, string? Detail) StateAt(MembershipCredential credential, DateTimeOffset now, StatusListBits? statusList)
    {
        ArgumentNullException.ThrowIfNull(credential);
        bool? revoked = statusList is not null && statusList.Contains(credential.StatusListIndex) ? statusList.IsSet(credential.StatusListIndex) : null;
        var state = StateAt(credential.ValidFrom, credential.ValidUntil, revoked, now);
        var limit = credential.ValidFrom + MaxValidity;
        return (state, state switch
        {
            CredentialState.NotYetValid => $"valid from {DateTimeStamp.Format(credential.ValidFrom)}",
            CredentialState.StatusUnavailable when statusList is null => $"no verified status list is held for {credential.StatusListUrl}",
            CredentialState.StatusUnavailable => $"index {credential.StatusListIndex} lies beyond the {statusList.Length} entries of {credential.StatusListUrl}",
            CredentialState.Revoked => $"bit {credential.StatusListIndex} of {credential.StatusListUrl} is set",
            CredentialState.Expired when now >= credential.ValidUntil => $"valid until {DateTimeStamp.Format(credential.ValidUntil)}",
            CredentialState.Expired => $"more than {MaxValidityDays} days after its validFrom ({DateTimeStamp.Format(limit)})",
            _ => null,
        });
    }

    /// <summary>
    /// Steps 13–16 over a credential's validity and what its issuer's status list says of it: <paramref name="revoked"/>
    /// is its bit, or null when no verified list covers its index.
    /// </summary>
    public static CredentialState StateAt(DateTimeOffset validFrom, DateTimeOffset validUntil, bool? revoked, DateTimeOffset now) =>
        validFrom > now + ClockSkew ? CredentialState.NotYetValid
        : revoked is null ? CredentialState.StatusUnavailable
        : revoked.Value ? CredentialState.Revoked
        : now >= validUntil || now >= validFrom + MaxValidity ? CredentialState.Expired
        : CredentialState.Valid;

    /// <summary>
    /// Of two copies of one credential id, the one to keep (spec/membership.md §3): the one passing more steps,
    /// then the one whose proof was created later; <paramref name="held"/> on a tie.
    /// </summary>
    public static CredentialVerdict PreferredCopy(CredentialVerdict held, CredentialVerdict received)
    {
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(received);
        if (received.StepsPassed != held.StepsPassed)
        {
            return received.StepsPassed > held.StepsPassed ? received : held;
        }

        return received.Credential is { } r && held.Credential is { } h && r.ProofCreated > h.ProofCreated ? received : held;
    }

    /// <summary>Every step at once over the bytes received; <paramref name="issuerActor"/> null means it could not be fetched (KeyNotOwned).</summary>
    public static CredentialVerdict Verify(ReadOnlySpan<byte> utf8, CredentialSource source, JsonObject? issuerActor,
        Func<string, StatusListBits?> statusLists, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(statusLists);
        return Finish(Parse(utf8, source), issuerActor, statusLists, now);
    }

    /// <summary>Every step at once over an object already parsed.</summary>
    public static CredentialVerdict Verify(JsonObject document, CredentialSource source, JsonObject? issuerActor,
        Func<string, StatusListBits?> statusLists, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(statusLists);
        return Finish(Parse(document, source), issuerActor, statusLists, now);
    }

    private static CredentialVerdict Finish(CredentialParse parsed, JsonObject? issuerActor, Func<string, StatusListBits?> statusLists, DateTimeOffset now)
    {
        if (!parsed.Succeeded)
        {
            return new CredentialVerdict(parsed.Credential, false, null, parsed.Failure, parsed.Detail) { StepsPassed = parsed.StepsPassed };
        }

        var proofFailure = CheckProofCore(parsed, issuerActor);
        if (proofFailure is { } failure)
        {
            // KeyNotOwned is step 11, a signature that does not match step 12.
            return new CredentialVerdict(parsed.Credential, false, null, failure.Failure, failure.Detail)
            {
                StepsPassed = failure.Failure == CredentialFailure.KeyNotOwned ? 10 : 11,
            };
        }

        var credential = parsed.Credential!;
        var (state, detail) = StateAt(credential, now, statusLists(credential.StatusListUrl));
        var stateFailure = CredentialStates.FailureOf(state);
        return new CredentialVerdict(credential, true, state, stateFailure, detail)
        {
            StepsPassed = stateFailure is { } f ? StepsBefore(f) : 16,
        };
    }

    private static (CredentialFailure Failure, string Detail)? CheckProofCore(CredentialParse parsed, JsonObject? issuerActor)
    {
        if (!parsed.Succeeded || parsed.Document is null || parsed.Credential is null)
        {
            throw new ArgumentException("the credential did not pass steps 1-10", nameof(parsed));
        }

        var credential = parsed.Credential;
        Span<byte> signature = stackalloc byte[Ed25519PublicKey.SignatureLength];
        var proof = (JsonObject)parsed.Document["proof"]!;
        var shape = ProofVerifier.CheckShape(parsed.Document, proof, signature);
        if (!shape.IsValid)
        {
            return (CredentialFailure.InvalidProof, shape.Failure!);
        }

        return MembershipProof.CheckKeyAndSignature(parsed.Document, credential.Issuer, credential.VerificationMethod, signature, issuerActor);
    }

    private static CredentialParse ParseFields(JsonObject document, CredentialSource source)
    {
        // Step 2: the shape.
        if (!MembershipJson.HasCredentialsContext(document))
        {
            return Fail(document, CredentialFailure.Malformed, $"@context is not an array starting with {MembershipContext.CredentialsV2}");
        }

        var issuer = MembershipJson.GetId(document["issuer"]);
        if (!MembershipJson.IsHttpUrl(issuer, out var issuerUri))
        {
            return Fail(document, CredentialFailure.Malformed, "issuer is not an http(s) URL (or an object with one as id)");
        }

        if (document["credentialSubject"] is not JsonObject subjectObject)
        {
            return Fail(document, CredentialFailure.Malformed, "credentialSubject is not one object");
        }

        var subject = MembershipJson.GetString(subjectObject, "id");
        if (!MembershipJson.IsHttpUrl(subject))
        {
            return Fail(document, CredentialFailure.Malformed, "credentialSubject has no http(s) id");
        }

        if (!DateTimeStamp.TryParse(MembershipJson.GetString(document, "validFrom"), out var validFrom))
        {
            return Fail(document, CredentialFailure.Malformed, "validFrom is missing or not a dateTimeStamp (a date-time with its time zone)");
        }

        if (!DateTimeStamp.TryParse(MembershipJson.GetString(document, "validUntil"), out var validUntil))
        {
            return Fail(document, CredentialFailure.Malformed, "validUntil is missing or not a dateTimeStamp (a date-time with its time zone)");
        }

        if (validUntil <= validFrom)
        {
            return Fail(document, CredentialFailure.Malformed, "validUntil is not later than validFrom");
        }

        if (subjectObject["charter"] is not JsonObject charter || MembershipJson.GetString(charter, "version") is not { Length: > 0 } charterVersion)
        {
            return Fail(document, CredentialFailure.Malformed, "credentialSubject.charter has no version");
        }

        if (charter.TryGetPropertyValue("digest", out var charterDigestNode) && MembershipJson.GetString(charterDigestNode) is null)
        {
            return Fail(document, CredentialFailure.Malformed, "credentialSubject.charter.digest is not a string");
        }

        var charterDigest = MembershipJson.GetString(charterDigestNode);
        if (subjectObject["charterAttestation"] is not JsonObject attestation
            || MembershipJson.GetString(attestation, "id") is not { } attestationId
            || !MembershipJson.IsHttpUrl(attestationId))
        {
            return Fail(document, CredentialFailure.Malformed, "credentialSubject.charterAttestation has no http(s) id");
        }

        if (MembershipJson.GetString(attestation, "digest") is not { } attestationDigest
            || !attestationDigest.StartsWith(DigestPrefix, StringComparison.Ordinal))
        {
            return Fail(document, CredentialFailure.Malformed, $"credentialSubject.charterAttestation has no {DigestPrefix} digest");
        }

        if (!TryReadCriteria(subjectObject, out var criteria, out var criteriaError))
        {
            return Fail(document, CredentialFailure.Malformed, criteriaError);
        }

        if (subjectObject.TryGetPropertyValue("note", out var noteNode) && MembershipJson.GetString(noteNode) is null)
        {
            return Fail(document, CredentialFailure.Malformed, "credentialSubject.note is not a string");
        }

        var note = MembershipJson.GetString(noteNode);
        if (!TryReadStatus(document, out var statusListUrl, out var statusIndex, out var statusError))
        {
            return Fail(document, CredentialFailure.Malformed, statusError);
        }

        // Step 3.
        if (!MembershipJson.HasType(document, CredentialType) || !MembershipJson.HasType(document, MembershipCredentialType))
        {
            return Fail(document, CredentialFailure.WrongType, $"type does not name both {CredentialType} and {MembershipCredentialType}");
        }

        // Step 4.
        var id = MembershipJson.GetString(document, "id");
        if (!MembershipJson.IsHttpUrl(id, out var idUri))
        {
            return Fail(document, CredentialFailure.MissingId, "the credential has no http(s) id");
        }

        // Step 5.
        if (source.Kind == CredentialSourceKind.Issued && !string.Equals(issuer, source.CollectionOwner, StringComparison.Ordinal))
        {
            return Fail(document, CredentialFailure.WrongOwner, $"listed in the issuedEndorsements of {source.CollectionOwner} but issued by {issuer}");
        }

        if (source.Kind == CredentialSourceKind.Held && !string.Equals(subject, source.CollectionOwner, StringComparison.Ordinal))
        {
            return Fail(document, CredentialFailure.WrongSubject, $"listed in the endorsements of {source.CollectionOwner} but about {subject}");
        }

        // Step 6.
        if (string.Equals(issuer, subject, StringComparison.Ordinal))
        {
            return Fail(document, CredentialFailure.SelfEndorsement, $"{issuer} endorses itself");
        }

        // Steps 7-9.
        Span<byte> signature = stackalloc byte[Ed25519PublicKey.SignatureLength];
        var proofFailure = MembershipProof.CheckShape(document, issuer, signature, out var verificationMethod, out var created);
        if (proofFailure is { } failure)
        {
            // Step 9 refuses with WrongOwner too: a key of another actor passed steps 1-8.
            return Fail(document, failure.Failure, failure.Detail, failure.Failure == CredentialFailure.WrongOwner ? 8 : null);
        }

        // Step 10.
        if (!ProofVerifier.SameOrigin(idUri, issuerUri))
        {
            return Fail(document, CredentialFailure.CrossOrigin, $"the id {id} is not on the origin of the issuer {issuer}");
        }

        if (!ProofVerifier.SameOrigin(new Uri(statusListUrl), issuerUri))
        {
            return Fail(document, CredentialFailure.CrossOrigin, $"the status list {statusListUrl} is not on the origin of the issuer {issuer}");
        }

        var credential = new MembershipCredential(
            id, issuer, subject, validFrom, validUntil, charterVersion, charterDigest, attestationId, attestationDigest,
            criteria, note, statusListUrl, statusIndex, verificationMethod, created);
        return new CredentialParse(document, credential, null, null);
    }

    private static bool TryReadCriteria(JsonObject subject, out IReadOnlyList<CriterionCheck> criteria, out string error)
    {
        criteria = [];
        error = string.Empty;
        if (!subject.TryGetPropertyValue("criteria", out var node))
        {
            return true;
        }

        if (node is not JsonArray array)
        {
            error = "credentialSubject.criteria is not a list";
            return false;
        }

        var list = new CriterionCheck[array.Count];
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject item
                || MembershipJson.GetString(item, "id") is not { Length: > 0 } criterionId
                || item["met"] is not JsonValue met
                || met.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            {
                error = $"credentialSubject.criteria[{i}] is not {{id: string, met: boolean}}";
                return false;
            }

            if (item.TryGetPropertyValue("note", out var noteNode) && MembershipJson.GetString(noteNode) is null)
            {
                error = $"credentialSubject.criteria[{i}].note is not a string";
                return false;
            }

            list[i] = new CriterionCheck(criterionId, met.GetValueKind() == JsonValueKind.True, MembershipJson.GetString(noteNode));
        }

        criteria = list;
        return true;
    }

    private static bool TryReadStatus(JsonObject document, out string url, out int index, out string error)
    {
        url = string.Empty;
        index = 0;
        error = string.Empty;
        if (MembershipJson.One(document["credentialStatus"]) is not { } status || !MembershipJson.HasType(status, StatusEntryType))
        {
            error = $"credentialStatus is not one {StatusEntryType}";
            return false;
        }

        if (MembershipJson.GetString(status, "statusPurpose") != RevocationPurpose)
        {
            error = $"credentialStatus.statusPurpose is not {RevocationPurpose}";
            return false;
        }

        if (!TryParseIndex(MembershipJson.GetString(status, "statusListIndex"), out index))
        {
            error = "credentialStatus.statusListIndex is not a base-10 string of at most 9 digits without leading zero";
            return false;
        }

        if (MembershipJson.GetString(status, "statusListCredential") is not { } listUrl || !MembershipJson.IsHttpUrl(listUrl))
        {
            error = "credentialStatus.statusListCredential is not an http(s) URL";
            return false;
        }

        url = listUrl;
        return true;
    }

    /// <summary><c>0|[1-9][0-9]{0,8}</c>.</summary>
    internal static bool TryParseIndex(string? text, out int index)
    {
        index = 0;
        if (text is null || text.Length is 0 or > 9 || (text.Length > 1 && text[0] == '0'))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        index = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        return true;
    }

    private static CredentialParse Fail(JsonObject? document, CredentialFailure failure, string detail, int? stepsPassed = null) =>
        new(document, null, failure, detail) { StepsPassed = stepsPassed ?? StepsBefore(failure) };

    /// <summary>How many steps pass before the step that <paramref name="failure"/> names (the earlier one for WrongOwner and InvalidProof).</summary>
    private static int StepsBefore(CredentialFailure failure) => failure switch
    {
        CredentialFailure.TooLarge => 0,
        CredentialFailure.Malformed => 1,
        CredentialFailure.WrongType => 2,
        CredentialFailure.MissingId => 3,
        CredentialFailure.WrongOwner or CredentialFailure.WrongSubject => 4,
        CredentialFailure.SelfEndorsement => 5,
        CredentialFailure.MissingProof => 6,
        CredentialFailure.InvalidProof => 7,
        CredentialFailure.CrossOrigin => 9,
        CredentialFailure.KeyNotOwned => 10,
        CredentialFailure.NotYetValid => 12,
        CredentialFailure.StatusUnavailable => 13,
        CredentialFailure.Revoked => 14,
        CredentialFailure.Expired => 15,
        _ => 0,
    };
}
