using ChatonsFed.Directory.Node;
using ChatonsFed.Federation.Discovery;
using ChatonsFed.Federation.Http;
using ChatonsFed.Federation.Inbox;
using ChatonsFed.Federation.Keys;
using ChatonsFed.Protocol.HttpSignatures;
using ChatonsFed.Protocol.Proofs;
using ChatonsFed.Protocol.Vocabulary;
using Microsoft.Extensions.Time.Testing;

namespace ChatonsFed.TestFleet.Tests;

/// <summary>The controls tests use: changes with deliveries, outages, status answers, tampering, other origins, roll-backs; and discovery through WebFinger.</summary>
public sealed class FleetControlTests : IAsyncLifetime
{
    private FleetServer _fleet = null!;
    private ActivityPubClient _client = null!;

    public async Task InitializeAsync()
    {
        _fleet = await FleetServer.StartAsync(4);
        _client = FleetClient.Create();
    }

    public async Task DisposeAsync() => await _fleet.DisposeAsync();

    private async Task<Protocol.VerificationResult> VerifyAsync(Uri url)
    {
        var fetched = await _client.FetchObjectAsync(url, CancellationToken.None);
        Assert.True(fetched.IsOk, fetched.ToString());
        return await ProofVerifier.VerifyAsync(fetched.Document!, async (owner, token) => (await _client.FetchObjectAsync(owner, token)).Document);
    }

    [Fact]
    public async Task WebFinger_at_the_root_resolves_every_chaton_through_the_actor_locator()
    {
        var locator = new ActorLocator(_client);

        foreach (var chaton in _fleet.Chatons)
        {
            var result = await locator.LocateAsync($"@{chaton.Handle}@{_fleet.Authority}", CancellationToken.None);

            Assert.True(result.IsFound, result.ToString());
            Assert.Equal(chaton.ActorId, result.ActorId);
            Assert.Equal($"acct:{chaton.Handle}@{_fleet.Authority}", chaton.AcctUri);
        }

        Assert.True(_fleet.RequestCount(FleetServer.WebFingerPath) >= 4);
    }

    [Fact]
    public async Task Without_private_networks_the_locator_refuses_the_fleet()
    {
        var locator = new ActorLocator(FleetClient.Create(new OutboundHttpOptions { AllowHttp = true }));
        _fleet.ResetRequestCounts();

        var result = await locator.LocateAsync(_fleet[0].AcctUri, CancellationToken.None);

        Assert.Equal(ActorLookupError.AddressRefused, result.Error);
        Assert.Equal(0, _fleet.TotalRequests);
    }

    [Fact]
    public async Task Tampering_after_signing_breaks_the_proof_and_changes_the_etag()
    {
        var chaton = _fleet[1];
        var url = chaton.ServiceUrl(chaton.Services[0].Slug);
        var before = chaton.Document(url);
        Assert.True((await VerifyAsync(url)).IsValid);

        chaton.Tamper(url);

        var verdict = await VerifyAsync(url);
        Assert.False(verdict.IsValid);
        Assert.Contains("(modifié)", (string?)chaton.Json(url)["name"], StringComparison.Ordinal);
        Assert.NotEqual(before.ETag, chaton.Document(url).ETag);

        chaton.Restore();
        Assert.True((await VerifyAsync(url)).IsValid);
    }

