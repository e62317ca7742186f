using System.Globalization;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Keys;
using ChatonsFed.Protocol.Proofs;

namespace ChatonsFed.Protocol.Membership;

/// <summary>Builds the unsigned credential of a <see cref="CredentialDraft"/> and the signer an issuer uses for credentials and status lists.</summary>
public static class MembershipCredentialBuilder
{
    /// <summary>
    /// The unsigned credential, members in the order of spec/membership.md §2, dates as <c>yyyy-MM-ddTHH:mm:ssZ</c>.
    /// Throws <see cref="ArgumentException"/> for a draft that would fail steps 2–10 (so nothing signed is refused later).
    /// </summary>
    public static JsonObject Build(CredentialDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        Validate(draft);

        var subject = new JsonObject
        {
            ["id"] = draft.Subject,
            ["charter"] = draft.CharterDigest is null
                ? new JsonObject { ["version"] = draft.CharterVersion }
                : new JsonObject { ["version"] = draft.CharterVersion, ["digest"] = draft.CharterDigest },
            ["charterAttestation"] = new JsonObject { ["id"] = draft.AttestationId, ["digest"] = draft.AttestationDigest },
        };

        if (draft.Criteria.Count > 0)
        {
            var criteria = new JsonArray();
            foreach (var criterion in draft.Criteria)
            {
                var item = new JsonObject { ["id"] = criterion.Id, ["met"] = criterion.Met };
                if (criterion.Note is not null)
                {
                    item["note"] = criterion.Note;
                }

                criteria.Add((JsonNode)item);
            }

            subject["criteria"] = criteria;
        }

        if (draft.Note is not null)
        {
            subject["note"] = draft.Note;
        }

        var index = draft.StatusListIndex.ToString(CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["@context"] = MembershipContext.CredentialContext(),
            ["id"] = draft.Id,
            ["type"] = new JsonArray(CredentialVerifier.CredentialType, CredentialVerifier.MembershipCredentialType),
            ["issuer"] = draft.Issuer,
            ["validFrom"] = DateTimeStamp.Format(draft.ValidFrom),
            ["validUntil"] = DateTimeStamp.Format(draft.ValidUntil),
            ["credentialSubject"] = subject,
            ["credentialStatus"] = new JsonObject
            {
                ["id"] = draft.StatusListUrl + "#" + index,
                ["type"] = CredentialVerifier.StatusEntryType,
                ["statusPurpose"] = CredentialVerifier.RevocationPurpose,
                ["statusListIndex"] = index,
                ["statusListCredential"] = draft.StatusListUrl,
            },
        };
    }

    /// <summary>A signer for credentials and status lists: the proof carries no <c>@context</c> (Fedify cannot load the VC context offline).</summary>
    public static ProofSigner Signer(Ed25519KeyPair key, string verificationMethod, TimeProvider time) =>
        new(key, verificationMethod, time) { EmbedContextInProof = false };

    private static void Validate(CredentialDraft draft)
    {
        if (!ProofVerifier.TryParseHttpUrl(draft.Issuer, out var issuer))
        {
            throw new ArgumentException($"the issuer {draft.Issuer} is not an http(s) URL", nameof(draft));
        }

        RequireSameOrigin(draft.Id, issuer, "id");
        RequireSameOrigin(draft.StatusListUrl, issuer, "status list");
        if (!ProofVerifier.TryParseHttpUrl(draft.Subject, out _) || string.Equals(draft.Subject, draft.Issuer, StringComparison.Ordinal))
        {
            throw new ArgumentException($"the subject {draft.Subject} is not an http(s) URL other than the issuer", nameof(draft));
        }

        if (!ProofVerifier.TryParseHttpUrl(draft.AttestationId, out _))
        {
            throw new ArgumentException($"the attestation id {draft.AttestationId} is not an http(s) URL", nameof(draft));
        }

        if (!draft.AttestationDigest.StartsWith(CredentialVerifier.DigestPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"the attestation digest does not start with {CredentialVerifier.DigestPrefix}", nameof(draft));
        }

        ArgumentException.ThrowIfNullOrEmpty(draft.CharterVersion);
        ArgumentNullException.ThrowIfNull(draft.Criteria);
        foreach (var criterion in draft.Criteria)
        {
            ArgumentException.ThrowIfNullOrEmpty(criterion?.Id, nameof(draft));
        }

        var from = Truncate(draft.ValidFrom);
        var until = Truncate(draft.ValidUntil);
        if (until <= from || until - from > CredentialVerifier.MaxValidity)
        {
            throw new ArgumentException($"validUntil must be later than validFrom and at most {CredentialVerifier.MaxValidityDays} days after it", nameof(draft));
        }

        if (!CredentialVerifier.TryParseIndex(draft.StatusListIndex.ToString(CultureInfo.InvariantCulture), out _))
        {
            throw new ArgumentException($"the status list index {draft.StatusListIndex} is not between 0 and 999999999", nameof(draft));
        }
    }

    private static void RequireSameOrigin(string url, Uri issuer, string what)
    {
        if (!ProofVerifier.TryParseHttpUrl(url, out var uri) || !ProofVerifier.SameOrigin(uri, issuer))
        {
            throw new ArgumentException($"the {what} {url} is not an http(s) URL on the issuer's origin", nameof(url));
        }
    }

    private static DateTimeOffset Truncate(DateTimeOffset instant) =>
        new(instant.UtcTicks - (instant.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
