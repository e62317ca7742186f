using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Membership;

namespace ChatonsFed.Protocol.Tests.Membership;

/// <summary>Each step of a credential's verification, on credentials signed by a fresh key, then changed and signed again.</summary>
public sealed class CredentialRuleTests : IDisposable
{
    private const string Subject = "https://subject.test/actor";

    private readonly MembershipIssuer _issuer = new();
    private readonly JsonObject _actor;
    private readonly JsonObject _valid;

    public CredentialRuleTests()
    {
        _actor = _issuer.Actor();
        _valid = _issuer.Credential(_issuer.Draft(Subject, 40213));
    }

    public void Dispose() => _issuer.Dispose();

    public static TheoryData<string, string> MalformedCases => new()
    {
        { "context-string", """{"@context": "https://www.w3.org/ns/credentials/v2"}""" },
        { "context-not-first", """{"@context": ["https://www.w3.org/ns/activitystreams", "https://www.w3.org/ns/credentials/v2"]}""" },
        { "context-empty", """{"@context": []}""" },
        { "issuer-missing", """{"issuer": null}""" },
        { "issuer-not-url", """{"issuer": "chaton-a"}""" },
        { "issuer-ftp", """{"issuer": "ftp://issuer.test/actor"}""" },
        { "issuer-object-without-id", """{"issuer": {"name": "A"}}""" },
        { "subject-array", """{"credentialSubject": [{"id": "https://subject.test/actor"}]}""" },
        { "subject-missing", """{"credentialSubject": null}""" },
        { "subject-id-missing", """{"credentialSubject": {"id": null}}""" },
        { "subject-id-not-url", """{"credentialSubject": {"id": "urn:x:1"}}""" },
        { "validFrom-missing", """{"validFrom": null}""" },
        { "validFrom-no-zone", """{"validFrom": "2026-05-22T00:00:00"}""" },
        { "validFrom-date", """{"validFrom": "2026-05-22"}""" },
        { "validFrom-number", """{"validFrom": 1780000000}""" },
        { "validFrom-bad-month", """{"validFrom": "2026-13-22T00:00:00Z"}""" },
        { "validUntil-missing", """{"validUntil": null}""" },
        { "validUntil-lowercase-z", """{"validUntil": "2027-05-22T00:00:00z"}""" },
        { "validUntil-equal", """{"validUntil": "2026-05-22T00:00:00Z"}""" },
        { "validUntil-before", """{"validUntil": "2026-05-21T23:59:59Z"}""" },
        { "charter-missing", """{"credentialSubject": {"charter": null}}""" },
        { "charter-version-missing", """{"credentialSubject": {"charter": {"version": null}}}""" },
        { "charter-version-number", """{"credentialSubject": {"charter": {"version": 2016}}}""" },
        { "charter-digest-number", """{"credentialSubject": {"charter": {"digest": 5}}}""" },
        { "attestation-missing", """{"credentialSubject": {"charterAttestation": null}}""" },
        { "attestation-string", """{"credentialSubject": {"charterAttestation": "https://subject.test/attestation"}}""" },
        { "attestation-id-not-url", """{"credentialSubject": {"charterAttestation": {"id": "attestation"}}}""" },
        { "attestation-digest-missing", """{"credentialSubject": {"charterAttestation": {"digest": null}}}""" },
        { "attestation-digest-other-hash", """{"credentialSubject": {"charterAttestation": {"digest": "sha512-abc"}}}""" },
        { "criteria-object", """{"credentialSubject": {"criteria": {"id": "hoster.control", "met": true}}}""" },
        { "criteria-met-string", """{"credentialSubject": {"criteria": [{"id": "hoster.control", "met": "true"}]}}""" },
        { "criteria-id-missing", """{"credentialSubject": {"criteria": [{"met": true}]}}""" },
        { "criteria-id-number", """{"credentialSubject": {"criteria": [{"id": 3, "met": true}]}}""" },
        { "criteria-item-string", """{"credentialSubject": {"criteria": ["hoster.control"]}}""" },
        { "criteria-note-number", """{"credentialSubject": {"criteria": [{"id": "hoster.control", "met": true, "note": 1}]}}""" },
        { "note-object", """{"credentialSubject": {"note": {"fr": "x"}}}""" },
        { "status-missing", """{"credentialStatus": null}""" },
        { "status-two", """{"credentialStatus": [{"type": "BitstringStatusListEntry"}, {"type": "BitstringStatusListEntry"}]}""" },
        { "status-type", """{"credentialStatus": {"type": "StatusList2021Entry"}}""" },
        { "status-purpose-suspension", """{"credentialStatus": {"statusPurpose": "suspension"}}""" },
        { "status-purpose-array", """{"credentialStatus": {"statusPurpose": ["revocation"]}}""" },
        { "status-index-leading-zero", """{"credentialStatus": {"statusListIndex": "040213"}}""" },
        { "status-index-ten-digits", """{"credentialStatus": {"statusListIndex": "1000000000"}}""" },
        { "status-index-number", """{"credentialStatus": {"statusListIndex": 40213}}""" },
        { "status-index-negative", """{"credentialStatus": {"statusListIndex": "-1"}}""" },
        { "status-index-sign", """{"credentialStatus": {"statusListIndex": "+1"}}""" },
        { "status-index-empty", """{"credentialStatus": {"statusListIndex": ""}}""" },
        { "status-index-arabic-digits", """{"credentialStatus": {"statusListIndex": "٤٠"}}""" },
        { "status-list-missing", """{"credentialStatus": {"statusListCredential": null}}""" },
        { "status-list-not-url", """{"credentialStatus": {"statusListCredential": "/membership/status"}}""" },
    };

