using System.Text.Json.Nodes;
using ChatonsFed.Federation.Http;
using ChatonsFed.Federation.Signing;

namespace ChatonsFed.Federation.Keys;

public sealed class RemoteKeyOptions
{
    /// <summary>How long a fetched key or actor is used before it is fetched again.</summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromHours(24);

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

    public bool IsFound => Key is not null;
}

/// <summary>
/// Finds the public key behind a signature's key id: fetches the owner's actor (the key id without its fragment),
/// takes the key from <c>publicKey</c> or <c>assertionMethod</c>, checks that it belongs to that actor, and caches it.
/// A key id that is a key document of its own (with an <c>owner</c>) is followed to the owner, who must list it.
/// </summary>
public sealed class RemoteKeyResolver
{
    private readonly ActivityPubClient _client;
    private readonly IRemoteActorCache _cache;
    private readonly TimeProvider _time;
    private readonly RemoteKeyOptions _options;

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

    /// <summary>The key <paramref name="keyId"/>, from the cache while fresh unless <paramref name="bypassCache"/>.</summary>
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

        var fetched = await FetchActorAsync(keyUri, cancellationToken).ConfigureAwait(false);
        if (!fetched.IsOk)
        {
            return new RemoteKeyResult { Failure = $"the key {keyId} could not be fetched: {fetched.Reason}", FetchError = fetched.Error };
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

    private async Task<FetchResult> FetchActorAsync(Uri uri, CancellationToken cancellationToken)
    {
        var result = await _client.FetchObjectAsync(uri, new FetchRequest { SignWith = _options.SignFetchesWith?.Invoke() }, cancellationToken).ConfigureAwait(false);
        if (result.IsOk && ActorKeys.IsActor(result.Document!) && ActorKeys.GetString(result.Document!, "id") is { } id)
        {
            await _cache.SetActorAsync(new CachedRemoteActor { ActorId = id, Json = System.Text.Encoding.UTF8.GetString(result.Body.Span), FetchedAt = _time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }
}
