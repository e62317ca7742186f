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

    /// <summary>No fetch was made: the key id was looked up too recently (see <see cref="RemoteKeyOptions.RefetchInterval"/>).</summary>
    public bool Throttled { get; init; }

    public bool IsFound => Key is not null;
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
/// takes the key from <c>publicKey</c> or <c>assertionMethod</c>, checks that it belongs to that actor, and caches it.
/// A key id that is a key document of its own (with an <c>owner</c>) is followed to the owner, who must list it.
/// </summary>
public sealed class RemoteKeyResolver
{
    private const int MaxRememberedLookups = 10_000;

    private readonly ActivityPubClient _client;
    private readonly IRemoteActorCache _cache;
    private readonly TimeProvider _time;
    private readonly RemoteKeyOptions _options;

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
    }

    /// <summary>
    /// The key <paramref name="keyId"/>, from the cache while fresh unless <paramref name="bypassCache"/>. A fetch
    /// that bypasses the cache, or follows a failed look-up, is refused (<see cref="RemoteKeyResult.Throttled"/>)
    /// within <see cref="RemoteKeyOptions.RefetchInterval"/> of the last one.
    /// </summary>
    public async Task<RemoteKeyResult> ResolveAsync(string keyId, bool bypassCache, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        if (!bypassCache && await _cache.GetKeyAsync(keyId, cancellationToken).ConfigureAwait(false) is { } cached
            && _time.GetUtcNow() - cached.FetchedAt < _options.CacheTtl)
        {
            return new RemoteKeyResult { Key = cached, FromCache = true };
        }

        if (!Uri.TryCreate(keyId, UriKind.Absolute, out var keyUri) || (keyUri.Scheme != Uri.UriSchemeHttps && keyUri.Scheme != Uri.UriSchemeHttp))
        {
            return new RemoteKeyResult { Failure = $"the key id '{keyId}' is not an http(s) URL" };
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
            if (!TryStartLookup(keyId, bypassCache, now, out var refusal))
            {
                result = new RemoteKeyResult { Failure = refusal, Throttled = true, FetchStatus = _goneKeys.TryGetValue(keyId, out var gone) ? gone : null };
            }
            else
            {
                // The look-up is shared by whoever asks meanwhile, so one caller giving up does not cancel it; the
                // client's own time limits bound it.
                result = await LookUpAsync(keyId, keyUri, CancellationToken.None).ConfigureAwait(false);
                if (!result.IsFound && !bypassCache)
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
    public async ValueTask<JsonObject?> ResolveActorAsync(Uri actorId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actorId);
        var id = actorId.AbsoluteUri;
        if (await _cache.GetActorAsync(id, cancellationToken).ConfigureAwait(false) is { } cached
            && _time.GetUtcNow() - cached.FetchedAt < _options.CacheTtl
            && JsonNode.Parse(cached.Json) is JsonObject document)
        {
            return document;
        }

        var fetched = await FetchActorAsync(actorId, cancellationToken).ConfigureAwait(false);
        return fetched.IsOk ? fetched.Document : null;
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

        var now = _time.GetUtcNow();
        await _cache.SetActorAsync(new CachedRemoteActor { ActorId = actorId, Json = System.Text.Encoding.UTF8.GetString(fetched.Body.Span), FetchedAt = now }, cancellationToken).ConfigureAwait(false);
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var keyId in ActorKeys.ListedKeyIds(document))
        {
            if (ActorKeys.TryFind(document, keyId, out var pem, out var owner, out _))
            {
                listed.Add(keyId);
                await _cache.SetKeyAsync(new CachedRemoteKey { KeyId = keyId, OwnerId = owner, PublicKeyPem = pem, FetchedAt = now }, cancellationToken).ConfigureAwait(false);
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
        foreach (var key in await _cache.GetKeysOwnedByAsync(actorId, cancellationToken).ConfigureAwait(false))
        {
            await _cache.RemoveKeyAsync(key.KeyId, cancellationToken).ConfigureAwait(false);
        }

        await _cache.RemoveActorAsync(actorId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether a network look-up of <paramref name="keyId"/> may start now: a first look-up always may (it is recorded
    /// only if it fails); a refetch, or a look-up after a failed one, may not within the interval of the last.
    /// </summary>
    private bool TryStartLookup(string keyId, bool refetch, DateTimeOffset now, out string? refusal)
    {
        refusal = null;
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
                    return true;
                }
            }
            else if (!refetch || _limitedLookups.TryAdd(keyId, now))
            {
                return true;
            }
        }
    }

    private async Task<RemoteKeyResult> LookUpAsync(string keyId, Uri keyUri, CancellationToken cancellationToken)
    {
        var fetched = await FetchActorAsync(keyUri, cancellationToken).ConfigureAwait(false);
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

            fetched = await FetchActorAsync(ownerUri, cancellationToken).ConfigureAwait(false);
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
        await _cache.SetKeyAsync(key, cancellationToken).ConfigureAwait(false);
        return new RemoteKeyResult { Key = key };
    }

    private async Task<FetchResult> FetchActorAsync(Uri uri, CancellationToken cancellationToken)
    {
        var result = await _client.FetchObjectAsync(uri, new FetchRequest { SignWith = _options.SignFetchesWith?.Invoke() }, cancellationToken).ConfigureAwait(false);
        if (result.IsOk && ActorKeys.IsActor(result.Document!) && ActorKeys.GetString(result.Document!, "id") is { } id)
        {
            await _cache.SetActorAsync(new CachedRemoteActor { ActorId = id, Json = System.Text.Encoding.UTF8.GetString(result.Body.Span), FetchedAt = _time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
        }

        return result;
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