    [Theory]
    [MemberData(nameof(MalformedCases))]
    public void Each_shape_rule_gives_Malformed(string name, string patch)
    {
        var document = _issuer.Resign(_valid, d => MembershipIssuer.Merge(d, JsonNode.Parse(patch)!.AsObject()));

        var verdict = Verify(document);

        Assert.Equal(CredentialFailure.Malformed, verdict.Failure);
        Assert.False(verdict.Authentic, name);
        Assert.False(string.IsNullOrWhiteSpace(verdict.Detail));
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("\"credential\"")]
    [InlineData("{\"id\": ")]
    [InlineData("{\"id\": \"a\", \"id\": \"b\"}")]
    [InlineData("{} {}")]
    [InlineData("")]
    public void What_is_not_one_JSON_object_is_Malformed(string text)
    {
        var parsed = CredentialVerifier.Parse(Encoding.UTF8.GetBytes(text), CredentialSource.Direct);

        Assert.Equal(CredentialFailure.Malformed, parsed.Failure);
        Assert.Null(parsed.Credential);
    }

    [Fact]
    public void Nesting_deeper_than_64_is_Malformed()
    {
        var text = "{\"a\":" + new string('[', 70) + new string(']', 70) + "}";

        Assert.Equal(CredentialFailure.Malformed, CredentialVerifier.Parse(Encoding.UTF8.GetBytes(text), CredentialSource.Direct).Failure);
    }

    [Fact]
    public void Optional_members_may_be_left_out_and_ids_given_as_objects()
    {
        var document = _issuer.Resign(_valid, d =>
        {
            d["issuer"] = new JsonObject { ["id"] = _issuer.ActorId, ["name"] = "Issuer" };
            var subject = d["credentialSubject"]!.AsObject();
            subject.Remove("criteria");
            subject.Remove("note");
            subject["charter"]!.AsObject().Remove("digest");
            d["credentialStatus"] = new JsonArray(d["credentialStatus"]!.DeepClone());
            d["validFrom"] = "2026-05-22T02:00:00.123456789+02:00";
        });

        var verdict = Verify(document);

        Assert.True(verdict.Accepted, verdict.Detail);
        Assert.Empty(verdict.Credential!.Criteria);
        Assert.Null(verdict.Credential.Note);
        Assert.Null(verdict.Credential.CharterDigest);
        Assert.Equal(_issuer.ActorId, verdict.Credential.Issuer);
        Assert.Equal(new DateTimeOffset(2026, 5, 22, 0, 0, 0, TimeSpan.Zero).AddTicks(1234567), verdict.Credential.ValidFrom);
    }