    [Fact]
    public async Task A_changed_service_is_re_signed_and_its_update_delivered_with_a_verifiable_http_signature()
    {
        var chaton = _fleet[0];
        var receiver = _fleet[2];
        var slug = chaton.Services[2].Slug;
        var before = chaton.Services[2];
        var etag = chaton.Document(chaton.ServiceUrl(slug)).ETag;

        var change = await chaton.UpdateServiceAsync(slug, s => s with { Status = ServiceStatus.Degraded, Capacity = Capacity.Full }, [receiver.SharedInbox]);

        var after = chaton.Services[2];
        Assert.True(after.Updated > before.Updated);
        Assert.NotEqual(etag, chaton.Document(chaton.ServiceUrl(slug)).ETag);
        Assert.True((await VerifyAsync(chaton.ServiceUrl(slug))).IsValid);
        Assert.Equal(["Update", "Create"], change.Activities.Select(a => a.Type));
        Assert.All(change.Deliveries, d => Assert.True(d.Result.IsSuccess, d.Result.ToString()));
        Assert.Equal(2, receiver.InboxPosts.Count);

        var verifier = new InboxRequestVerifier(new RemoteKeyResolver(_client, new InMemoryRemoteActorCache(), TimeProvider.System), TimeProvider.System);
        var update = receiver.InboxPosts[0];
        var verification = await verifier.VerifyAsync(update.Request, CancellationToken.None);
        Assert.True(verification.IsValid, verification.ToString());
        Assert.Equal(chaton.ActorId.AbsoluteUri, verification.ActorId);
        Assert.Equal(HttpSignatureFlavour.Rfc9421, verification.Flavour);
        Assert.Equal("degraded", (string?)update.Activity!["object"]!["status"]);

        var outbox = (await _client.FetchObjectAsync(chaton.OutboxUrl, CancellationToken.None)).Document!;
        Assert.Equal(2, (int?)outbox["totalItems"]);
        var activity = await _client.FetchObjectAsync(change.Activities[0].Id, CancellationToken.None);
        Assert.True(activity.IsOk, activity.ToString());
    }

    [Fact]
    public async Task A_test_clock_dates_proofs_and_changes_and_updated_moves_forward_while_it_stands_still()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var fleet = await FleetServer.StartAsync(1, new FleetOptions { TimeProvider = time });
        var chaton = fleet[0];
        var slug = chaton.Services[0].Slug;

        await chaton.UpdateServiceAsync(slug, s => s with { Status = ServiceStatus.Down });
        var first = chaton.Services[0].Updated;
        await chaton.UpdateServiceAsync(slug, s => s with { Status = ServiceStatus.Ok });

