using ChatonsFed.Federation.Inbox;
using ChatonsFed.Federation.Keys;
using ChatonsFed.Protocol.HttpSignatures;
using Microsoft.Extensions.Time.Testing;

namespace ChatonsFed.Federation.Tests;

/// <summary>Key refetches limited per key id, and actor refreshes that never go back in time; a real peer counts the fetches.</summary>
public sealed class RemoteKeyLimitTests : IAsyncLifetime
{
    private const string T1 = "2025-03-01T10:00:00Z";
    private const string T2 = "2025-03-02T10:00:00Z";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryRemoteActorCache _cache = new();
    private LoopbackServer _peer = null!;
    private RemoteActor _alice = null!;
    private RemoteKeyResolver _resolver = null!;
    private InboxRequestVerifier _verifier = null!;

    public async Task InitializeAsync()
    {
        _peer = await LoopbackServer.StartRecordingAsync();
        _alice = new RemoteActor(_peer);
        _alice.Serve();
        _resolver = new RemoteKeyResolver(Clients.Create(time: _time), _cache, _time, new RemoteKeyOptions { RefetchInterval = TimeSpan.FromMinutes(5) });
        _verifier = new InboxRequestVerifier(_resolver, _time);
    }

    public async Task DisposeAsync()
    {
        await _peer.DisposeAsync();
    }

    private int Fetches => _peer.Requests.Count(r => r.Method == "GET");

    private Task<InboxVerification> SendAsync(Signing.ActorSigningKey key) =>
        _verifier.VerifyAsync(SignedRequests.Post(SignedRequests.Follow(_alice), key, HttpSignatureFlavour.Cavage, _time.GetUtcNow()), CancellationToken.None);

    private Task<InboxVerification> ForgeAsync() => SendAsync(RemoteActor.OtherKey(_alice.MainKeyId, 2));

    [Fact]
    public async Task A_flood_of_bad_signatures_naming_one_key_fetches_it_again_at_most_once_per_interval()
    {
        Assert.True((await SendAsync(_alice.SigningKey)).IsValid);
        Assert.Equal(1, Fetches);

        var first = await ForgeAsync();
        Assert.Equal(InboxFailure.BadSignature, first.Failure);
        Assert.Equal(2, Fetches);

        for (var i = 0; i < 20; i++)
        {
            var refused = await ForgeAsync();
            Assert.Equal(401, refused.StatusCode);
            Assert.Contains("the key was not fetched again", refused.Reason, StringComparison.Ordinal);
            Assert.Contains("at most once every 5 minutes", refused.Reason, StringComparison.Ordinal);
        }

        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(InboxFailure.BadSignature, (await ForgeAsync()).Failure);
        Assert.Equal(2, Fetches);

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(InboxFailure.BadSignature, (await ForgeAsync()).Failure);
        Assert.Equal(3, Fetches);
    }

