using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Membership;

namespace ChatonsFed.Protocol.Tests.Membership;

/// <summary>Every credential of tests/vectors/membership.json, with its expected verdict, reason and authenticity.</summary>
public class CredentialVectorTests
{
    public static TheoryData<string> Names => new(MembershipVectors.CredentialNames);

    [Theory]
    [MemberData(nameof(Names))]
    public void Credential_gets_the_expected_verdict(string name)
    {
        var expected = MembershipVectors.Credential(name)["expected"]!.AsObject();
        var document = MembershipVectors.CredentialDocument(name);
        var issuer = document["issuer"]!.GetValue<string>();

        var verdict = CredentialVerifier.Verify(
            MembershipVectors.CredentialBytes(name), CredentialSource.Direct, MembershipVectors.Actor(issuer),
            MembershipVectors.HeldLists(), MembershipVectors.Now);

        Assert.Equal(expected["authentic"]!.GetValue<bool>(), verdict.Authentic);
        Assert.Equal(expected["verdict"]!.GetValue<string>() == "accepted", verdict.Accepted);
        if (verdict.Accepted)
        {
            Assert.Equal(CredentialState.Valid, verdict.State);
            Assert.Null(verdict.Failure);
            Assert.Equal(expected["state"]!.GetValue<string>(), CredentialStates.WireName(verdict.State!.Value));
        }
        else
        {
            Assert.Equal(expected["reason"]!.GetValue<string>(), verdict.Failure.ToString());
            Assert.False(string.IsNullOrWhiteSpace(verdict.Detail));
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void The_parsed_object_gets_the_same_verdict_as_the_bytes(string name)
    {
        var document = MembershipVectors.CredentialDocument(name);
        var issuer = document["issuer"]!.GetValue<string>();
        var fromBytes = CredentialVerifier.Verify(
            MembershipVectors.CredentialBytes(name), CredentialSource.Direct, MembershipVectors.Actor(issuer),
            MembershipVectors.HeldLists(), MembershipVectors.Now);

        var fromObject = CredentialVerifier.Verify(
            document, CredentialSource.Direct, MembershipVectors.Actor(issuer), MembershipVectors.HeldLists(), MembershipVectors.Now);

        Assert.Equal(fromBytes.Failure, fromObject.Failure);
        Assert.Equal(fromBytes.State, fromObject.State);
        Assert.Equal(fromBytes.Authentic, fromObject.Authentic);
    }

    [Fact]
    public void The_valid_vector_parses_into_its_fields()
    {
        var parsed = CredentialVerifier.Parse(MembershipVectors.CredentialBytes("valid"), CredentialSource.Direct);

        Assert.True(parsed.Succeeded, parsed.Detail);
        var c = parsed.Credential!;
        Assert.Equal("https://chaton-a.example/membership/issued/0055b80e2c5e91826c8570be", c.Id);
        Assert.Equal(MembershipVectors.ChatonA, c.Issuer);
        Assert.Equal(MembershipVectors.ChatonB, c.Subject);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), c.ValidFrom);
        Assert.Equal(new DateTimeOffset(2027, 3, 1, 10, 0, 0, TimeSpan.Zero), c.ValidUntil);
        Assert.Equal("2016-v1", c.CharterVersion);
        Assert.Equal("sha256-rWDn8J4EBxr5nv0IiyyB+bHzM8ZZyzJ8PyNWOA+ks0c=", c.CharterDigest);
        Assert.Equal("https://chaton-b.example/attestation", c.AttestationId);
        Assert.Equal(MembershipVectors.File["attestation"]!["digest"]!.GetValue<string>(), c.AttestationDigest);
        Assert.Equal([new CriterionCheck("hoster.control", true, null), new CriterionCheck("open.free-software", true, null)], c.Criteria);
        Assert.Equal("Candidature examinée sur le forum du collectif.", c.Note);
        Assert.Equal(MembershipVectors.StatusListUrl, c.StatusListUrl);
        Assert.Equal(40213, c.StatusListIndex);
        Assert.Equal(MembershipVectors.KeyA, c.VerificationMethod);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), c.ProofCreated);
        Assert.IsType<JsonObject>(parsed.Document);
    }

    [Fact]
    public void The_attestation_digest_matches_the_vector()
    {
        var attestation = MembershipVectors.File["attestation"]!;

        Assert.Equal(attestation["digest"]!.GetValue<string>(), AttestationDigest.Compute(attestation["document"]!.AsObject()));
    }

    [Fact]
    public void The_attestation_digest_ignores_the_proof()
    {
        var document = MembershipVectors.File["attestation"]!["document"]!.DeepClone().AsObject();
        var withProof = AttestationDigest.Compute(document);
        document.Remove("proof");

        Assert.Equal(withProof, AttestationDigest.Compute(document));
        document["name"] = "autre";
        Assert.NotEqual(withProof, AttestationDigest.Compute(document));
    }
}