    [Theory]
    [InlineData("""["VerifiableCredential"]""")]
    [InlineData("""["ChatonsMembershipCredential"]""")]
    [InlineData("\"VerifiableCredential\"")]
    [InlineData("null")]
    public void A_type_lacking_either_name_is_WrongType(string type)
    {
        var document = _issuer.Resign(_valid, d => d["type"] = JsonNode.Parse(type));

        Assert.Equal(CredentialFailure.WrongType, Verify(document).Failure);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("urn:uuid:0a7c2b3e-6a57-4a42-9a43-3f34c0b2b6f1")]
    [InlineData("/membership/issued/1")]
    public void An_id_that_is_not_an_http_url_is_MissingId(string? id)
    {
        var document = _issuer.Resign(_valid, d => d["id"] = id);

        Assert.Equal(CredentialFailure.MissingId, Verify(document).Failure);
    }

    [Fact]
    public void The_collection_it_was_read_from_must_be_the_issuers_or_the_subjects()
    {
        Assert.True(CredentialVerifier.Parse(_valid, CredentialSource.IssuedBy(_issuer.ActorId)).Succeeded);
        Assert.True(CredentialVerifier.Parse(_valid, CredentialSource.HeldBy(Subject)).Succeeded);

        var wrongOwner = CredentialVerifier.Parse(_valid, CredentialSource.IssuedBy(Subject));
        var wrongSubject = CredentialVerifier.Parse(_valid, CredentialSource.HeldBy(_issuer.ActorId));

        Assert.Equal(CredentialFailure.WrongOwner, wrongOwner.Failure);
        Assert.Equal(CredentialFailure.WrongSubject, wrongSubject.Failure);
    }

    [Fact]
    public void An_issuer_endorsing_itself_is_SelfEndorsement()
    {
        var document = _issuer.Resign(_valid, d => d["credentialSubject"]!["id"] = _issuer.ActorId);

        Assert.Equal(CredentialFailure.SelfEndorsement, Verify(document).Failure);
    }

    [Fact]
    public void A_credential_without_proof_is_MissingProof()
    {
        var document = _valid.DeepClone().AsObject();
        document.Remove("proof");
        Assert.Equal(CredentialFailure.MissingProof, Verify(document).Failure);

        document["proof"] = null;
        Assert.Equal(CredentialFailure.MissingProof, Verify(document).Failure);
    }

    public static TheoryData<string, string> InvalidProofCases => new()
    {
        { "type", """{"type": "Ed25519Signature2020"}""" },
        { "cryptosuite", """{"cryptosuite": "eddsa-rdfc-2022"}""" },
        { "purpose", """{"proofPurpose": "authentication"}""" },
        { "method-missing", """{"verificationMethod": null}""" },
        { "method-not-url", """{"verificationMethod": "did:key:z6Mkkk5pLA1H97TBHvRgGkZbsUnooGnmP5uuAdA7cSp85NNt"}""" },
        { "created-missing", """{"created": null}""" },
        { "created-no-zone", """{"created": "2026-05-22T00:00:00"}""" },
        { "value-missing", """{"proofValue": null}""" },
        { "value-base64", """{"proofValue": "uAAAA"}""" },
        { "value-short", """{"proofValue": "z3yMApqCuCjXDWPrbjfR5mjCPTHqFG8Pux1TxQrEM35jQ"}""" },
        { "own-context", """{"@context": ["https://www.w3.org/ns/credentials/v2"]}""" },
        { "chain", """{"previousProof": "urn:proof:1"}""" },
    };

