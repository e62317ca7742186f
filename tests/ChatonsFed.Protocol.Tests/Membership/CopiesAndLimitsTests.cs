using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Membership;

namespace ChatonsFed.Protocol.Tests.Membership;

/// <summary>Which of two copies of one id is kept, how long credentials are listed and held lists count.</summary>
public sealed class CopiesAndLimitsTests : IDisposable
{
    private const string Subject = "https://subject.test/actor";

    private readonly MembershipIssuer _issuer = new();

    public void Dispose() => _issuer.Dispose();

    [Fact]
    public void Steps_passed_follow_the_order_of_the_steps()
    {
        var actor = _issuer.Actor();
        var valid = _issuer.Credential(_issuer.Draft(Subject, 1));
        var notSigned = valid.DeepClone().AsObject();
        notSigned.Remove("proof");
        var foreignKey = valid.DeepClone().AsObject();
        foreignKey["proof"]!["verificationMethod"] = "https://other.test/actor#key";
        var tampered = valid.DeepClone().AsObject();
        tampered["credentialSubject"]!["note"] = "changée";

        Assert.Equal(16, Verify(valid, actor).StepsPassed);
        Assert.Equal(4, Verify(valid, actor, CredentialSource.IssuedBy(Subject)).StepsPassed);
        Assert.Equal(6, Verify(notSigned, actor).StepsPassed);
        Assert.Equal(8, Verify(foreignKey, actor).StepsPassed);
        Assert.Equal(10, Verify(valid, null).StepsPassed);
        Assert.Equal(11, Verify(tampered, actor).StepsPassed);
        Assert.Equal(13, CredentialVerifier.Verify(valid, CredentialSource.Direct, actor, _ => null, MembershipIssuer.Now).StepsPassed);
        Assert.Equal(0, CredentialVerifier.Verify(new byte[CredentialVerifier.MaxCredentialBytes + 1], CredentialSource.Direct, actor, _ => null, MembershipIssuer.Now).StepsPassed);
        Assert.Equal(10, CredentialVerifier.Parse(valid, CredentialSource.Direct).StepsPassed);
    }

    [Fact]
    public void Of_two_copies_the_one_passing_more_steps_then_the_later_proof_is_kept()
    {
        var actor = _issuer.Actor();
        var draft = _issuer.Draft(Subject, 2);
        var unsigned = MembershipCredentialBuilder.Build(draft);
        var first = Verify(_issuer.Sign(unsigned, MembershipIssuer.Now.AddDays(-10)), actor);
        var resigned = Verify(_issuer.Sign(unsigned, MembershipIssuer.Now.AddDays(-1)), actor);
        var broken = _issuer.Sign(unsigned, MembershipIssuer.Now);
        broken["credentialSubject"]!["note"] = "changée";
        var tampered = Verify(broken, actor);

        Assert.Same(resigned, CredentialVerifier.PreferredCopy(first, resigned));
        Assert.Same(resigned, CredentialVerifier.PreferredCopy(resigned, first));
        Assert.Same(first, CredentialVerifier.PreferredCopy(first, tampered));
        Assert.Same(first, CredentialVerifier.PreferredCopy(tampered, first));
        Assert.Same(first, CredentialVerifier.PreferredCopy(first, first with { }));
    }

    [Fact]
    public void A_credential_counts_until_the_earlier_of_validUntil_and_400_days_and_is_listed_400_days_more()
    {
        var from = MembershipIssuer.Now;
        var credential = CredentialVerifier.Parse(_issuer.Credential(_issuer.Draft(Subject, 3, from, days: 365)), CredentialSource.Direct).Credential!;
        var stretched = credential with { ValidUntil = from.AddDays(900) };

        Assert.Equal(from.AddDays(365), credential.CountsUntil);
        Assert.Equal(from.AddDays(400), stretched.CountsUntil);
        Assert.True(credential.IsRetainedAt(from.AddDays(765).AddSeconds(-1)));
        Assert.False(credential.IsRetainedAt(from.AddDays(765)));
    }

    [Fact]
    public void A_held_status_list_counts_seven_days_after_its_last_verification()
    {
        var verified = MembershipIssuer.Now;

        Assert.True(MembershipCollections.HeldStatusListCounts(verified, verified.AddDays(7).AddSeconds(-1)));
        Assert.False(MembershipCollections.HeldStatusListCounts(verified, verified.AddDays(7)));
    }

    private static CredentialVerdict Verify(JsonObject document, JsonObject? actor, CredentialSource? source = null) =>
        CredentialVerifier.Verify(MembershipIssuer.Bytes(document), source ?? CredentialSource.Direct, actor, _ => StatusListBits.CreateEmpty(), MembershipIssuer.Now);
}
