using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Federation.Inbox;
using ChatonsFed.Federation.Keys;
using ChatonsFed.Protocol.HttpSignatures;
using ChatonsFed.Protocol.Keys;
using ChatonsFed.Protocol.Proofs;

namespace ChatonsFed.Federation.Tests;

public sealed class InboxVerificationTests : IAsyncLifetime
{
    private LoopbackServer _peer = null!;
    private RemoteActor _alice = null!;
    private InMemoryRemoteActorCache _cache = null!;
    private InboxRequestVerifier _verifier = null!;

    public async Task InitializeAsync()
    {
        _peer = await LoopbackServer.StartRecordingAsync();
        _alice = new RemoteActor(_peer);
        _alice.Serve();
        _cache = new InMemoryRemoteActorCache();
        _verifier = new InboxRequestVerifier(new RemoteKeyResolver(Clients.Create(), _cache, TimeProvider.System), TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await _peer.DisposeAsync();
    }

    private static DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    private int ActorFetches => _peer.Requests.Count(r => r.Method == "GET");

    [Theory]
    [InlineData(HttpSignatureFlavour.Rfc9421)]
    [InlineData(HttpSignatureFlavour.Cavage)]
    public async Task Accepts_a_request_signed_by_the_actor(HttpSignatureFlavour flavour)
    {
        var request = SignedRequests.Post(SignedRequests.Follow(_alice), _alice.SigningKey, flavour, Now);

        var result = await _verifier.VerifyAsync(request, CancellationToken.None);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(_alice.Id, result.ActorId);
        Assert.Equal(_alice.MainKeyId, result.KeyId);
        Assert.Equal(flavour, result.Flavour);
        Assert.Equal(InboxAuthentication.HttpSignature, result.AuthenticatedBy);
        Assert.Equal("Follow", (string?)result.Document!["type"]);
    }

    [Fact]
    public async Task Second_request_uses_the_cached_key()
    {
        var body = SignedRequests.Follow(_alice);
        await _verifier.VerifyAsync(SignedRequests.Post(body, _alice.SigningKey, HttpSignatureFlavour.Cavage, Now), CancellationToken.None);

        var result = await _verifier.VerifyAsync(SignedRequests.Post(body, _alice.SigningKey, HttpSignatureFlavour.Rfc9421, Now), CancellationToken.None);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(1, ActorFetches);
    }

    [Fact]
    public async Task Accepts_an_ed25519_rfc9421_signature_by_an_assertion_method_multikey()
    {
        using var seeded = Ed25519KeyPair.Generate(allowSeedExport: true);
        var actor = new JsonObject
        {
            ["id"] = _peer.Address("users/bob").AbsoluteUri,
            ["type"] = "Person",
            ["inbox"] = _peer.Address("users/bob/inbox").AbsoluteUri,
            ["assertionMethod"] = new JsonArray(new JsonObject
            {
                ["id"] = _peer.Address("users/bob").AbsoluteUri + "#ed",
                ["type"] = "Multikey",
                ["controller"] = _peer.Address("users/bob").AbsoluteUri,
                ["publicKeyMultibase"] = seeded.PublicKey.ToMultibase(),
            }),
        };
        _peer.Handler = (context, _) => LoopbackServer.WriteJsonAsync(context, actor.ToJsonString());
        var body = SignedRequests.Follow(_alice, actorId: _peer.Address("users/bob").AbsoluteUri);
        var request = new HttpRequestSnapshot("POST", SignedRequests.Inbox.AbsoluteUri, new HeaderFields([new("Content-Type", "application/activity+json")]), body);
        using var key = HttpSignatureKey.FromEd25519PrivateSeed(seeded.ExportSeed());
        MessageSignature.SignForFederation(request, key, _peer.Address("users/bob").AbsoluteUri + "#ed", Now);

        var result = await _verifier.VerifyAsync(request, CancellationToken.None);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(_peer.Address("users/bob").AbsoluteUri, result.ActorId);
    }

    [Fact]
    public async Task Refuses_an_unsigned_request()
    {
        var body = SignedRequests.Follow(_alice);
        var request = new HttpRequestSnapshot("POST", SignedRequests.Inbox.AbsoluteUri, new HeaderFields([new("Digest", DigestHeader.Compute(body))]), body);

        var result = await _verifier.VerifyAsync(request, CancellationToken.None);

        Assert.Equal(InboxFailure.NotSigned, result.Failure);
        Assert.Equal(401, result.StatusCode);
    }

    [Theory]
    [InlineData(HttpSignatureFlavour.Rfc9421)]
    [InlineData(HttpSignatureFlavour.Cavage)]
    public async Task Refuses_a_forged_signature(HttpSignatureFlavour flavour)
    {
        var forger = RemoteActor.OtherKey(_alice.MainKeyId, 2);
        var request = SignedRequests.Post(SignedRequests.Follow(_alice), forger, flavour, Now);

        var result = await _verifier.VerifyAsync(request, CancellationToken.None);

        Assert.Equal(InboxFailure.BadSignature, result.Failure);
        Assert.Equal(401, result.StatusCode);
        Assert.Contains("signature does not match", result.Reason);
    }

    [Theory]
    [InlineData(HttpSignatureFlavour.Rfc9421)]
    [InlineData(HttpSignatureFlavour.Cavage)]
    public async Task Refuses_a_replay_with_an_old_date(HttpSignatureFlavour flavour)
    {
        var request = SignedRequests.Post(SignedRequests.Follow(_alice), _alice.SigningKey, flavour, Now.AddHours(-2));

        var result = await _verifier.VerifyAsync(request, CancellationToken.None);

        Assert.Equal(InboxFailure.DateOutOfWindow, result.Failure);
        Assert.Equal(401, result.StatusCode);
        Assert.Equal(0, ActorFetches);
    }

    [Fact]
    public async Task Refuses_a_date_in_the_future()
    {
        var request = SignedRequests.Post(SignedRequests.Follow(_alice), _alice.SigningKey, HttpSignatureFlavour.Cavage, Now.AddMinutes(90));

        var result = await _verifier.VerifyAsync(request, CancellationToken.None);

        Assert.Equal(InboxFailure.DateOutOfWindow, result.Failure);
    }

    [Theory]
    [InlineData(HttpSignatureFlavour.Rfc9421)]
    [InlineData(HttpSignatureFlavour.Cavage)]
    public async Task Refuses_a_body_that_does_not_match_its_digest(HttpSignatureFlavour flavour)
    {
        var request = SignedRequests.Post(SignedRequests.Follow(_alice), _alice.SigningKey, flavour, Now);
        var tampered = SignedRequests.With(request, Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(request.Body.Span).Replace("Follow", "Block", StringComparison.Ordinal)));

        var result = await _verifier.VerifyAsync(tampered, CancellationToken.None);

        Assert.Equal(InboxFailure.DigestMismatch, result.Failure);
        Assert.Equal(401, result.StatusCode);
    }

