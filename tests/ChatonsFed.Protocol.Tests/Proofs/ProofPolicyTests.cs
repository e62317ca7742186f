using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Keys;
using ChatonsFed.Protocol.Proofs;

namespace ChatonsFed.Protocol.Tests.Proofs;

/// <summary>One test per refusal reason of <see cref="ProofVerifier"/>, and the shapes it must accept.</summary>
public sealed class ProofPolicyTests : IDisposable
{
    private readonly ChatonFixture _chaton = new();

    public void Dispose() => _chaton.Dispose();

    [Fact]
    public void A_signed_service_verifies()
    {
        Assert.Equal(VerificationResult.Valid, ProofVerifier.Verify(_chaton.SignedService(), _chaton.Actor()));
    }

    [Fact]
    public void Created_is_written_in_whole_seconds_in_UTC()
    {
        var signed = _chaton.SignedService();
        Assert.Equal("2026-03-01T12:30:15Z", signed["proof"]!["created"]!.GetValue<string>());
        Assert.Equal("2026-03-01T10:30:15Z", ProofSigner.FormatCreated(new DateTimeOffset(2026, 3, 1, 12, 30, 15, 999, TimeSpan.FromHours(2))));
    }

    [Fact]
    public void The_signer_refuses_a_document_that_already_has_a_proof()
    {
        Assert.Throws<ArgumentException>(() => _chaton.Signer.Sign(_chaton.SignedService()));
    }

    [Fact]
    public void Missing_proof() =>
        AssertRefused(ProofFailure.NoProof, ChatonFixture.Service(), _chaton.Actor());

    [Fact]
    public void Empty_proof_array() =>
        AssertRefused(ProofFailure.NoProof, With(_chaton.SignedService(), d => d["proof"] = new JsonArray()), _chaton.Actor());

    [Fact]
    public void Proof_that_is_not_an_object() =>
        AssertRefused(ProofFailure.ProofNotAnObject, With(_chaton.SignedService(), d => d["proof"] = "z123"), _chaton.Actor());

    [Fact]
    public void Wrong_proof_type() =>
        AssertRefused(ProofFailure.WrongProofType, WithProof(p => p["type"] = "Ed25519Signature2020"), _chaton.Actor());

    [Fact]
    public void Proof_chain_is_not_followed() =>
        AssertRefused(ProofFailure.ProofChain, WithProof(p => p["previousProof"] = "urn:uuid:1"), _chaton.Actor());

    [Fact]
    public void Wrong_cryptosuite() =>
        AssertRefused(ProofFailure.WrongCryptosuite, WithProof(p => p["cryptosuite"] = "eddsa-rdfc-2022"), _chaton.Actor());

    [Fact]
    public void Wrong_proof_purpose() =>
        AssertRefused(ProofFailure.WrongProofPurpose, WithProof(p => p["proofPurpose"] = "authentication"), _chaton.Actor());

    [Fact]
    public void Missing_verification_method() =>
        AssertRefused(ProofFailure.BadVerificationMethod, WithProof(p => p.Remove("verificationMethod")), _chaton.Actor());

    [Fact]
    public void Verification_method_that_is_not_an_http_url()
    {
        var signer = new ProofSigner(_chaton.Key, "did:key:" + _chaton.Key.PublicKey.ToMultibase(), TimeProvider.System);
        var signed = signer.Sign(ChatonFixture.Service());
        Assert.True(ProofVerifier.VerifySignature(signed, _chaton.Key.PublicKey).IsValid);
        AssertRefused(ProofFailure.BadVerificationMethod, signed, _chaton.Actor());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("u9Yk")]
    [InlineData("z0OIl")]
    [InlineData("z2g")]
    public void Bad_proof_value(string? proofValue) =>
        AssertRefused(ProofFailure.BadProofValue, WithProof(p => p["proofValue"] = proofValue), _chaton.Actor());

