using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Proofs;

namespace ChatonsFed.Protocol.Membership;

/// <summary>Checks the issuer's actor document before its keys are trusted for a credential or a status list (step 11).</summary>
public static class IssuerActorCheck
{
    /// <summary>Null when <paramref name="actor"/> has the id <paramref name="expectedId"/> and its own proof verifies; else the reason.</summary>
    public static string? Check(JsonObject actor, string expectedId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrEmpty(expectedId);
        var id = MembershipJson.GetString(actor, "id");
        if (!string.Equals(id, expectedId, StringComparison.Ordinal))
        {
            return $"the actor document's id is {id ?? "missing"}, not {expectedId}";
        }

        var result = ProofVerifier.Verify(actor, actor);
        return result.IsValid ? null : $"the actor's own proof does not verify: {result.Failure}";
    }
}
