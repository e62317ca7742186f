using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Keys;
using ChatonsFed.Protocol.Proofs;

namespace ChatonsFed.Protocol.Membership;

/// <summary>The result of a status list's verification: its bits and <c>validFrom</c>, or the first failing step.</summary>
public sealed record StatusListVerdict(StatusListBits? Bits, DateTimeOffset? ValidFrom, CredentialFailure? Failure, string? Detail)
{
    public bool Accepted => Failure is null;
}

/// <summary>An issuer's revocation list (spec/membership.md §3 and §5.2): built unsigned, verified as received.</summary>
public static class StatusListDocument
{
    public const string ListCredentialType = "BitstringStatusListCredential";
    public const string ListType = "BitstringStatusList";

    /// <summary>The unsigned list document; sign it with <see cref="MembershipCredentialBuilder.Signer"/>.</summary>
    public static JsonObject Build(string listUrl, string issuerActorId, DateTimeOffset validFrom, StatusListBits bits)
    {
        ArgumentException.ThrowIfNullOrEmpty(listUrl);
        ArgumentException.ThrowIfNullOrEmpty(issuerActorId);
        ArgumentNullException.ThrowIfNull(bits);
        return new JsonObject
        {
            ["@context"] = MembershipContext.StatusListContext(),
            ["id"] = listUrl,
            ["type"] = new JsonArray(CredentialVerifier.CredentialType, ListCredentialType),
            ["issuer"] = issuerActorId,
            ["validFrom"] = DateTimeStamp.Format(validFrom),
            ["credentialSubject"] = new JsonObject
            {
                ["id"] = listUrl + "#list",
                ["type"] = ListType,
                ["statusPurpose"] = CredentialVerifier.RevocationPurpose,
                ["encodedList"] = bits.Encode(),
            },
        };
    }

