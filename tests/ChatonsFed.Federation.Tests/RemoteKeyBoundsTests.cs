using System.Collections.Concurrent;
using ChatonsFed.Federation.Inbox;
using ChatonsFed.Federation.Keys;
using ChatonsFed.Protocol.HttpSignatures;
using Microsoft.Extensions.Time.Testing;

namespace ChatonsFed.Federation.Tests;

/// <summary>
/// What strangers can make the resolver do: keys that verify nothing stay out of the cache, fetches share a budget,
/// a host that failed is left alone for a while, and what is held in memory is bounded. Real peers count the fetches.
/// </summary>
public sealed class RemoteKeyBoundsTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryRemoteActorCache _cache = new();
    private readonly ConcurrentDictionary<string, RemoteActor> _actors = new(StringComparer.Ordinal);
    private LoopbackServer _peer = null!;

    public async Task InitializeAsync()
    {
        // Any /users/NAME is an actor with the first shared RSA key: a real document, whoever names it.
        _peer = await LoopbackServer.StartRecordingAsync();
        _peer.Handler = (context, _) =>
        {
            var path = context.Request.Path.Value ?? string.Empty;
            if (context.Request.Method != "GET" || !path.StartsWith("/users/", StringComparison.Ordinal))
            {
                context.Response.StatusCode = 404;
                return Task.CompletedTask;
            }

            return LoopbackServer.WriteJsonAsync(context, Actor(path["/users/".Length..]).Document().ToJsonString());
        };
    }

    public async Task DisposeAsync() => await _peer.DisposeAsync();

    private int Fetches(LoopbackServer server) => server.Requests.Count(r => r.Method == "GET");

    private RemoteActor Actor(string name) => _actors.GetOrAdd(name, n => new RemoteActor(_peer, n));

    private RemoteKeyResolver Resolver(RemoteKeyOptions options) => new(Clients.Create(time: _time), _cache, _time, options);

    /// <summary>A Follow by <paramref name="actor"/>, signed with the RSA key <paramref name="rsaKeyIndex"/> under the actor's key id.</summary>
    private Task<InboxVerification> SendAsync(InboxRequestVerifier verifier, RemoteActor actor, int rsaKeyIndex) =>
        verifier.VerifyAsync(SignedRequests.Post(SignedRequests.Follow(actor), RemoteActor.OtherKey(actor.MainKeyId, rsaKeyIndex), HttpSignatureFlavour.Cavage, _time.GetUtcNow()), CancellationToken.None);

    [Fact]
    public async Task A_key_is_kept_only_once_it_verified_a_request()
    {
        var resolver = Resolver(new RemoteKeyOptions());
        var verifier = new InboxRequestVerifier(resolver, _time);
        var bob = Actor("bob");

        var forged = await SendAsync(verifier, bob, rsaKeyIndex: 1);
        Assert.Equal(InboxFailure.BadSignature, forged.Failure);
        Assert.Null(await _cache.GetKeyAsync(bob.MainKeyId, CancellationToken.None));
        Assert.Null(await _cache.GetActorAsync(bob.Id, CancellationToken.None));
        Assert.Equal(1, resolver.Unverified.Keys);
        Assert.Equal(1, resolver.Unverified.Actors);

        // Bob himself: the key held in memory verifies, without a second fetch, and is kept from then on.
        var genuine = await SendAsync(verifier, bob, rsaKeyIndex: 0);
        Assert.True(genuine.IsValid, genuine.Reason);
        Assert.Equal(1, Fetches(_peer));
        var kept = await _cache.GetKeyAsync(bob.MainKeyId, CancellationToken.None);
        Assert.Equal(_time.GetUtcNow(), kept!.LastUsed);
        Assert.Equal(_time.GetUtcNow(), (await _cache.GetActorAsync(bob.Id, CancellationToken.None))!.LastUsed);
        Assert.Equal((0, 0, 0L), resolver.Unverified);
    }

    [Fact]
    public async Task Junk_naming_many_keys_costs_at_most_the_budget_of_fetches_and_is_told_when_to_come_back()
    {
        var resolver = Resolver(new RemoteKeyOptions { FetchesPerMinute = 5 });
        var verifier = new InboxRequestVerifier(resolver, _time);

        var results = new List<InboxVerification>();
        for (var i = 0; i < 20; i++)
        {
            results.Add(await SendAsync(verifier, Actor($"junk{i}"), rsaKeyIndex: 1));
        }

        Assert.Equal(5, Fetches(_peer));
        Assert.Equal(5, results.Count(r => r.Failure == InboxFailure.BadSignature));
        var busy = results.Where(r => r.Failure == InboxFailure.Busy).ToList();
        Assert.Equal(15, busy.Count);
        Assert.All(busy, r =>
        {
            Assert.Equal(503, r.StatusCode);
            Assert.InRange(r.RetryAfter!.Value, TimeSpan.FromSeconds(11), TimeSpan.FromSeconds(12));
            Assert.Contains("budget of 5 fetches a minute", r.Reason, StringComparison.Ordinal);
        });
        Assert.Null(await _cache.GetActorAsync(Actor("junk0").Id, CancellationToken.None));

        // A refused look-up was not a failed one: once the budget allows, the same key id is fetched.
        _time.Advance(TimeSpan.FromSeconds(12));
        Assert.Equal(InboxFailure.BadSignature, (await SendAsync(verifier, Actor("junk19"), rsaKeyIndex: 1)).Failure);
        Assert.Equal(6, Fetches(_peer));
        Assert.Equal(InboxFailure.Busy, (await SendAsync(verifier, Actor("junk18"), rsaKeyIndex: 1)).Failure);
        Assert.Equal(6, Fetches(_peer));
    }

    [Fact]
    public async Task A_host_that_does_not_answer_is_not_asked_again_for_a_while()
    {
        await using var down = await LoopbackServer.StartRecordingAsync();
        down.Handler = (context, _) =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        };
        var verifier = new InboxRequestVerifier(Resolver(new RemoteKeyOptions { FailedHostTtl = TimeSpan.FromMinutes(10) }), _time);

        var first = await SendAsync(verifier, new RemoteActor(down, "x0"), rsaKeyIndex: 0);
        Assert.Equal(InboxFailure.KeyUnavailable, first.Failure);
        for (var i = 1; i < 10; i++)
        {
            var again = await SendAsync(verifier, new RemoteActor(down, $"x{i}"), rsaKeyIndex: 0);
            Assert.Equal(InboxFailure.KeyUnavailable, again.Failure);
            Assert.Contains("it is not asked again for 10 minutes", again.Reason, StringComparison.Ordinal);
        }

        Assert.Equal(1, Fetches(down));

        // Other hosts are not affected.
        Assert.Equal(InboxFailure.BadSignature, (await SendAsync(verifier, Actor("carol"), rsaKeyIndex: 1)).Failure);

        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(InboxFailure.KeyUnavailable, (await SendAsync(verifier, new RemoteActor(down, "x10"), rsaKeyIndex: 0)).Failure);
        Assert.Equal(2, Fetches(down));
    }

    [Fact]
    public async Task What_is_held_in_memory_is_bounded_and_expires()
    {
        var resolver = Resolver(new RemoteKeyOptions { UnverifiedEntries = 8, UnverifiedTtl = TimeSpan.FromMinutes(10) });
        for (var i = 0; i < 30; i++)
        {
            Assert.True((await resolver.ResolveAsync(Actor($"many{i}").MainKeyId, bypassCache: false, CancellationToken.None)).IsFound);
        }

        Assert.Equal(8, resolver.Unverified.Keys);
        Assert.Equal(8, resolver.Unverified.Actors);

        // The most recent are the ones held: asking for one costs no fetch.
        Assert.True((await resolver.ResolveAsync(Actor("many29").MainKeyId, bypassCache: false, CancellationToken.None)).FromCache);
        Assert.Equal(30, Fetches(_peer));

        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.False((await resolver.ResolveAsync(Actor("many29").MainKeyId, bypassCache: false, CancellationToken.None)).FromCache);
        Assert.Equal(31, Fetches(_peer));
    }
}