    [Fact]
    public void Proof_value_of_63_bytes() =>
        AssertRefused(ProofFailure.BadProofValue, WithProof(p => p["proofValue"] = Multibase.EncodeBase58Btc(new byte[63])), _chaton.Actor());

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2026-03-01 12:30:15Z")]
    [InlineData("2026-03-01T12:30:15")]
    public void Bad_created(string created) =>
        AssertRefused(ProofFailure.BadCreated, WithProof(p => p["created"] = created), _chaton.Actor());

    [Fact]
    public void Proof_context_that_is_not_a_prefix_of_the_document_context() =>
        AssertRefused(ProofFailure.ContextMismatch, WithProof(p => p["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2")), _chaton.Actor());

    [Fact]
    public void Object_without_id() =>
        AssertRefused(ProofFailure.NoObjectId, _chaton.SignedService(s => s.Remove("id")), _chaton.Actor());

    [Fact]
    public void Verification_method_on_another_origin()
    {
        const string ForeignKey = "https://elsewhere.test/actor#ed25519-key";
        var signer = new ProofSigner(_chaton.Key, ForeignKey, TimeProvider.System);
        var actor = _chaton.Actor();
        actor["assertionMethod"]!.AsArray().Add(With(_chaton.Multikey(), k => k["id"] = ForeignKey));
        AssertRefused(ProofFailure.VerificationMethodOrigin, signer.Sign(ChatonFixture.Service()), actor);
    }

    [Fact]
    public void Object_without_owner() =>
        AssertRefused(ProofFailure.NoOwner, _chaton.SignedService(s => s.Remove("attributedTo")), _chaton.Actor());

    [Fact]
    public void Object_with_two_owners() =>
        AssertRefused(ProofFailure.SeveralOwners, _chaton.SignedService(s => s["attributedTo"] = new JsonArray(ChatonFixture.ActorId, "https://chaton.test/other")), _chaton.Actor());

    [Fact]
    public void Activity_whose_actor_and_attributedTo_differ() =>
        AssertRefused(ProofFailure.SeveralOwners, _chaton.SignedService(s => s["actor"] = "https://chaton.test/other"), _chaton.Actor());

    [Fact]
    public void Owner_on_another_origin() =>
        AssertRefused(ProofFailure.OwnerOrigin, _chaton.SignedService(s => s["attributedTo"] = "https://elsewhere.test/actor"), With(_chaton.Actor(), a => a["id"] = "https://elsewhere.test/actor"));

    [Fact]
    public void Actor_document_of_someone_else() =>
        AssertRefused(ProofFailure.ActorMismatch, _chaton.SignedService(), With(_chaton.Actor(), a => a["id"] = "https://chaton.test/other"));

    [Fact]
    public void Key_not_listed_in_assertionMethod() =>
        AssertRefused(ProofFailure.NotInAssertionMethod, _chaton.SignedService(), _chaton.Actor(new JsonArray(With(_chaton.Multikey(), k => k["id"] = ChatonFixture.ActorId + "#key-2"))));

    [Fact]
    public void Key_only_in_publicKey_is_not_an_assertion_method()
    {
        var actor = _chaton.Actor(new JsonArray());
        actor["publicKey"] = _chaton.Multikey();
        AssertRefused(ProofFailure.NotInAssertionMethod, _chaton.SignedService(), actor);
    }

    [Fact]
    public void Key_listed_by_id_without_its_description() =>
        AssertRefused(ProofFailure.KeyNotFound, _chaton.SignedService(), _chaton.Actor(new JsonArray(ChatonFixture.KeyId)));

    [Fact]
    public void Key_that_is_not_a_Multikey() =>
        AssertRefused(ProofFailure.NotMultikey, _chaton.SignedService(), _chaton.Actor(new JsonArray(With(_chaton.Multikey(), k => k["type"] = "Ed25519VerificationKey2020"))));

