using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using ChatonsFed.Federation.Http;
using ChatonsFed.Federation.Signing;

namespace ChatonsFed.Federation.Keys;

public sealed class RemoteKeyOptions
{
    /// <summary>How long a fetched key or actor is used before it is fetched again.</summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// The shortest time between two network look-ups of one key id after the first: a fetch that bypasses the cache
    /// (a cached key failed, perhaps rotated) or a look-up after a failed one is refused within it, so a flood of bad
    /// signatures naming one key id costs the node at most one fetch per interval. Zero turns the limit off.
    /// </summary>
    public TimeSpan RefetchInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The key that signs key fetches (for servers that demand authorized fetch), asked for at each fetch so that a
    /// rotated key is used at once; fetches are unsigned when this is null or gives null.
    /// </summary>
    public Func<ActorSigningKey?>? SignFetchesWith { get; set; }

    /// <summary>
    /// Network fetches of keys and actors not yet verified, per minute, for the whole process (a token bucket): past it
    /// a look-up is refused with the time to wait (<see cref="RemoteKeyResult.RetryAfter"/>) instead of fetching.
    /// Zero: no limit. Refreshes of an actor that has verified (<see cref="RemoteKeyResolver.RefreshActorAsync"/>) do
    /// not count.
    /// </summary>
    public int FetchesPerMinute { get; set; } = 120;

    /// <summary>
    /// How long a host that did not answer a fetch (no connection, timeout, refused address, 429 or 5xx) is not asked
    /// again for a key or actor not yet verified. Zero turns it off.
    /// </summary>
    public TimeSpan FailedHostTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Keys and actor documents fetched but not yet seen to verify anything are held in memory only, at most this many
    /// of each, <see cref="UnverifiedBytes"/> in all and for <see cref="UnverifiedTtl"/>; the persistent cache gets
    /// an entry only once it verified a request.
    /// </summary>
    public int UnverifiedEntries { get; set; } = 1000;

    /// <summary>The bytes of actor documents held in memory while not yet verified (see <see cref="UnverifiedEntries"/>).</summary>
    public long UnverifiedBytes { get; set; } = 8L * 1024 * 1024;