    [Fact]
    public async Task Refuses_a_post_without_digest()
    {
        var request = SignedRequests.Post(SignedRequests.Follow(_alice), _alice.SigningKey, HttpSignatureFlavour.Cavage, Now);

        var result = await _verifier.VerifyAsync(SignedRequests.With(request, null, "Digest"), CancellationToken.None);

        Assert.Equal(InboxFailure.DigestMissing, result.Failure);
    }

    [Theory]
    [InlineData(HttpSignatureFlavour.Rfc9421)]
    [InlineData(HttpSignatureFlavour.Cavage)]
    public async Task Refuses_an_activity_whose_actor_does_not_own_the_key(HttpSignatureFlavour flavour)
    {
        var body = SignedRequests.Follow(_alice, actorId: _peer.Address("users/mallory").AbsoluteUri);
        var request = SignedRequests.Post(body, _alice.SigningKey, flavour, Now);

        var result = await _verifier.VerifyAsync(request, CancellationToken.None);

        Assert.Equal(InboxFailure.ActorMismatch, result.Failure);
        Assert.Equal(401, result.StatusCode);
    }

    [Fact]
    public async Task Refuses_a_key_that_cannot_be_fetched()
    {
        var stranger = RemoteActor.OtherKey(_peer.Address("users/nobody").AbsoluteUri + "#main-key", 1);
        var body = SignedRequests.Follow(_alice, actorId: _peer.Address("users/nobody").AbsoluteUri);

        var result = await _verifier.VerifyAsync(SignedRequests.Post(body, stranger, HttpSignatureFlavour.Cavage, Now), CancellationToken.None);

        Assert.Equal(InboxFailure.KeyUnavailable, result.Failure);
        Assert.Contains("404", result.Reason);
    }