    [Fact]
    public void Key_controlled_by_someone_else() =>
        AssertRefused(ProofFailure.ControllerMismatch, _chaton.SignedService(), _chaton.Actor(new JsonArray(With(_chaton.Multikey(), k => k["controller"] = "https://chaton.test/other"))));

    [Fact]
    public void Key_that_is_an_RSA_Multikey()
    {
        using var rsa = RsaKeyPair.Generate();
        var result = ProofVerifier.Verify(_chaton.SignedService(), _chaton.Actor(new JsonArray(_chaton.Multikey(rsa.PublicKey.ToMultibase()))));
        Assert.StartsWith(ProofFailure.BadPublicKey, result.Failure);
        Assert.Contains("rsa-pub", result.Failure);
    }

    [Fact]
    public void Key_that_does_not_match_the_signature()
    {
        using var other = Ed25519KeyPair.Generate();
        AssertRefused(ProofFailure.BadSignature, _chaton.SignedService(), _chaton.Actor(new JsonArray(_chaton.Multikey(other.PublicKey.ToMultibase()))));
    }

    [Fact]
    public void Document_that_cannot_be_canonicalized() =>
        AssertRefused(ProofFailure.Malformed, With(_chaton.SignedService(), d => d["name"] = "Pads\ud800"), _chaton.Actor());

    [Fact]
    public async Task Owner_that_cannot_be_resolved()
    {
        var result = await ProofVerifier.VerifyAsync(_chaton.SignedService(), (_, _) => ValueTask.FromResult<JsonObject?>(null));
        Assert.StartsWith(ProofFailure.OwnerUnavailable, result.Failure);
    }

    [Fact]
    public void Low_level_check_reports_a_bad_raw_key()
    {
        var result = ProofVerifier.VerifySignature(_chaton.SignedService(), new byte[31]);
        Assert.StartsWith(ProofFailure.BadPublicKey, result.Failure);
        Assert.Equal(VerificationResult.Valid, ProofVerifier.VerifySignature(_chaton.SignedService(), _chaton.Key.PublicKey.RawBytes));
    }

    [Fact]
    public void All_reasons_are_distinct()
    {
        var reasons = typeof(ProofFailure).GetFields().Select(f => (string)f.GetValue(null)!).ToList();
        Assert.Equal(reasons.Count, reasons.Distinct().Count());
        Assert.All(reasons, r => Assert.DoesNotContain(reasons, other => other != r && other.StartsWith(r, StringComparison.Ordinal)));
    }

    [Fact]
    public void Single_assertionMethod_object_is_accepted() =>
        Assert.Equal(VerificationResult.Valid, ProofVerifier.Verify(_chaton.SignedService(), _chaton.Actor(_chaton.Multikey())));

    [Fact]
    public void AssertionMethod_id_described_under_verificationMethod_is_accepted()
    {
        var actor = _chaton.Actor(ChatonFixture.KeyId);
        actor["verificationMethod"] = new JsonArray(_chaton.Multikey());
        Assert.Equal(VerificationResult.Valid, ProofVerifier.Verify(_chaton.SignedService(), actor));
    }

    [Fact]
    public void Owner_given_as_an_object_or_a_one_item_array_is_accepted()
    {
        var asObject = _chaton.SignedService(s => s["attributedTo"] = new JsonObject { ["id"] = ChatonFixture.ActorId, ["type"] = "Organization" });
        Assert.Equal(VerificationResult.Valid, ProofVerifier.Verify(asObject, _chaton.Actor()));
        var asArray = _chaton.SignedService(s => s["attributedTo"] = new JsonArray(ChatonFixture.ActorId));
        Assert.Equal(VerificationResult.Valid, ProofVerifier.Verify(asArray, _chaton.Actor()));
    }

    [Fact]
    public void Activity_by_the_actor_is_accepted()
    {
        var activity = new JsonObject
        {
            ["@context"] = ChatonFixture.Context(),
            ["id"] = "https://chaton.test/activities/1",
            ["type"] = "Update",
            ["actor"] = new JsonObject { ["id"] = ChatonFixture.ActorId },
            ["object"] = ChatonFixture.Service(),
        };
        Assert.Equal(VerificationResult.Valid, ProofVerifier.Verify(_chaton.Signer.Sign(activity), _chaton.Actor()));
    }

