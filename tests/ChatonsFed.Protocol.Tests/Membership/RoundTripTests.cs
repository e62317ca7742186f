using ChatonsFed.Protocol.Membership;
using ChatonsFed.Protocol.Proofs;

namespace ChatonsFed.Protocol.Tests.Membership;

/// <summary>What an issuer builds and signs with a fresh key, a verifier accepts; then revocation, expiry and the clock.</summary>
public sealed class RoundTripTests : IDisposable
{
    private const string Subject = "https://subject.test/actor";

    private readonly MembershipIssuer _issuer = new();

    public void Dispose() => _issuer.Dispose();

    [Fact]
    public void Build_sign_verify_then_revoke_through_a_signed_list()
    {
        var actor = _issuer.Actor();
        Assert.Null(IssuerActorCheck.Check(actor, _issuer.ActorId));
        var draft = _issuer.Draft(Subject, 1207);
        var credential = _issuer.Credential(draft);

        var list = StatusListDocument.Verify(_issuer.StatusList(), _issuer.StatusListUrl, _issuer.ActorId, actor, MembershipIssuer.Now);
        var verdict = CredentialVerifier.Verify(MembershipIssuer.Bytes(credential), CredentialSource.HeldBy(Subject), actor,
            url => url == _issuer.StatusListUrl ? list.Bits : null, MembershipIssuer.Now);

        Assert.True(verdict.Accepted, verdict.Detail);
        Assert.Equal(draft.Id, verdict.Credential!.Id);
        Assert.Equal(draft.Criteria, verdict.Credential.Criteria);
        Assert.Equal(draft.Note, verdict.Credential.Note);
        Assert.Equal(draft.StatusListIndex, verdict.Credential.StatusListIndex);
        Assert.Equal(draft.ValidFrom, verdict.Credential.ValidFrom);
        Assert.Equal(draft.ValidUntil, verdict.Credential.ValidUntil);
        Assert.Equal(_issuer.KeyId, verdict.Credential.VerificationMethod);

        _issuer.Bits.Set(1207);
        var revokedList = StatusListDocument.Verify(_issuer.StatusList(), _issuer.StatusListUrl, _issuer.ActorId, actor, MembershipIssuer.Now);
        var held = list.Bits!.Union(revokedList.Bits!);
        var revoked = CredentialVerifier.Verify(credential, CredentialSource.Direct, actor, _ => held, MembershipIssuer.Now);

        Assert.Equal(CredentialState.Revoked, revoked.State);
        Assert.True(revoked.Authentic);
    }

    [Fact]
    public void A_proof_with_its_own_context_from_a_default_signer_is_refused()
    {
        var signer = new ProofSigner(_issuer.Key, _issuer.KeyId, TimeProvider.System);
        var signed = signer.Sign(MembershipCredentialBuilder.Build(_issuer.Draft(Subject, 3)), MembershipIssuer.Now);

        Assert.Equal(CredentialFailure.InvalidProof, CredentialVerifier.Parse(signed, CredentialSource.Direct).Failure);
    }

    [Fact]
    public void The_state_follows_the_clock_with_one_hour_of_skew_and_400_days_at_most()
    {
        var validFrom = MembershipIssuer.Now;
        var parsed = CredentialVerifier.Parse(_issuer.Credential(_issuer.Draft(Subject, 5, validFrom, days: 400)), CredentialSource.Direct);
        var credential = parsed.Credential!;
        var bits = _issuer.Bits;

        Assert.Equal(CredentialState.NotYetValid, CredentialVerifier.StateAt(credential, validFrom - CredentialVerifier.ClockSkew - TimeSpan.FromSeconds(1), bits).State);
        Assert.Equal(CredentialState.Valid, CredentialVerifier.StateAt(credential, validFrom - CredentialVerifier.ClockSkew, bits).State);
        Assert.Equal(CredentialState.Valid, CredentialVerifier.StateAt(credential, credential.ValidUntil.AddTicks(-1), bits).State);
        Assert.Equal(CredentialState.Expired, CredentialVerifier.StateAt(credential, credential.ValidUntil, bits).State);
        Assert.Equal(CredentialState.StatusUnavailable, CredentialVerifier.StateAt(credential, validFrom, null).State);
        Assert.Equal(CredentialState.NotYetValid, CredentialVerifier.StateAt(credential, validFrom.AddHours(-2), null).State);
        Assert.Equal(TimeSpan.FromHours(1), CredentialVerifier.ClockSkew);
    }