    [Fact]
    public async Task Fetches_the_key_again_once_when_a_cached_key_fails_after_rotation()
    {
        var body = SignedRequests.Follow(_alice);
        Assert.True((await _verifier.VerifyAsync(SignedRequests.Post(body, _alice.SigningKey, HttpSignatureFlavour.Cavage, Now), CancellationToken.None)).IsValid);
        _alice.RotateTo(1);

        var result = await _verifier.VerifyAsync(SignedRequests.Post(body, _alice.SigningKey, HttpSignatureFlavour.Rfc9421, Now), CancellationToken.None);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(2, ActorFetches);
        Assert.Equal(_alice.Rsa.PublicKey.ToPem(), (await _cache.GetKeyAsync(_alice.MainKeyId, CancellationToken.None))!.PublicKeyPem);
    }

    [Fact]
    public async Task Forgery_costs_one_refetch_and_still_fails()
    {
        var body = SignedRequests.Follow(_alice);
        await _verifier.VerifyAsync(SignedRequests.Post(body, _alice.SigningKey, HttpSignatureFlavour.Cavage, Now), CancellationToken.None);

        var result = await _verifier.VerifyAsync(SignedRequests.Post(body, RemoteActor.OtherKey(_alice.MainKeyId, 2), HttpSignatureFlavour.Cavage, Now), CancellationToken.None);

        Assert.Equal(InboxFailure.BadSignature, result.Failure);
        Assert.Equal(2, ActorFetches);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"type\":\"Follow\"}")]
    public async Task Refuses_a_malformed_body_with_400(string body)
    {
        var request = SignedRequests.Post(Encoding.UTF8.GetBytes(body), _alice.SigningKey, HttpSignatureFlavour.Cavage, Now);

        var result = await _verifier.VerifyAsync(request, CancellationToken.None);

        Assert.Equal(InboxFailure.MalformedBody, result.Failure);
        Assert.Equal(400, result.StatusCode);
    }

    [Fact]
    public async Task Refuses_json_nested_too_deep()
    {
        var body = Encoding.UTF8.GetBytes("{\"actor\":\"x\",\"a\":" + string.Concat(Enumerable.Repeat("[", 100)) + string.Concat(Enumerable.Repeat("]", 100)) + "}");
        var request = SignedRequests.Post(body, _alice.SigningKey, HttpSignatureFlavour.Cavage, Now);

        var result = await _verifier.VerifyAsync(request, CancellationToken.None);

        Assert.Equal(InboxFailure.MalformedBody, result.Failure);
        Assert.Contains("deeper than 64", result.Reason);
    }

    [Fact]
    public async Task Refuses_a_body_over_the_size_limit_with_413()
    {
        var verifier = new InboxRequestVerifier(new RemoteKeyResolver(Clients.Create(), _cache, TimeProvider.System), TimeProvider.System, new InboxVerifierOptions { MaxBodyBytes = 100 });
        var request = SignedRequests.Post(SignedRequests.Follow(_alice), _alice.SigningKey, HttpSignatureFlavour.Cavage, Now);

        var result = await verifier.VerifyAsync(request, CancellationToken.None);

        Assert.Equal(InboxFailure.BodyTooLarge, result.Failure);
        Assert.Equal(413, result.StatusCode);
    }

    [Fact]
    public async Task A_valid_object_proof_authenticates_an_activity_without_http_signature()
    {
        var activity = new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/data-integrity/v1"),
            ["id"] = _alice.Id + "/creates/1",
            ["type"] = "Create",
            ["actor"] = _alice.Id,
            ["object"] = new JsonObject { ["id"] = _alice.Id + "/notes/1", ["type"] = "Note", ["attributedTo"] = _alice.Id, ["content"] = "hello" },
        };
        var signed = new ProofSigner(_alice.Ed25519, _alice.Ed25519KeyId, TimeProvider.System).Sign(activity);
        var body = Encoding.UTF8.GetBytes(signed.ToJsonString());
        var request = new HttpRequestSnapshot("POST", SignedRequests.Inbox.AbsoluteUri, new HeaderFields(), body);

        var result = await _verifier.VerifyAsync(request, CancellationToken.None);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(InboxAuthentication.ObjectProof, result.AuthenticatedBy);
        Assert.Equal(_alice.Id, result.ActorId);
        Assert.Equal(_alice.Ed25519KeyId, result.KeyId);
    }

    [Fact]
    public async Task A_broken_object_proof_leaves_the_signature_failure()
    {
        var activity = new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/data-integrity/v1"),
            ["id"] = _alice.Id + "/creates/1",
            ["type"] = "Create",
            ["actor"] = _alice.Id,
        };
        var signed = new ProofSigner(_alice.Ed25519, _alice.Ed25519KeyId, TimeProvider.System).Sign(activity);
        signed["type"] = "Delete";
        var request = new HttpRequestSnapshot("POST", SignedRequests.Inbox.AbsoluteUri, new HeaderFields(), Encoding.UTF8.GetBytes(signed.ToJsonString()));

        var result = await _verifier.VerifyAsync(request, CancellationToken.None);

        Assert.Equal(InboxFailure.NotSigned, result.Failure);
        Assert.Contains("object proof", result.Reason);
    }

    [Fact]
    public async Task A_parsed_body_is_verified_without_a_second_parse()
    {
        var body = SignedRequests.Follow(_alice);
        Assert.True(InboxDocument.TryParse(body, JsonGuard.DefaultMaxDepth, out var document, out _, out _));
        using (document)
        {
            var result = await _verifier.VerifyAsync(SignedRequests.Post(body, _alice.SigningKey, HttpSignatureFlavour.Rfc9421, Now), document, CancellationToken.None);

            Assert.True(result.IsValid, result.ToString());
            Assert.Same(document.Json, result.Document);
        }
    }

    [Fact]
    public async Task An_object_proof_is_verified_over_the_parsed_tree()
    {
        var follow = JsonNode.Parse(SignedRequests.Follow(_alice))!.AsObject();
        follow["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/data-integrity/v1");
        follow["summary"] = "d\u00e9j\u00e0 vu";
        var body = Encoding.UTF8.GetBytes(new ProofSigner(_alice.Ed25519, _alice.Ed25519KeyId, TimeProvider.System).Sign(follow).ToJsonString());
        Assert.True(InboxDocument.TryParse(body, JsonGuard.DefaultMaxDepth, out var document, out _, out _));
        using (document)
        {
            var request = new HttpRequestSnapshot("POST", SignedRequests.Inbox.AbsoluteUri, new HeaderFields(), body);

            var result = await _verifier.VerifyAsync(request, document, CancellationToken.None);

            Assert.True(result.IsValid, result.ToString());
            Assert.Equal(InboxAuthentication.ObjectProof, result.AuthenticatedBy);
            Assert.Same(document.Json, result.Document);
        }
    }

    [Fact]
    public async Task A_document_parsed_from_other_bytes_or_with_a_looser_limit_is_refused()
    {
        var body = SignedRequests.Follow(_alice);
        var request = SignedRequests.Post(body, _alice.SigningKey, HttpSignatureFlavour.Rfc9421, Now);
        Assert.True(InboxDocument.TryParse(SignedRequests.Follow(_alice, _alice.Id + "/other"), JsonGuard.DefaultMaxDepth, out var other, out _, out _));
        Assert.True(InboxDocument.TryParse(body, JsonGuard.DefaultMaxDepth + 1, out var looser, out _, out _));
        using (other)
        using (looser)
        {
            await Assert.ThrowsAsync<ArgumentException>(() => _verifier.VerifyAsync(request, other, CancellationToken.None));
            await Assert.ThrowsAsync<ArgumentException>(() => _verifier.VerifyAsync(request, looser, CancellationToken.None));
        }
    }

    [Fact]
    public async Task The_document_of_a_request_verified_whole_outlives_its_parse()
    {
        var result = await _verifier.VerifyAsync(SignedRequests.Post(SignedRequests.Follow(_alice), _alice.SigningKey, HttpSignatureFlavour.Cavage, Now), CancellationToken.None);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(_alice.Id, (string?)result.Document!["actor"]);
        Assert.Equal("https://node.example/actor", result.Document.DeepClone()["object"]!.GetValue<string>());
    }
}