    [Fact]
    public void Actor_signing_itself_is_accepted()
    {
        var actor = _chaton.Signer.Sign(_chaton.Actor());
        Assert.Equal(VerificationResult.Valid, ProofVerifier.Verify(actor, actor));
    }

    [Fact]
    public void Origins_compare_scheme_host_and_port_after_normalisation() =>
        Assert.Equal(VerificationResult.Valid, ProofVerifier.Verify(_chaton.SignedService(s => s["id"] = "https://CHATON.test:443/service/1"), _chaton.Actor()));

    [Fact]
    public void Different_port_is_another_origin() =>
        AssertRefused(ProofFailure.VerificationMethodOrigin, _chaton.SignedService(s => s["id"] = "https://chaton.test:8443/service/1"), _chaton.Actor());

    [Fact]
    public void Proof_without_embedded_context_as_Fedify_writes_it_is_accepted()
    {
        var signer = new ProofSigner(_chaton.Key, ChatonFixture.KeyId, TimeProvider.System) { EmbedContextInProof = false };
        var signed = signer.Sign(ChatonFixture.Service());
        Assert.False(signed["proof"]!.AsObject().ContainsKey("@context"));
        Assert.Equal(VerificationResult.Valid, ProofVerifier.Verify(signed, _chaton.Actor()));
    }

    [Fact]
    public void Proof_without_context_hashed_strictly_as_received_is_accepted()
    {
        var service = ChatonFixture.Service();
        var proof = new JsonObject
        {
            ["type"] = "DataIntegrityProof",
            ["cryptosuite"] = "eddsa-jcs-2022",
            ["verificationMethod"] = ChatonFixture.KeyId,
            ["proofPurpose"] = "assertionMethod",
            ["created"] = "2026-03-01T12:30:15Z",
        };
        var hashData = new byte[64];
        DataIntegrityProof.ComputeHashData(service, proof, hashData, ProofContext.AsReceived);
        proof["proofValue"] = Multibase.EncodeBase58Btc(_chaton.Key.Sign(hashData));
        service["proof"] = proof;
        Assert.Equal(VerificationResult.Valid, ProofVerifier.Verify(service, _chaton.Actor()));
    }

    [Fact]
    public void Proof_set_is_accepted_when_one_proof_passes()
    {
        using var stranger = Ed25519KeyPair.Generate();
        var foreignProof = new ProofSigner(stranger, "https://elsewhere.test/actor#key", TimeProvider.System).CreateProof(ChatonFixture.Service(), ChatonFixture.Created);
        var ownProof = _chaton.Signer.CreateProof(ChatonFixture.Service(), ChatonFixture.Created);

        var set = With(ChatonFixture.Service(), s => s["proof"] = new JsonArray(foreignProof, ownProof));
        Assert.Equal(VerificationResult.Valid, ProofVerifier.Verify(set, _chaton.Actor()));

        var onlyForeign = With(ChatonFixture.Service(), s => s["proof"] = new JsonArray(foreignProof.DeepClone()));
        AssertRefused(ProofFailure.VerificationMethodOrigin, onlyForeign, _chaton.Actor());
    }

    private static void AssertRefused(string reason, JsonObject document, JsonObject actor)
    {
        var result = ProofVerifier.Verify(document, actor);
        Assert.False(result.IsValid);
        Assert.StartsWith(reason, result.Failure);
    }

    private JsonObject WithProof(Action<JsonObject> edit) =>
        With(_chaton.SignedService(), d => edit(d["proof"]!.AsObject()));

    private static JsonObject With(JsonObject obj, Action<JsonObject> edit)
    {
        edit(obj);
        return obj;
    }
}