    [Fact]
    public async Task Bad_signatures_sent_at_once_cost_one_refetch()
    {
        Assert.True((await SendAsync(_alice.SigningKey)).IsValid);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(ForgeAsync)));

        Assert.All(results, r => Assert.Equal(InboxFailure.BadSignature, r.Failure));
        Assert.Equal(2, Fetches);
    }

    [Fact]
    public async Task Good_signatures_with_a_key_not_yet_held_sent_at_once_cost_one_fetch()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => SendAsync(_alice.SigningKey))));

        Assert.All(results, r => Assert.True(r.IsValid, r.Reason));
        Assert.Equal(1, Fetches);
    }

    [Fact]
    public async Task A_second_rotation_within_the_interval_waits_for_it()
    {
        Assert.True((await SendAsync(_alice.SigningKey)).IsValid);
        _alice.RotateTo(1);
        Assert.True((await SendAsync(_alice.SigningKey)).IsValid);
        Assert.Equal(2, Fetches);

        _alice.RotateTo(2);
        var early = await SendAsync(_alice.SigningKey);
        Assert.Equal(InboxFailure.BadSignature, early.Failure);
        Assert.Contains("looked up 0 s ago", early.Reason, StringComparison.Ordinal);
        Assert.Equal(2, Fetches);

        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.True((await SendAsync(_alice.SigningKey)).IsValid);
        Assert.Equal(3, Fetches);
    }

    [Fact]
    public async Task A_key_that_cannot_be_fetched_is_looked_up_at_most_once_per_interval()
    {
        var stranger = RemoteActor.OtherKey(_peer.Address("users/nobody").AbsoluteUri + "#main-key", 1);

        Assert.Contains("404", (await SendAsync(stranger)).Reason, StringComparison.Ordinal);
        var again = await SendAsync(stranger);
        Assert.Equal(InboxFailure.KeyUnavailable, again.Failure);
        Assert.Contains("at most once every 5 minutes", again.Reason, StringComparison.Ordinal);
        Assert.Equal(1, Fetches);

        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Contains("404", (await SendAsync(stranger)).Reason, StringComparison.Ordinal);
        Assert.Equal(2, Fetches);
    }

    [Fact]
    public async Task A_zero_interval_turns_the_limit_off()
    {
        var verifier = new InboxRequestVerifier(new RemoteKeyResolver(Clients.Create(time: _time), _cache, _time, new RemoteKeyOptions { RefetchInterval = TimeSpan.Zero }), _time);
        var forged = RemoteActor.OtherKey(_alice.MainKeyId, 2);
        for (var i = 0; i < 3; i++)
        {
            await verifier.VerifyAsync(SignedRequests.Post(SignedRequests.Follow(_alice), forged, HttpSignatureFlavour.Cavage, _time.GetUtcNow()), CancellationToken.None);
        }

        Assert.Equal(3, Fetches);
    }

    [Fact]
    public async Task A_refresh_takes_the_actor_and_its_keys_from_its_origin_and_never_goes_back()
    {
        _alice.Updated = T1;
        Assert.True((await SendAsync(_alice.SigningKey)).IsValid);
        await _cache.SetKeyAsync(new CachedRemoteKey { KeyId = _alice.Id + "#retired", OwnerId = _alice.Id, PublicKeyPem = "-", FetchedAt = _time.GetUtcNow() }, CancellationToken.None);

        var older = await _resolver.RefreshActorAsync(_alice.Id, "2025-02-01T00:00:00Z", CancellationToken.None);
        Assert.Equal(ActorRefreshStatus.RolledBack, older.Status);
        Assert.Equal($"rolled back: updated 2025-02-01T00:00:00Z is older than {T1} already held", older.Reason);
        Assert.Equal(ActorRefreshStatus.Unchanged, (await _resolver.RefreshActorAsync(_alice.Id, T1, CancellationToken.None)).Status);
        Assert.Equal(1, Fetches);

        _alice.RotateTo(1);
        _alice.Updated = T2;
        var refreshed = await _resolver.RefreshActorAsync(_alice.Id, T2, CancellationToken.None);
        Assert.Equal(ActorRefreshStatus.Refreshed, refreshed.Status);
        Assert.Equal(2, Fetches);
        Assert.Equal(_alice.Rsa.PublicKey.ToPem(), (await _cache.GetKeyAsync(_alice.MainKeyId, CancellationToken.None))!.PublicKeyPem);
        Assert.NotNull(await _cache.GetKeyAsync(_alice.Ed25519KeyId, CancellationToken.None));
        Assert.Null(await _cache.GetKeyAsync(_alice.Id + "#retired", CancellationToken.None));

        // The origin itself serving an older version (restored from a backup, or a stale cache in front of it).
        _alice.Updated = T1;
        _alice.RotateTo(0);
        var rolledBack = await _resolver.RefreshActorAsync(_alice.Id, "2025-03-03T10:00:00Z", CancellationToken.None);
        Assert.Equal(ActorRefreshStatus.RolledBack, rolledBack.Status);
        Assert.Equal($"rolled back: updated {T1} is older than {T2} already held", rolledBack.Reason);
        Assert.Equal(3, Fetches);
        Assert.Contains(T2, (await _cache.GetActorAsync(_alice.Id, CancellationToken.None))!.Json, StringComparison.Ordinal);
        Assert.NotEqual(_alice.Rsa.PublicKey.ToPem(), (await _cache.GetKeyAsync(_alice.MainKeyId, CancellationToken.None))!.PublicKeyPem);
    }

    [Fact]
    public async Task Forgetting_an_actor_drops_its_document_and_keys()
    {
        Assert.True((await SendAsync(_alice.SigningKey)).IsValid);
        Assert.NotNull(await _cache.GetActorAsync(_alice.Id, CancellationToken.None));
        Assert.NotNull(await _cache.GetKeyAsync(_alice.MainKeyId, CancellationToken.None));

        // Fetched, not yet seen to verify anything: held in memory only.
        Assert.True((await _resolver.ResolveAsync(_alice.Ed25519KeyId, bypassCache: false, CancellationToken.None)).IsFound);
        Assert.Null(await _cache.GetKeyAsync(_alice.Ed25519KeyId, CancellationToken.None));
        Assert.Equal(1, _resolver.Unverified.Keys);

        await _resolver.ForgetActorAsync(_alice.Id, CancellationToken.None);

        Assert.Null(await _cache.GetActorAsync(_alice.Id, CancellationToken.None));
        Assert.Null(await _cache.GetKeyAsync(_alice.MainKeyId, CancellationToken.None));
        Assert.Null(await _cache.GetKeyAsync(_alice.Ed25519KeyId, CancellationToken.None));
        Assert.Equal((0, 0, 0L), _resolver.Unverified);
    }
}
