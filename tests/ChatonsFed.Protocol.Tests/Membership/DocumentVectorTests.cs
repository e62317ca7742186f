using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Membership;
using ChatonsFed.Protocol.Proofs;

namespace ChatonsFed.Protocol.Tests.Membership;

/// <summary>The activities and collections of tests/vectors/membership.json, and its proofs reproduced from the seeds.</summary>
public class DocumentVectorTests
{
    private static readonly DateTimeOffset Created = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_Add_names_the_credential_id_and_the_issuers_issuedEndorsements()
    {
        var add = Activity("add");
        var actor = MembershipVectors.Actor(MembershipVectors.ChatonA)!;

        Assert.Equal("Add", add["type"]!.GetValue<string>());
        Assert.Equal(MembershipVectors.ChatonA, add["actor"]!.GetValue<string>());
        Assert.Equal(MembershipVectors.CredentialDocument("valid")["id"]!.GetValue<string>(), add["object"]!.GetValue<string>());
        Assert.Equal(actor["issuedEndorsements"]!.GetValue<string>(), add["target"]!.GetValue<string>());
        Assert.Contains(MembershipVectors.ChatonB, add["to"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.True(ProofVerifier.Verify(add, actor).IsValid);
    }

    [Fact]
    public void The_Update_names_the_status_list_id()
    {
        var update = Activity("update-status-list");
        var actor = MembershipVectors.Actor(MembershipVectors.ChatonA)!;

        Assert.Equal("Update", update["type"]!.GetValue<string>());
        Assert.Equal(MembershipVectors.StatusList["document"]!["id"]!.GetValue<string>(), update["object"]!.GetValue<string>());
        Assert.Equal(MembershipVectors.StatusListUrl, update["object"]!.GetValue<string>());
        Assert.True(ProofVerifier.Verify(update, actor).IsValid);
    }

    [Fact]
    public void The_vector_actors_pass_the_issuer_actor_check()
    {
        foreach (var id in new[] { MembershipVectors.ChatonA, MembershipVectors.ChatonB })
        {
            Assert.Null(IssuerActorCheck.Check(MembershipVectors.Actor(id)!, id));
        }

        Assert.Contains("not https://chaton-b.example/actor", IssuerActorCheck.Check(MembershipVectors.Actor(MembershipVectors.ChatonA)!, MembershipVectors.ChatonB), StringComparison.Ordinal);
        var changed = MembershipVectors.Actor(MembershipVectors.ChatonA)!;
        changed["name"] = "Autre";
        Assert.Contains("own proof", IssuerActorCheck.Check(changed, MembershipVectors.ChatonA), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://chaton-a.example/membership/issued", CredentialSourceKind.Issued)]
    [InlineData("https://chaton-b.example/membership/endorsements", CredentialSourceKind.Held)]
    public void Each_credential_of_a_collection_parses_from_it(string collectionId, CredentialSourceKind kind)
    {
        var collection = MembershipVectors.File["collections"]![collectionId]!.AsObject();
        var owner = collection["attributedTo"]!.GetValue<string>();
        var source = kind == CredentialSourceKind.Issued ? CredentialSource.IssuedBy(owner) : CredentialSource.HeldBy(owner);
        var wrongSource = kind == CredentialSourceKind.Issued
            ? CredentialSource.IssuedBy(MembershipVectors.ChatonB)
            : CredentialSource.HeldBy(MembershipVectors.ChatonA);
        var items = collection["orderedItems"]!.AsArray();
        Assert.Equal(collection["totalItems"]!.GetValue<int>(), items.Count);
        Assert.Equal(collectionId, MembershipVectors.Actor(owner)![kind == CredentialSourceKind.Issued ? "issuedEndorsements" : "endorsements"]!.GetValue<string>());

        foreach (var item in items)
        {
            var embedded = item!.AsObject();
            var parsed = CredentialVerifier.Parse(embedded, source);
            Assert.True(parsed.Succeeded, parsed.Detail);
            Assert.Same(embedded, parsed.Document);

            var wrong = CredentialVerifier.Parse(embedded, wrongSource);
            Assert.Equal(kind == CredentialSourceKind.Issued ? CredentialFailure.WrongOwner : CredentialFailure.WrongSubject, wrong.Failure);

            // The embedded copy gets the verdict of the same credential in the vectors.
            var vector = MembershipVectors.File["credentials"]!.AsArray()
                .Single(c => JsonNode.DeepEquals(c!["document"], embedded))!;
            var verdict = CredentialVerifier.Verify(embedded, source, MembershipVectors.Actor(parsed.Credential!.Issuer),
                MembershipVectors.HeldLists(), MembershipVectors.Now);
            var expected = vector["expected"]!;
            Assert.Equal(expected["authentic"]!.GetValue<bool>(), verdict.Authentic);
            Assert.Equal(expected["reason"]?.GetValue<string>(), verdict.Failure?.ToString());
        }
    }

    [Fact]
    public void Every_vector_proof_is_reproduced_from_its_seed()
    {
        var documents = MembershipVectors.File["credentials"]!.AsArray()
            .Where(c => c!["name"]!.GetValue<string>() != "tampered")
            .Select(c => c!["document"]!.AsObject())
            .Append(MembershipVectors.StatusList["document"]!.AsObject());

        foreach (var document in documents)
        {
            var proof = document["proof"]!.AsObject();
            var method = proof["verificationMethod"]!.GetValue<string>();
            using var key = MembershipVectors.Key(method);
            var unsigned = document.DeepClone().AsObject();
            unsigned.Remove("proof");

            var signed = MembershipCredentialBuilder.Signer(key, method, TimeProvider.System)
                .Sign(unsigned, MembershipVectors.Instant(proof["created"]!.GetValue<string>()));

            Assert.Equal(proof["proofValue"]!.GetValue<string>(), signed["proof"]!["proofValue"]!.GetValue<string>());
            Assert.False(signed["proof"]!.AsObject().ContainsKey("@context"));
        }
    }

    [Fact]
    public void The_builder_reproduces_the_valid_vector_byte_for_byte()
    {
        var vector = MembershipVectors.CredentialDocument("valid");
        var draft = new CredentialDraft(
            Id: "https://chaton-a.example/membership/issued/0055b80e2c5e91826c8570be",
            Issuer: MembershipVectors.ChatonA,
            Subject: MembershipVectors.ChatonB,
            ValidFrom: Created,
            ValidUntil: Created.AddYears(1),
            CharterVersion: "2016-v1",
            CharterDigest: "sha256-rWDn8J4EBxr5nv0IiyyB+bHzM8ZZyzJ8PyNWOA+ks0c=",
            AttestationId: "https://chaton-b.example/attestation",
            AttestationDigest: AttestationDigest.Compute(MembershipVectors.File["attestation"]!["document"]!.AsObject()),
            Criteria: [new CriterionCheck("hoster.control", true, null), new CriterionCheck("open.free-software", true, null)],
            Note: "Candidature examinée sur le forum du collectif.",
            StatusListUrl: MembershipVectors.StatusListUrl,
            StatusListIndex: 40213);
        using var key = MembershipVectors.Key(MembershipVectors.KeyA);

        var built = MembershipCredentialBuilder.Build(draft);
        var signed = MembershipCredentialBuilder.Signer(key, MembershipVectors.KeyA, TimeProvider.System).Sign(built, Created);

        var proof = vector["proof"]!.AsObject();
        vector.Remove("proof");
        Assert.Equal(vector.ToJsonString(), built.ToJsonString());
        Assert.Equal(proof["proofValue"]!.GetValue<string>(), signed["proof"]!["proofValue"]!.GetValue<string>());
        Assert.Equal(["@context", "id", "type", "issuer", "validFrom", "validUntil", "credentialSubject", "credentialStatus"], built.Select(p => p.Key));
    }

    private static JsonObject Activity(string name) =>
        MembershipVectors.File["activities"]!.AsArray().Single(a => a!["name"]!.GetValue<string>() == name)!["document"]!.DeepClone().AsObject();
}
