using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Keys;
using ChatonsFed.Protocol.Proofs;

namespace ChatonsFed.Protocol.Membership;

/// <summary>
/// Steps 7–9, 11 and 12 of spec/membership.md §5, shared by credentials and status lists: the proof's presence and
/// shape, that its key is named by the issuer, that the issuer's actor lists that key, and the signature.
/// </summary>
internal static class MembershipProof
{
    /// <summary>Steps 7, 8 and 9. On success <paramref name="signature"/> holds the decoded proofValue.</summary>
    public static (CredentialFailure Failure, string Detail)? CheckShape(
        JsonObject document, string issuer, Span<byte> signature, out string verificationMethod, out DateTimeOffset created)
    {
        verificationMethod = string.Empty;
        created = default;
        if (!document.TryGetPropertyValue("proof", out var node) || node is null)
        {
            return (CredentialFailure.MissingProof, "the document has no proof");
        }

        if (node is not JsonObject proof)
        {
            return (CredentialFailure.InvalidProof, node is JsonArray
                ? "the proof is a set of proofs; exactly one proof object is accepted"
                : "the proof is not a JSON object");
        }

        if (proof.ContainsKey("@context"))
        {
            return (CredentialFailure.InvalidProof, "the proof carries an @context of its own; membership proofs carry none");
        }

        var shape = ProofVerifier.CheckShape(document, proof, signature);
        if (!shape.IsValid)
        {
            return (CredentialFailure.InvalidProof, shape.Failure!);
        }

        if (!DateTimeStamp.TryParse(MembershipJson.GetString(proof, "created"), out created))
        {
            return (CredentialFailure.InvalidProof, proof.ContainsKey("created")
                ? $"{ProofFailure.BadCreated} with a time zone: {proof["created"]!.ToJsonString()}"
                : "the proof has no created time");
        }

        verificationMethod = MembershipJson.GetString(proof, "verificationMethod")!;
        if (!MembershipJson.IsHttpUrl(verificationMethod))
        {
            return (CredentialFailure.InvalidProof, $"{ProofFailure.BadVerificationMethod}: {verificationMethod}");
        }

        var controller = MembershipJson.WithoutFragment(verificationMethod);
        if (!string.Equals(controller, issuer, StringComparison.Ordinal))
        {
            return (CredentialFailure.WrongOwner, $"the proof is made with {verificationMethod}, a key of {controller}, not of the issuer {issuer}");
        }

        return null;
    }

    /// <summary>Steps 11 and 12, for a document whose proof passed <see cref="CheckShape"/>.</summary>
    public static (CredentialFailure Failure, string Detail)? CheckKeyAndSignature(
        JsonObject document, string issuer, string verificationMethod, ReadOnlySpan<byte> signature, JsonObject? issuerActor)
    {
        if (issuerActor is null)
        {
            return (CredentialFailure.KeyNotOwned, $"the issuer's actor could not be fetched: {issuer}");
        }

        var actorId = MembershipJson.GetString(issuerActor, "id");
        if (!string.Equals(actorId, issuer, StringComparison.Ordinal))
        {
            return (CredentialFailure.KeyNotOwned, $"the actor document given is {actorId ?? "a document without id"}, not the issuer {issuer}");
        }

        var found = ProofVerifier.FindAssertionKey(issuerActor, issuer, verificationMethod, out Ed25519PublicKey? key);
        if (!found.IsValid)
        {
            return (CredentialFailure.KeyNotOwned, found.Failure!);
        }

        var proof = (JsonObject)document["proof"]!;
        var checkedSignature = ProofVerifier.CheckSignature(document, proof, signature, key!);
        return checkedSignature.IsValid ? null : (CredentialFailure.InvalidProof, checkedSignature.Failure!);
    }
}