        Assert.Equal("2026-03-01T12:00:00Z", (string?)chaton.Json(chaton.ActorId)["proof"]!["created"]);
        Assert.True(chaton.Profile.Updated < time.GetUtcNow());
        Assert.Equal(time.GetUtcNow(), first);
        Assert.Equal(first.AddSeconds(1), chaton.Services[0].Updated);
    }

    [Fact]
    public async Task Added_and_removed_services_change_the_collection_and_a_removed_one_is_gone()
    {
        var chaton = _fleet[3];
        var added = await chaton.AddServiceAsync(new HostedServiceEntry
        {
            Slug = "pad-ecole",
            Name = "Pad de l'école",
            Url = new Uri("https://pad.ecole.example/"),
            Category = "collaborative-writing",
            Software = new ServiceSoftwareInfo("Etherpad"),
        });
        var removedSlug = chaton.Services[0].Slug;
        var removed = await chaton.RemoveServiceAsync(removedSlug);

        var collection = (await _client.FetchObjectAsync(chaton.ServicesUrl, CancellationToken.None)).Document!;
        var gone = await _client.FetchObjectAsync(chaton.ServiceUrl(removedSlug), CancellationToken.None);

        Assert.Equal("Create", added.Activities[0].Type);
        Assert.Equal("Delete", removed.Activities[0].Type);
        Assert.Equal(5, (int?)collection["totalItems"]);
        Assert.Contains(chaton.ServiceUrl("pad-ecole").AbsoluteUri, collection["orderedItems"]!.AsArray().Select(i => (string?)i));
        Assert.True((await VerifyAsync(chaton.ServicesUrl)).IsValid);
        Assert.True((await VerifyAsync(chaton.ServiceUrl("pad-ecole"))).IsValid);
        Assert.Equal(410, gone.StatusCode);
    }

    [Theory]
    [InlineData(FleetOutage.ServiceUnavailable, OutboundError.HttpStatus)]
    [InlineData(FleetOutage.ConnectionReset, OutboundError.Network)]
    [InlineData(FleetOutage.NoAnswer, OutboundError.Timeout)]
    public async Task A_chaton_that_is_down_fails_as_asked_and_comes_back(FleetOutage outage, OutboundError expected)
    {
        // A short timeout only for the request that must go unanswered: on a busy machine the others may take longer.
        var options = FleetServer.LoopbackOptions();
        options.RequestTimeout = TimeSpan.FromMilliseconds(500);
        var impatient = FleetClient.Create(options);
        var chaton = _fleet[1];

        chaton.GoDown(outage);
        var down = await (outage == FleetOutage.NoAnswer ? impatient : _client).FetchObjectAsync(chaton.ActorId, CancellationToken.None);
        var neighbour = await _client.FetchObjectAsync(_fleet[2].ActorId, CancellationToken.None);
        chaton.ComeBack();
        var back = await _client.FetchObjectAsync(chaton.ActorId, CancellationToken.None);

        Assert.Equal(expected, down.Error);
        if (outage == FleetOutage.ServiceUnavailable)
        {
            Assert.Equal(503, down.StatusCode);
        }

        Assert.True(neighbour.IsOk, neighbour.ToString());
        Assert.True(back.IsOk, back.ToString());
    }

    [Theory]
    [InlineData(404, ActorLookupError.NotFound)]
    [InlineData(410, ActorLookupError.Gone)]
    public async Task A_chaton_answering_404_or_410_is_not_found_or_gone_from_webfinger_on(int status, ActorLookupError expected)
    {
        var chaton = _fleet[2];
        chaton.AnswerWith(status);

        var lookup = await new ActorLocator(_client).LocateAsync(chaton.AcctUri, CancellationToken.None);
        var actor = await _client.FetchObjectAsync(chaton.ActorId, CancellationToken.None);

        Assert.Equal(expected, lookup.Error);
        Assert.Equal(status, actor.StatusCode);
    }

    [Fact]
    public async Task One_document_can_answer_a_status_of_its_own()
    {
        var chaton = _fleet[0];
        chaton.AnswerWith(chaton.AttestationUrl, 500);

        var attestation = await _client.FetchObjectAsync(chaton.AttestationUrl, CancellationToken.None);
        var actor = await _client.FetchObjectAsync(chaton.ActorId, CancellationToken.None);

        Assert.Equal(500, attestation.StatusCode);
        Assert.True(actor.IsOk);
    }

    [Fact]
    public async Task A_document_served_from_another_origin_is_refused_by_the_fetch()
    {
        var chaton = _fleet[1];
        var url = chaton.ServiceUrl(chaton.Services[1].Slug);

        var served = chaton.ServeFromOtherOrigin(url, new Uri("https://autre-chaton.example"));
        var fetched = await _client.FetchObjectAsync(url, CancellationToken.None);

        Assert.StartsWith("https://autre-chaton.example/c/0002/services/", (string?)served["id"], StringComparison.Ordinal);
        Assert.Equal("https://autre-chaton.example/c/0002/actor#ed25519-key", (string?)served["proof"]!["verificationMethod"]);
        Assert.Equal(OutboundError.CrossOriginId, fetched.Error);
    }

    [Fact]
    public async Task A_rolled_back_document_is_older_and_still_validly_signed()
    {
        var chaton = _fleet[3];
        var before = chaton.Profile.Updated;

        var rolledBack = chaton.RollBackUpdated(chaton.ActorId, TimeSpan.FromDays(30));

        Assert.Equal(before - TimeSpan.FromDays(30), new Timestamp((string)rolledBack["updated"]!).Instant);
        Assert.True((await VerifyAsync(chaton.ActorId)).IsValid);
    }
}