    /// <summary>
    /// §5.2 over the bytes fetched from <paramref name="fetchedUrl"/>: size, shape and bitstring, types, id, issuer,
    /// proof, origin, key (<paramref name="issuerActor"/>: the issuer's actor, verified by its own proof; null when
    /// it could not be fetched), signature, then its own validity dates.
    /// </summary>
    public static StatusListVerdict Verify(ReadOnlySpan<byte> utf8, string fetchedUrl, string expectedIssuer,
        JsonObject? issuerActor, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(fetchedUrl);
        ArgumentException.ThrowIfNullOrEmpty(expectedIssuer);

        // Step 1.
        if (utf8.Length > CredentialVerifier.MaxStatusListBytes)
        {
            return Fail(CredentialFailure.TooLarge, $"{utf8.Length} bytes, over the {CredentialVerifier.MaxStatusListBytes} allowed");
        }

        // Step 2.
        if (!MembershipJson.TryParse(utf8, out var node, out var jsonError))
        {
            return Fail(CredentialFailure.Malformed, jsonError);
        }

        if (node is not JsonObject document)
        {
            return Fail(CredentialFailure.Malformed, "the document is not a JSON object");
        }

        if (!MembershipJson.HasCredentialsContext(document))
        {
            return Fail(CredentialFailure.Malformed, $"@context is not an array starting with {MembershipContext.CredentialsV2}");
        }

        var issuer = MembershipJson.GetId(document["issuer"]);
        if (!MembershipJson.IsHttpUrl(issuer, out var issuerUri))
        {
            return Fail(CredentialFailure.Malformed, "issuer is not an http(s) URL (or an object with one as id)");
        }

        if (!DateTimeStamp.TryParse(MembershipJson.GetString(document, "validFrom"), out var validFrom))
        {
            return Fail(CredentialFailure.Malformed, "validFrom is missing or not a dateTimeStamp (a date-time with its time zone)");
        }

        DateTimeOffset? validUntil = null;
        if (document.ContainsKey("validUntil"))
        {
            if (!DateTimeStamp.TryParse(MembershipJson.GetString(document, "validUntil"), out var until))
            {
                return Fail(CredentialFailure.Malformed, "validUntil is not a dateTimeStamp (a date-time with its time zone)");
            }

            if (until <= validFrom)
            {
                return Fail(CredentialFailure.Malformed, "validUntil is not later than validFrom");
            }

            validUntil = until;
        }

        if (document["credentialSubject"] is not JsonObject subject)
        {
            return Fail(CredentialFailure.Malformed, "credentialSubject is not one object");
        }

        if (!HasRevocationPurpose(subject["statusPurpose"]))
        {
            return Fail(CredentialFailure.Malformed, $"credentialSubject.statusPurpose does not include {CredentialVerifier.RevocationPurpose}");
        }

        if (MembershipJson.GetString(subject, "encodedList") is not { } encodedList)
        {
            return Fail(CredentialFailure.Malformed, "credentialSubject.encodedList is missing or not a string");
        }

        if (!StatusListBits.TryDecode(encodedList, out var bits, out var bitsError))
        {
            return Fail(CredentialFailure.Malformed, bitsError);
        }

        // Step 3.
        if (!MembershipJson.HasType(document, CredentialVerifier.CredentialType) || !MembershipJson.HasType(document, ListCredentialType))
        {
            return Fail(CredentialFailure.WrongType, $"type does not name both {CredentialVerifier.CredentialType} and {ListCredentialType}");
        }

        if (!MembershipJson.HasType(subject, ListType))
        {
            return Fail(CredentialFailure.WrongType, $"credentialSubject.type is not {ListType}");
        }

        // The id must be the URL fetched.
        var id = MembershipJson.GetString(document, "id");
        if (!string.Equals(id, fetchedUrl, StringComparison.Ordinal) || !MembershipJson.IsHttpUrl(id, out var idUri))
        {
            return Fail(CredentialFailure.UnexpectedId, $"the id is {id ?? "missing"}, the list was fetched from {fetchedUrl}");
        }

        if (!string.Equals(issuer, expectedIssuer, StringComparison.Ordinal))
        {
            return Fail(CredentialFailure.WrongOwner, $"issued by {issuer}, expected {expectedIssuer}");
        }

        // Steps 7-9.
        Span<byte> signature = stackalloc byte[Ed25519PublicKey.SignatureLength];
        if (MembershipProof.CheckShape(document, issuer, signature, out var verificationMethod, out _) is { } proofFailure)
        {
            return Fail(proofFailure.Failure, proofFailure.Detail);
        }

        // Step 10.
        if (!ProofVerifier.SameOrigin(idUri, issuerUri))
        {
            return Fail(CredentialFailure.CrossOrigin, $"the list {id} is not on the origin of the issuer {issuer}");
        }

        // Steps 11-12.
        if (MembershipProof.CheckKeyAndSignature(document, issuer, verificationMethod, signature, issuerActor) is { } keyFailure)
        {
            return Fail(keyFailure.Failure, keyFailure.Detail);
        }

        // Steps 13 and 16.
        if (validFrom > now + CredentialVerifier.ClockSkew)
        {
            return Fail(CredentialFailure.NotYetValid, $"valid from {DateTimeStamp.Format(validFrom)}");
        }

        if (validUntil is { } end && now >= end)
        {
            return Fail(CredentialFailure.Expired, $"valid until {DateTimeStamp.Format(end)}");
        }

        return new StatusListVerdict(bits, validFrom, null, null);
    }

    private static bool HasRevocationPurpose(JsonNode? node)
    {
        if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                if (MembershipJson.GetString(item) == CredentialVerifier.RevocationPurpose)
                {
                    return true;
                }
            }

            return false;
        }

        return MembershipJson.GetString(node) == CredentialVerifier.RevocationPurpose;
    }

    private static StatusListVerdict Fail(CredentialFailure failure, string detail) => new(null, null, failure, detail);
}