    [Fact]
    public void A_validUntil_beyond_400_days_expires_400_days_after_validFrom()
    {
        var from = MembershipIssuer.Now.AddDays(-399);
        var draft = _issuer.Draft(Subject, 6, from, days: 400);
        var document = MembershipCredentialBuilder.Build(draft);
        document["validUntil"] = DateTimeStamp.Format(from.AddDays(800));
        var credential = CredentialVerifier.Parse(_issuer.Sign(document), CredentialSource.Direct).Credential!;

        Assert.Equal(CredentialState.Valid, CredentialVerifier.StateAt(credential, from.AddDays(400).AddSeconds(-1), _issuer.Bits).State);
        var (state, detail) = CredentialVerifier.StateAt(credential, from.AddDays(400), _issuer.Bits);
        Assert.Equal(CredentialState.Expired, state);
        Assert.Contains("400 days", detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_revocation_bit_is_checked_before_the_dates()
    {
        var credential = CredentialVerifier.Parse(_issuer.Credential(_issuer.Draft(Subject, 9)), CredentialSource.Direct).Credential!;
        _issuer.Bits.Set(9);

        Assert.Equal(CredentialState.Revoked, CredentialVerifier.StateAt(credential, credential.ValidUntil.AddDays(1), _issuer.Bits).State);
        Assert.Equal(CredentialState.NotYetValid, CredentialVerifier.StateAt(credential, credential.ValidFrom.AddDays(-1), _issuer.Bits).State);
    }

    [Fact]
    public void The_builder_refuses_a_draft_that_would_not_verify()
    {
        var draft = _issuer.Draft(Subject, 1);

        Assert.Throws<ArgumentException>(() => MembershipCredentialBuilder.Build(draft with { Subject = _issuer.ActorId }));
        Assert.Throws<ArgumentException>(() => MembershipCredentialBuilder.Build(draft with { Id = "https://elsewhere.test/c/1" }));
        Assert.Throws<ArgumentException>(() => MembershipCredentialBuilder.Build(draft with { StatusListUrl = "https://elsewhere.test/status" }));
        Assert.Throws<ArgumentException>(() => MembershipCredentialBuilder.Build(draft with { ValidUntil = draft.ValidFrom }));
        Assert.Throws<ArgumentException>(() => MembershipCredentialBuilder.Build(draft with { ValidUntil = draft.ValidFrom.AddDays(401) }));
        Assert.Throws<ArgumentException>(() => MembershipCredentialBuilder.Build(draft with { StatusListIndex = -1 }));
        Assert.Throws<ArgumentException>(() => MembershipCredentialBuilder.Build(draft with { AttestationDigest = "abc" }));
        Assert.Throws<ArgumentException>(() => MembershipCredentialBuilder.Build(draft with { CharterVersion = "" }));
        Assert.Throws<ArgumentException>(() => MembershipCredentialBuilder.Build(draft with { Criteria = [new CriterionCheck("", true, null)] }));
        Assert.NotNull(MembershipCredentialBuilder.Build(draft with { ValidUntil = draft.ValidFrom.AddDays(400), Criteria = [], Note = null, CharterDigest = null }));
    }

    [Fact]
    public void The_builder_writes_whole_seconds_in_UTC_and_leaves_out_empty_optional_members()
    {
        var draft = _issuer.Draft(Subject, 0) with
        {
            ValidFrom = new DateTimeOffset(2026, 5, 1, 12, 0, 0, 500, TimeSpan.FromHours(2)),
            ValidUntil = new DateTimeOffset(2027, 5, 1, 10, 0, 0, TimeSpan.Zero),
            Criteria = [],
            Note = null,
            CharterDigest = null,
        };

        var document = MembershipCredentialBuilder.Build(draft);

        Assert.Equal("2026-05-01T10:00:00Z", document["validFrom"]!.GetValue<string>());
        Assert.Equal("2027-05-01T10:00:00Z", document["validUntil"]!.GetValue<string>());
        var subject = document["credentialSubject"]!.AsObject();
        Assert.False(subject.ContainsKey("criteria"));
        Assert.False(subject.ContainsKey("note"));
        Assert.False(subject["charter"]!.AsObject().ContainsKey("digest"));
        Assert.Equal("0", document["credentialStatus"]!["statusListIndex"]!.GetValue<string>());
        Assert.Equal(_issuer.StatusListUrl + "#0", document["credentialStatus"]!["id"]!.GetValue<string>());
        Assert.True(CredentialVerifier.Parse(_issuer.Sign(document), CredentialSource.Direct).Succeeded);
    }
}