    [Theory]
    [MemberData(nameof(InvalidProofCases))]
    public void Each_proof_shape_rule_gives_InvalidProof(string name, string patch)
    {
        var document = _valid.DeepClone().AsObject();
        var proof = document["proof"]!.AsObject();
        foreach (var (key, value) in JsonNode.Parse(patch)!.AsObject())
        {
            if (value is null)
            {
                proof.Remove(key);
            }
            else
            {
                proof[key] = value.DeepClone();
            }
        }

        var parsed = CredentialVerifier.Parse(document, CredentialSource.Direct);

        Assert.Equal(CredentialFailure.InvalidProof, parsed.Failure);
        Assert.False(string.IsNullOrWhiteSpace(parsed.Detail), name);
    }

    [Fact]
    public void A_proof_set_is_InvalidProof()
    {
        var document = _valid.DeepClone().AsObject();
        document["proof"] = new JsonArray(document["proof"]!.DeepClone());

        Assert.Equal(CredentialFailure.InvalidProof, Verify(document).Failure);
    }

    [Fact]
    public void A_key_of_another_actor_is_WrongOwner()
    {
        using var other = new MembershipIssuer("https://other.test");
        var document = _valid.DeepClone().AsObject();
        document.Remove("proof");
        var signed = other.Sign(document);

        var verdict = Verify(signed);

        Assert.Equal(CredentialFailure.WrongOwner, verdict.Failure);
        Assert.Contains(other.ActorId, verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_on_the_issuers_origin_but_of_another_document_is_WrongOwner()
    {
        var document = _valid.DeepClone().AsObject();
        document["proof"]!["verificationMethod"] = "https://issuer.test/keys#ed25519-key";

        Assert.Equal(CredentialFailure.WrongOwner, Verify(document).Failure);
    }

    [Theory]
    [InlineData("id", "https://elsewhere.test/membership/issued/1")]
    [InlineData("id", "http://issuer.test/membership/issued/1")]
    [InlineData("id", "https://issuer.test:8443/membership/issued/1")]
    [InlineData("list", "https://elsewhere.test/membership/status")]
    public void An_id_or_list_off_the_issuers_origin_is_CrossOrigin(string member, string url)
    {
        var document = _issuer.Resign(_valid, d =>
        {
            if (member == "id")
            {
                d["id"] = url;
            }
            else
            {
                d["credentialStatus"]!["statusListCredential"] = url;
            }
        });

        Assert.Equal(CredentialFailure.CrossOrigin, Verify(document).Failure);
    }

    [Fact]
    public void No_issuer_actor_is_KeyNotOwned()
    {
        var verdict = CredentialVerifier.Verify(_valid, CredentialSource.Direct, null, _ => _issuer.Bits, MembershipIssuer.Now);

        Assert.Equal(CredentialFailure.KeyNotOwned, verdict.Failure);
        Assert.Contains("could not be fetched", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_issuers_actor_must_list_the_key_as_its_Multikey()
    {
        var parsed = CredentialVerifier.Parse(_valid, CredentialSource.Direct);
        Assert.Null(CredentialVerifier.CheckProof(parsed, _actor));

        AssertKeyNotOwned(a => a.Remove("assertionMethod"));
        AssertKeyNotOwned(a => a["assertionMethod"] = new JsonArray());
        AssertKeyNotOwned(a => a["assertionMethod"]![0]!["type"] = "Ed25519VerificationKey2020");
        AssertKeyNotOwned(a => a["assertionMethod"]![0]!["controller"] = "https://other.test/actor");
        AssertKeyNotOwned(a => a["assertionMethod"]![0]!["publicKeyMultibase"] = "zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme");
        AssertKeyNotOwned(a => a["assertionMethod"]![0]!["id"] = _issuer.ActorId + "#other-key");
        AssertKeyNotOwned(a => a["id"] = "https://issuer.test/other-actor");
    }

    [Fact]
    public void A_bare_key_id_in_assertionMethod_is_looked_up_under_verificationMethod()
    {
        var actor = _actor.DeepClone().AsObject();
        var method = actor["assertionMethod"]![0]!.DeepClone();
        actor["assertionMethod"] = new JsonArray(_issuer.KeyId);
        actor["verificationMethod"] = new JsonArray(method);

        Assert.Null(CredentialVerifier.CheckProof(CredentialVerifier.Parse(_valid, CredentialSource.Direct), actor));
    }

    [Fact]
    public void A_changed_member_is_InvalidProof_at_step_12()
    {
        foreach (var change in new Action<JsonObject>[]
        {
            d => d["validUntil"] = "2031-05-22T00:00:00Z",
            d => d["credentialSubject"]!["note"] = "Autre note",
            d => d["credentialStatus"]!["statusListIndex"] = "7",
            d => d["@context"]!.AsArray().Add("https://w3id.org/security/data-integrity/v2"),
            d => d["proof"]!["created"] = "2026-05-22T00:00:01Z",
        })
        {
            var document = _valid.DeepClone().AsObject();
            change(document);

            var verdict = Verify(document);

            Assert.Equal(CredentialFailure.InvalidProof, verdict.Failure);
            Assert.False(verdict.Authentic);
        }
    }

    [Fact]
    public void Over_64_KiB_is_TooLarge_as_bytes_and_as_an_object()
    {
        var document = _issuer.Resign(_valid, d => d["credentialSubject"]!["note"] = new string('a', CredentialVerifier.MaxCredentialBytes));

        Assert.Equal(CredentialFailure.TooLarge, CredentialVerifier.Parse(MembershipIssuer.Bytes(document), CredentialSource.Direct).Failure);
        Assert.Equal(CredentialFailure.TooLarge, CredentialVerifier.Parse(document, CredentialSource.Direct).Failure);
        Assert.Equal(CredentialFailure.TooLarge, CredentialVerifier.Parse(new byte[CredentialVerifier.MaxCredentialBytes + 1], CredentialSource.Direct).Failure);
    }

    [Fact]
    public void The_size_of_an_object_is_its_compact_UTF8_length()
    {
        var note = new string('é', 1000);
        var document = _valid.DeepClone().AsObject();
        document["credentialSubject"]!["note"] = note;
        var length = MembershipIssuer.Bytes(document).Length;

        document["credentialSubject"]!["note"] = note + new string('x', CredentialVerifier.MaxCredentialBytes - length);
        Assert.Equal(CredentialVerifier.MaxCredentialBytes, MembershipIssuer.Bytes(document).Length);
        Assert.NotEqual(CredentialFailure.TooLarge, CredentialVerifier.Parse(document, CredentialSource.Direct).Failure);
        Assert.NotEqual(CredentialFailure.TooLarge, CredentialVerifier.Parse(MembershipIssuer.Bytes(document), CredentialSource.Direct).Failure);

        document["credentialSubject"]!["note"] = note + new string('x', CredentialVerifier.MaxCredentialBytes - length + 1);
        Assert.Equal(CredentialFailure.TooLarge, CredentialVerifier.Parse(document, CredentialSource.Direct).Failure);
        Assert.Equal(CredentialFailure.TooLarge, CredentialVerifier.Parse(MembershipIssuer.Bytes(document), CredentialSource.Direct).Failure);
    }

    [Fact]
    public void The_first_failing_step_gives_the_reason()
    {
        // Wrong type (3), no id (4), self-endorsement (6), no proof (7): the type is reported.
        var document = _valid.DeepClone().AsObject();
        document["type"] = "VerifiableCredential";
        document.Remove("id");
        document["credentialSubject"]!["id"] = _issuer.ActorId;
        document.Remove("proof");
        Assert.Equal(CredentialFailure.WrongType, Verify(document).Failure);

        document["type"] = new JsonArray("VerifiableCredential", "ChatonsMembershipCredential");
        Assert.Equal(CredentialFailure.MissingId, Verify(document).Failure);

        document["id"] = "https://elsewhere.test/c/1";
        Assert.Equal(CredentialFailure.SelfEndorsement, Verify(document).Failure);

        document["credentialSubject"]!["id"] = Subject;
        Assert.Equal(CredentialFailure.MissingProof, Verify(document).Failure);

        // A key of another actor (9) before the origin (10).
        document["proof"] = _valid["proof"]!.DeepClone();
        document["proof"]!["verificationMethod"] = "https://elsewhere.test/actor#key";
        Assert.Equal(CredentialFailure.WrongOwner, Verify(document).Failure);

        document["proof"]!["verificationMethod"] = _issuer.KeyId;
        Assert.Equal(CredentialFailure.CrossOrigin, Verify(document).Failure);
    }

    [Fact]
    public void A_valid_credential_checked_at_steps_13_to_16_has_the_state_of_its_dates_and_list()
    {
        Assert.True(Verify(_valid).Accepted);

        _issuer.Bits.Set(40213);
        var revoked = Verify(_valid);
        Assert.True(revoked.Authentic);
        Assert.Equal(CredentialState.Revoked, revoked.State);
        Assert.Equal(CredentialFailure.Revoked, revoked.Failure);
        Assert.False(revoked.Accepted);
    }

    [Fact]
    public void An_index_beyond_the_held_list_or_no_list_is_StatusUnavailable()
    {
        var beyond = _issuer.Credential(_issuer.Draft(Subject, StatusListBits.DefaultBits));

        var verdict = CredentialVerifier.Verify(beyond, CredentialSource.Direct, _actor, _ => _issuer.Bits, MembershipIssuer.Now);
        Assert.True(verdict.Authentic);
        Assert.Equal(CredentialState.StatusUnavailable, verdict.State);
        Assert.Contains("beyond", verdict.Detail, StringComparison.Ordinal);

        var none = CredentialVerifier.Verify(_valid, CredentialSource.Direct, _actor, _ => null, MembershipIssuer.Now);
        Assert.Equal(CredentialFailure.StatusUnavailable, none.Failure);
        Assert.True(none.Authentic);

        var larger = StatusListBits.CreateEmpty(StatusListBits.DefaultBits * 2);
        Assert.True(CredentialVerifier.Verify(beyond, CredentialSource.Direct, _actor, _ => larger, MembershipIssuer.Now).Accepted);
    }

    [Fact]
    public void The_status_list_is_asked_for_by_the_credentials_list_url()
    {
        var asked = new List<string>();
        CredentialVerifier.Verify(_valid, CredentialSource.Direct, _actor, url =>
        {
            asked.Add(url);
            return _issuer.Bits;
        }, MembershipIssuer.Now);

        Assert.Equal([_issuer.StatusListUrl], asked);
    }

    [Fact]
    public void Proof_is_checked_only_after_the_first_ten_steps()
    {
        var parsed = CredentialVerifier.Parse(Encoding.UTF8.GetBytes("{}"), CredentialSource.Direct);

        Assert.Throws<ArgumentException>(() => CredentialVerifier.CheckProof(parsed, _actor));
    }

    private void AssertKeyNotOwned(Action<JsonObject> change)
    {
        var actor = _actor.DeepClone().AsObject();
        change(actor);
        var failure = CredentialVerifier.CheckProof(CredentialVerifier.Parse(_valid, CredentialSource.Direct), actor);

        Assert.NotNull(failure);
        Assert.Equal(CredentialFailure.KeyNotOwned, failure.Value.Failure);
        Assert.False(string.IsNullOrWhiteSpace(failure.Value.Detail));

        var verdict = CredentialVerifier.Verify(_valid, CredentialSource.Direct, actor, _ => _issuer.Bits, MembershipIssuer.Now);
        Assert.Equal(CredentialFailure.KeyNotOwned, verdict.Failure);
        Assert.False(verdict.Authentic);
        Assert.Null(verdict.State);
    }

    private CredentialVerdict Verify(JsonObject document) =>
        CredentialVerifier.Verify(MembershipIssuer.Bytes(document), CredentialSource.Direct, _actor, _ => _issuer.Bits, MembershipIssuer.Now);
}