    public TimeSpan UnverifiedTtl { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>The outcome of looking up a key id.</summary>
public sealed class RemoteKeyResult
{
    public CachedRemoteKey? Key { get; init; }

    /// <summary>Whether the key came from the cache rather than a fetch just made.</summary>
    public bool FromCache { get; init; }

    public string? Failure { get; init; }

    /// <summary>The fetch error behind <see cref="Failure"/>, when a fetch failed.</summary>
    public OutboundError FetchError { get; init; }

    /// <summary>The HTTP status of the failed fetch, when the server answered (404, 410…).</summary>
    public int? FetchStatus { get; init; }

    /// <summary>
    /// No fetch was made: the key id was looked up too recently (see <see cref="RemoteKeyOptions.RefetchInterval"/>), or
    /// its host failed lately (see <see cref="RemoteKeyOptions.FailedHostTtl"/>).
    /// </summary>
    public bool Throttled { get; init; }

    /// <summary>No fetch was made because the budget of fetches is spent (<see cref="RemoteKeyOptions.FetchesPerMinute"/>): the time until one may be.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public bool IsFound => Key is not null;
}

/// <summary>The outcome of looking up an actor document.</summary>
public sealed class ActorLookup
{
    public JsonObject? Document { get; init; }

    public string? Failure { get; init; }

    /// <summary>No fetch was made because the budget of fetches is spent: the time until one may be.</summary>
    public TimeSpan? RetryAfter { get; init; }
}

public enum ActorRefreshStatus
{
    /// <summary>The document fetched from the actor's origin replaced the cached one, and the actor's keys with it.</summary>
    Refreshed,

    /// <summary>The version already held is as new: nothing changed.</summary>
    Unchanged,

    /// <summary>The offered version's <c>updated</c> is older than the one held: refused, nothing changed.</summary>
    RolledBack,

    /// <summary>The actor could not be fetched from its origin, or what came back is not that actor.</summary>
    Failed,
}

/// <summary>The outcome of <see cref="RemoteKeyResolver.RefreshActorAsync"/>.</summary>
public sealed class ActorRefresh
{
    public required ActorRefreshStatus Status { get; init; }

    /// <summary>A sentence a person can read.</summary>
    public required string Reason { get; init; }

    /// <summary>The document now held, when refreshed.</summary>
    public JsonObject? Document { get; init; }
}

/// <summary>
/// Finds the public key behind a signature's key id: fetches the owner's actor (the key id without its fragment),
/// takes the key from <c>publicKey</c> or <c>assertionMethod</c>, and checks that it belongs to that actor. A key id
/// that is a key document of its own (with an <c>owner</c>) is followed to the owner, who must list it.
/// </summary>
/// <remarks>
/// What a stranger can make it do is bounded: fetches of what has not verified yet share one budget per minute, a
/// host that failed is not asked again for a while, and what was fetched is held in memory only (bounded) until it
/// verifies a request (<see cref="ConfirmAsync"/>, <see cref="ConfirmActorAsync"/>); only then does the persistent
/// cache get it.
/// </remarks>
public sealed class RemoteKeyResolver
{
    private const int MaxRememberedLookups = 10_000;

    /// <summary>How often a key's or actor's use is written back to the persistent cache (for its eviction order).</summary>
    private static readonly TimeSpan TouchInterval = TimeSpan.FromHours(1);

    private readonly ActivityPubClient _client;
    private readonly IRemoteActorCache _cache;
    private readonly TimeProvider _time;
    private readonly RemoteKeyOptions _options;
    private readonly FetchBudget _budget;

    // Fetched, not yet seen to verify anything: in memory only.
    private readonly BoundedCache<CachedRemoteKey> _unverifiedKeys;
    private readonly BoundedCache<CachedRemoteActor> _unverifiedActors;

    // Host → why its last fetch failed, for FailedHostTtl.
    private readonly BoundedCache<string> _failedHosts;

    // Key id → when it was last fetched again, or last failed to be found: the look-ups that RefetchInterval limits.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _limitedLookups = new(StringComparer.Ordinal);

    // Key id → 404 or 410, when its last look-up was answered so: a throttled look-up still tells that the signer is gone.
    private readonly ConcurrentDictionary<string, int> _goneKeys = new(StringComparer.Ordinal);

    // Key id → the look-up in flight: a burst of requests signed with a key not yet held makes one fetch, not one each.
    private readonly ConcurrentDictionary<string, Task<RemoteKeyResult>> _inFlight = new(StringComparer.Ordinal);

    public RemoteKeyResolver(ActivityPubClient client, IRemoteActorCache cache, TimeProvider timeProvider, RemoteKeyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _client = client;
        _cache = cache;
        _time = timeProvider;
        _options = options ?? new RemoteKeyOptions();
        _budget = new FetchBudget(_options.FetchesPerMinute, timeProvider);
        var entries = Math.Max(0, _options.UnverifiedEntries);
        _unverifiedKeys = new BoundedCache<CachedRemoteKey>(entries, long.MaxValue, _options.UnverifiedTtl, k => k.PublicKeyPem.Length, timeProvider);
        _unverifiedActors = new BoundedCache<CachedRemoteActor>(entries, _options.UnverifiedBytes, _options.UnverifiedTtl, a => 2L * a.Json.Length, timeProvider);
        _failedHosts = new BoundedCache<string>(MaxRememberedLookups, long.MaxValue, _options.FailedHostTtl, _ => 1, timeProvider);
    }

    /// <summary>Keys and actor documents fetched and held in memory, not yet seen to verify anything.</summary>
    public (int Keys, int Actors, long ActorBytes) Unverified => (_unverifiedKeys.Count, _unverifiedActors.Count, _unverifiedActors.Bytes);

    /// <summary>
    /// The key <paramref name="keyId"/>, from the cache while fresh (or from the keys fetched lately but not yet
    /// verified) unless <paramref name="bypassCache"/>. A fetch that bypasses the cache, or follows a failed look-up,
    /// is refused (<see cref="RemoteKeyResult.Throttled"/>) within <see cref="RemoteKeyOptions.RefetchInterval"/> of
    /// the last one; a fetch the budget cannot pay for is not made (<see cref="RemoteKeyResult.RetryAfter"/>). A key
    /// fetched here is kept only in memory until <see cref="ConfirmAsync"/> says it verified a request.
    /// </summary>
    public async Task<RemoteKeyResult> ResolveAsync(string keyId, bool bypassCache, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        if (!bypassCache)
        {
            if (await _cache.GetKeyAsync(keyId, cancellationToken).ConfigureAwait(false) is { } cached
                && _time.GetUtcNow() - cached.FetchedAt < _options.CacheTtl)
            {
                return new RemoteKeyResult { Key = cached, FromCache = true };
            }

            if (_unverifiedKeys.Get(keyId) is { } fetched)
            {
                return new RemoteKeyResult { Key = fetched, FromCache = true };
            }
        }

        if (!Uri.TryCreate(keyId, UriKind.Absolute, out var keyUri) || (keyUri.Scheme != Uri.UriSchemeHttps && keyUri.Scheme != Uri.UriSchemeHttp))
        {
            return new RemoteKeyResult { Failure = $"the key id '{keyId}' is not an http(s) URL" };
        }

        if (HostFailure(keyUri) is { } down)
        {
            return new RemoteKeyResult { Failure = $"the key {keyId} was not fetched: {down}", Throttled = true };
        }

        var mine = new TaskCompletionSource<RemoteKeyResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var shared = _inFlight.GetOrAdd(keyId, mine.Task);
        if (shared != mine.Task)
        {
            return await shared.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var now = _time.GetUtcNow();
            RemoteKeyResult result;
            if (!TryStartLookup(keyId, bypassCache, now, out var refusal, out var previous))
            {
                result = new RemoteKeyResult { Failure = refusal, Throttled = true, FetchStatus = _goneKeys.TryGetValue(keyId, out var gone) ? gone : null };
            }
            else
            {
                // The look-up is shared by whoever asks meanwhile, so one caller giving up does not cancel it; the
                // client's own time limits bound it.
                result = await LookUpAsync(keyId, keyUri, CancellationToken.None).ConfigureAwait(false);
                if (result.RetryAfter is not null)
                {
                    // Nothing was fetched, which says nothing of the key: it may be looked up as soon as the budget allows.
                    if (bypassCache)
                    {
                        Restore(keyId, now, previous);
                    }
                }
                else
                {
                    Remember(keyId, result, bypassCache, now);
                }
            }

            mine.SetResult(result);
            return result;
        }
        catch (Exception e)
        {
            mine.SetException(e);
            throw;
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<string, Task<RemoteKeyResult>>(keyId, mine.Task));
        }
    }

    /// <summary>
    /// The actor document <paramref name="actorId"/> as received, from the cache while fresh; null when it cannot be
    /// fetched. Suits <see cref="Protocol.Proofs.ProofVerifier.VerifyAsync"/> as its resolver.
    /// </summary>
    public async ValueTask<JsonObject?> ResolveActorAsync(Uri actorId, CancellationToken cancellationToken) =>
        (await LookUpActorAsync(actorId, cancellationToken).ConfigureAwait(false)).Document;

    /// <summary>
    /// The actor document <paramref name="actorId"/> as received: from the cache while fresh, from the documents
    /// fetched lately but not yet verified, or fetched now within the budget (held in memory only until
    /// <see cref="ConfirmActorAsync"/> or <see cref="ConfirmAsync"/>).
    /// </summary>
    public async ValueTask<ActorLookup> LookUpActorAsync(Uri actorId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actorId);
        var id = actorId.AbsoluteUri;
        if (await _cache.GetActorAsync(id, cancellationToken).ConfigureAwait(false) is { } cached
            && _time.GetUtcNow() - cached.FetchedAt < _options.CacheTtl
            && JsonNode.Parse(cached.Json) is JsonObject document)
        {
            return new ActorLookup { Document = document };
        }

        if (_unverifiedActors.Get(id) is { } held && JsonNode.Parse(held.Json) is JsonObject fetchedLately)
        {
            return new ActorLookup { Document = fetchedLately };
        }

        var (fetched, retryAfter) = await FetchUnverifiedAsync(actorId, cancellationToken).ConfigureAwait(false);
        return retryAfter is not null
            ? new ActorLookup { Failure = BudgetSpent(retryAfter.Value), RetryAfter = retryAfter }
            : fetched.IsOk ? new ActorLookup { Document = fetched.Document } : new ActorLookup { Failure = fetched.Reason };
    }

