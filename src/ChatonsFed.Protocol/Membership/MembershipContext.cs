using System.Text.Json.Nodes;

namespace ChatonsFed.Protocol.Membership;

/// <summary>
/// The <c>@context</c> values of membership documents (spec/membership.md §1): credentials carry the VC 2.0
/// context then an inline object of their own terms; status lists carry the VC 2.0 context alone.
/// </summary>
public static class MembershipContext
{
    public const string CredentialsV2 = "https://www.w3.org/ns/credentials/v2";

    /// <summary>The base IRI against which criterion ids resolve.</summary>
    public const string CriteriaBase = "https://chatons.org/criteria/";

    /// <summary>A fresh copy of a credential's <c>@context</c>, in the order the vectors write it.</summary>
    public static JsonArray CredentialContext() =>
    [
        CredentialsV2,
        new JsonObject
        {
            ["@base"] = CriteriaBase,
            ["chatons"] = "https://chatons.org/ns#",
            ["ChatonsMembershipCredential"] = "chatons:ChatonsMembershipCredential",
            ["charter"] = "chatons:charter",
            ["version"] = "chatons:version",
            ["digest"] = "chatons:digest",
            ["charterAttestation"] = new JsonObject { ["@id"] = "chatons:charterAttestation", ["@type"] = "@id" },
            ["criteria"] = "chatons:criteria",
            ["met"] = "chatons:met",
            ["note"] = "chatons:note",
        },
    ];

    /// <summary>A fresh copy of a status list's <c>@context</c>.</summary>
    public static JsonArray StatusListContext() => [CredentialsV2];
}