    /// <summary>
    /// Records that <paramref name="key"/> verified a request: a key fetched lately is kept in the persistent cache
    /// from now on, with its owner's document when that was fetched with it; a key already kept has its use noted
    /// (at most once an hour), which keeps it from eviction.
    /// </summary>
    public async Task ConfirmAsync(CachedRemoteKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = _time.GetUtcNow();
        if (now - key.LastUsed < TouchInterval)
        {
            return;
        }

        await _cache.SetKeyAsync(key with { LastUsed = now }, cancellationToken).ConfigureAwait(false);
        _unverifiedKeys.Remove(key.KeyId);
        await ConfirmActorAsync(key.OwnerId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records that a request of <paramref name="actorId"/> verified (by its key or by an object proof): its document,
    /// when fetched lately, is kept in the persistent cache from now on; one already kept has its use noted (at most
    /// once an hour).
    /// </summary>
    public async Task ConfirmActorAsync(string actorId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(actorId);
        var now = _time.GetUtcNow();
        if (_unverifiedActors.Get(actorId) is { } fetched)
        {
            await _cache.SetActorAsync(fetched with { LastUsed = now }, cancellationToken).ConfigureAwait(false);
            _unverifiedActors.Remove(actorId);
        }
        else if (await _cache.GetActorAsync(actorId, cancellationToken).ConfigureAwait(false) is { } held && now - held.LastUsed >= TouchInterval)
        {
            await _cache.SetActorAsync(held with { LastUsed = now }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Brings the cached actor <paramref name="actorId"/> up to date after it announced a change (an <c>Update</c> of
    /// itself claiming <paramref name="claimedUpdated"/>). A claim older than the <c>updated</c> held is refused as a
    /// roll-back and one equal to it changes nothing, both without a fetch. Otherwise the actor is fetched from its
    /// origin; the fetched document replaces the held one, and the actor's keys are taken from it (keys it no longer
    /// lists are dropped), unless its own <c>updated</c> is older than the one held (a roll-back) or the same.
    /// </summary>
    public async Task<ActorRefresh> RefreshActorAsync(string actorId, string? claimedUpdated, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(actorId);
        if (Compare(claimedUpdated, await HeldUpdatedAsync(actorId, cancellationToken).ConfigureAwait(false)) is { } early)
        {
            return early;
        }

        if (!Uri.TryCreate(actorId, UriKind.Absolute, out var actorUri))
        {
            return new ActorRefresh { Status = ActorRefreshStatus.Failed, Reason = $"the actor id '{actorId}' is not a URL" };
        }

        var fetched = await _client.FetchObjectAsync(actorUri, new FetchRequest { SignWith = _options.SignFetchesWith?.Invoke() }, cancellationToken).ConfigureAwait(false);
        if (!fetched.IsOk)
        {
            return new ActorRefresh { Status = ActorRefreshStatus.Failed, Reason = $"the actor {actorId} could not be fetched from its origin: {fetched.Reason}" };
        }

        var document = fetched.Document!;
        if (ActorKeys.GetString(document, "id") != actorId || !ActorKeys.IsActor(document))
        {
            return new ActorRefresh { Status = ActorRefreshStatus.Failed, Reason = $"the document at {actorId} is not that actor" };
        }

        // Compared with the version held now, after the fetch: a concurrent refresh may have stored a newer one meanwhile.
        if (Compare(ActorKeys.GetString(document, "updated"), await HeldUpdatedAsync(actorId, cancellationToken).ConfigureAwait(false)) is { } refused)
        {
            return refused;
        }

        // The actor has verified (it announced the change): what its origin serves is kept, and used as of now.
        var now = _time.GetUtcNow();
        ForgetUnverified(actorId);
        await _cache.SetActorAsync(new CachedRemoteActor { ActorId = actorId, Json = System.Text.Encoding.UTF8.GetString(fetched.Body.Span), FetchedAt = now, LastUsed = now }, cancellationToken).ConfigureAwait(false);
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var keyId in ActorKeys.ListedKeyIds(document))
        {
            if (ActorKeys.TryFind(document, keyId, out var pem, out var owner, out _))
            {
                listed.Add(keyId);
                await _cache.SetKeyAsync(new CachedRemoteKey { KeyId = keyId, OwnerId = owner, PublicKeyPem = pem, FetchedAt = now, LastUsed = now }, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var stale in await _cache.GetKeysOwnedByAsync(actorId, cancellationToken).ConfigureAwait(false))
        {
            if (!listed.Contains(stale.KeyId))
            {
                await _cache.RemoveKeyAsync(stale.KeyId, cancellationToken).ConfigureAwait(false);
            }
        }

        return new ActorRefresh { Status = ActorRefreshStatus.Refreshed, Reason = $"the actor {actorId} was fetched again from its origin", Document = document };
    }

    /// <summary>Drops the cached document of <paramref name="actorId"/> and every cached key it owns (the actor was deleted).</summary>
    public async Task ForgetActorAsync(string actorId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(actorId);
        ForgetUnverified(actorId);
        foreach (var key in await _cache.GetKeysOwnedByAsync(actorId, cancellationToken).ConfigureAwait(false))
        {
            await _cache.RemoveKeyAsync(key.KeyId, cancellationToken).ConfigureAwait(false);
        }

        await _cache.RemoveActorAsync(actorId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether a network look-up of <paramref name="keyId"/> may start now: a first look-up always may (it is recorded
    /// only if it fails); a refetch, or a look-up after a failed one, may not within the interval of the last. A
    /// refetch records its time at once, and gives the time it replaced in <paramref name="previous"/>.
    /// </summary>
    private bool TryStartLookup(string keyId, bool refetch, DateTimeOffset now, out string? refusal, out DateTimeOffset? previous)
    {
        refusal = null;
        previous = null;
        var interval = _options.RefetchInterval;
        if (interval <= TimeSpan.Zero)
        {
            return true;
        }

        if (_limitedLookups.Count > MaxRememberedLookups)
        {
            foreach (var old in _limitedLookups.Where(e => now - e.Value >= interval).Select(e => e.Key).ToList())
            {
                _limitedLookups.TryRemove(old, out _);
            }

            // Still full: every entry is recent. Forgetting half lets their key ids be looked up once more, no worse
            // than growing without bound, and keeps the next inserts from sweeping again at once.
            foreach (var surplus in _limitedLookups.Keys.Take(_limitedLookups.Count - (MaxRememberedLookups / 2)).ToList())
            {
                _limitedLookups.TryRemove(surplus, out _);
            }
        }

        while (true)
        {
            if (_limitedLookups.TryGetValue(keyId, out var last))
            {
                if (now - last < interval)
                {
                    refusal = $"the key {keyId} was looked up {(now - last).TotalSeconds:0} s ago, and is looked up at most once every {interval.TotalMinutes:0.#} minutes";
                    return false;
                }

                if (!refetch || _limitedLookups.TryUpdate(keyId, now, last))
                {
                    previous = last;
                    return true;
                }
            }
            else if (!refetch || _limitedLookups.TryAdd(keyId, now))
            {
                return true;
            }
        }
    }

    /// <summary>Undoes what <see cref="TryStartLookup"/> recorded for a refetch that was not made.</summary>
    private void Restore(string keyId, DateTimeOffset recorded, DateTimeOffset? previous)
    {
        if (previous is { } last)
        {
            _limitedLookups.TryUpdate(keyId, last, recorded);
        }
        else
        {
            _limitedLookups.TryRemove(new KeyValuePair<string, DateTimeOffset>(keyId, recorded));
        }
    }

    /// <summary>Records what a look-up that fetched found: a failure limits the next look-ups, a 404 or 410 says the signer is gone.</summary>
    private void Remember(string keyId, RemoteKeyResult result, bool refetch, DateTimeOffset now)
    {
        if (!result.IsFound && !refetch)
        {
            _limitedLookups[keyId] = now;
        }

        if (result.FetchStatus is 404 or 410 && _goneKeys.Count < MaxRememberedLookups)
        {
            _goneKeys[keyId] = result.FetchStatus.Value;
        }
        else
        {
            _goneKeys.TryRemove(keyId, out _);
        }
    }

    private async Task<RemoteKeyResult> LookUpAsync(string keyId, Uri keyUri, CancellationToken cancellationToken)
    {
        var (fetched, retryAfter) = await FetchUnverifiedAsync(keyUri, cancellationToken).ConfigureAwait(false);
        if (retryAfter is not null)
        {
            return new RemoteKeyResult { Failure = $"the key {keyId} was not fetched: {BudgetSpent(retryAfter.Value)}", RetryAfter = retryAfter };
        }

        if (!fetched.IsOk)
        {
            return new RemoteKeyResult { Failure = $"the key {keyId} could not be fetched: {fetched.Reason}", FetchError = fetched.Error, FetchStatus = fetched.StatusCode };
        }

        var document = fetched.Document!;
        if (!ActorKeys.IsActor(document) && ActorKeys.GetString(document, "owner") is { } ownerId)
        {
            // A key document of its own: the owner's actor must list the same key id.
            if (!Uri.TryCreate(ownerId, UriKind.Absolute, out var ownerUri))
            {
                return new RemoteKeyResult { Failure = $"the key {keyId} names the owner '{ownerId}', which is not a URL" };
            }

            (fetched, retryAfter) = await FetchUnverifiedAsync(ownerUri, cancellationToken).ConfigureAwait(false);
            if (retryAfter is not null)
            {
                return new RemoteKeyResult { Failure = $"the owner {ownerId} of the key {keyId} was not fetched: {BudgetSpent(retryAfter.Value)}", RetryAfter = retryAfter };
            }

            if (!fetched.IsOk)
            {
                return new RemoteKeyResult { Failure = $"the owner {ownerId} of the key {keyId} could not be fetched: {fetched.Reason}", FetchError = fetched.Error };
            }

            document = fetched.Document!;
        }

        if (!ActorKeys.TryFind(document, keyId, out var pem, out var owner, out var failure))
        {
            return new RemoteKeyResult { Failure = failure };
        }

        var key = new CachedRemoteKey { KeyId = keyId, OwnerId = owner, PublicKeyPem = pem, FetchedAt = _time.GetUtcNow() };
        _unverifiedKeys.Set(keyId, key);
        return new RemoteKeyResult { Key = key };
    }

    /// <summary>
    /// Fetches a key or actor document not yet verified, when its host has not failed lately and the budget allows
    /// (otherwise the time until it does, and no fetch); an actor fetched is held in memory, not yet in the cache.
    /// </summary>
    private async Task<(FetchResult Result, TimeSpan? RetryAfter)> FetchUnverifiedAsync(Uri uri, CancellationToken cancellationToken)
    {
        if (HostFailure(uri) is { } down)
        {
            return (FetchResult.Fail(OutboundError.Network, down, uri: uri), null);
        }

        if (!_budget.TryTake(out var wait))
        {
            return (FetchResult.Fail(OutboundError.None, BudgetSpent(wait), uri: uri), wait);
        }

        var result = await _client.FetchObjectAsync(uri, new FetchRequest { SignWith = _options.SignFetchesWith?.Invoke() }, cancellationToken).ConfigureAwait(false);
        // Held under its id only when that is the URL asked for (or redirected to): a document cannot stand in for
        // another actor of its origin.
        if (result.IsOk && ActorKeys.IsActor(result.Document!) && ActorKeys.GetString(result.Document!, "id") is { } id
            && (id == uri.GetLeftPart(UriPartial.Query) || id == result.FinalUri?.GetLeftPart(UriPartial.Query)))
        {
            _unverifiedActors.Set(id, new CachedRemoteActor { ActorId = id, Json = System.Text.Encoding.UTF8.GetString(result.Body.Span), FetchedAt = _time.GetUtcNow() });
        }
        else if (_options.FailedHostTtl > TimeSpan.Zero
            && (result.Error is OutboundError.Network or OutboundError.Timeout or OutboundError.AddressRefused || result.StatusCode is 429 or >= 500))
        {
            _failedHosts.Set(uri.Authority, $"its host {uri.Authority} did not answer a fetch at {_time.GetUtcNow():u} ({result.Reason}); it is not asked again for {_options.FailedHostTtl.TotalMinutes:0.#} minutes");
        }

        return (result, null);
    }

    private string? HostFailure(Uri uri) => _options.FailedHostTtl > TimeSpan.Zero ? _failedHosts.Get(uri.Authority) : null;

    private string BudgetSpent(TimeSpan wait) =>
        $"this server's budget of {_options.FetchesPerMinute} fetches a minute for keys not yet known is spent; retry in {RetrySeconds(wait)} s";

    /// <summary>Whole seconds to wait, at least one: what a Retry-After header says.</summary>
    public static int RetrySeconds(TimeSpan wait) => (int)Math.Clamp(Math.Ceiling(wait.TotalSeconds), 1, int.MaxValue);

    /// <summary>Drops what is held in memory of <paramref name="actorId"/> and its keys.</summary>
    private void ForgetUnverified(string actorId)
    {
        _unverifiedActors.Remove(actorId);
        _unverifiedKeys.RemoveWhere(key => key.OwnerId == actorId);
    }

    /// <summary>The <c>updated</c> of the cached document of <paramref name="actorId"/>, whatever its age; null when none is held or it has none.</summary>
    private async Task<string?> HeldUpdatedAsync(string actorId, CancellationToken cancellationToken)
    {
        var cached = await _cache.GetActorAsync(actorId, cancellationToken).ConfigureAwait(false);
        return cached is not null && JsonNode.Parse(cached.Json) is JsonObject held ? ActorKeys.GetString(held, "updated") : null;
    }

    /// <summary>RolledBack or Unchanged when both times are given and <paramref name="offered"/> is not newer than <paramref name="held"/>; null otherwise.</summary>
    private static ActorRefresh? Compare(string? offered, string? held)
    {
        if (ParseTime(offered) is not { } offeredAt || ParseTime(held) is not { } heldAt)
        {
            return null;
        }

        if (offeredAt < heldAt)
        {
            return new ActorRefresh { Status = ActorRefreshStatus.RolledBack, Reason = $"rolled back: updated {offered} is older than {held} already held" };
        }

        return offeredAt == heldAt
            ? new ActorRefresh { Status = ActorRefreshStatus.Unchanged, Reason = $"updated {offered} is the version already held" }
            : null;
    }

    private static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time : null;
}
