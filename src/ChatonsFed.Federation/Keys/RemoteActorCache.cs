using System.Collections.Concurrent;

namespace ChatonsFed.Federation.Keys;

/// <summary>A remote public key as found in its owner's actor document; plain data, so a store can persist it.</summary>
public sealed record CachedRemoteKey
{
    /// <summary>The key id as the signer names it (e.g. <c>https://a.example/actor#main-key</c>).</summary>
    public required string KeyId { get; init; }

    /// <summary>The actor that owns the key (<c>publicKey.owner</c>, the Multikey <c>controller</c>, or the actor's id).</summary>
    public required string OwnerId { get; init; }

    /// <summary>The public key as SPKI PEM (RSA or Ed25519).</summary>
    public required string PublicKeyPem { get; init; }

    public required DateTimeOffset FetchedAt { get; init; }

    /// <summary>When the key last verified a request (at most once an hour is recorded); the minimum when it never has.</summary>
    public DateTimeOffset LastUsed { get; init; } = DateTimeOffset.MinValue;
}

/// <summary>A remote actor document as received, with the time it was fetched.</summary>
public sealed record CachedRemoteActor
{
    public required string ActorId { get; init; }

    /// <summary>The document's JSON text as received.</summary>
    public required string Json { get; init; }

    public required DateTimeOffset FetchedAt { get; init; }

    /// <summary>When a request of this actor last verified (at most once an hour is recorded); the minimum when none has.</summary>
    public DateTimeOffset LastUsed { get; init; } = DateTimeOffset.MinValue;
}

/// <summary>
/// Storage for remote keys and actor documents. <see cref="RemoteKeyResolver"/> gives it only what verified a request
/// (or belongs to an actor that did), and decides from <c>FetchedAt</c> whether an entry is still fresh; a store may
/// drop the entries least recently used (<c>LastUsed</c>) to stay within its bounds.
/// </summary>
public interface IRemoteActorCache
{
    ValueTask<CachedRemoteKey?> GetKeyAsync(string keyId, CancellationToken cancellationToken);

    ValueTask SetKeyAsync(CachedRemoteKey key, CancellationToken cancellationToken);

    ValueTask<CachedRemoteActor?> GetActorAsync(string actorId, CancellationToken cancellationToken);

    ValueTask SetActorAsync(CachedRemoteActor actor, CancellationToken cancellationToken);

    /// <summary>The cached keys whose owner is <paramref name="ownerId"/>.</summary>
    ValueTask<IReadOnlyList<CachedRemoteKey>> GetKeysOwnedByAsync(string ownerId, CancellationToken cancellationToken);

    ValueTask RemoveKeyAsync(string keyId, CancellationToken cancellationToken);

    ValueTask RemoveActorAsync(string actorId, CancellationToken cancellationToken);
}

public sealed class InMemoryRemoteActorCache : IRemoteActorCache
{
    private readonly ConcurrentDictionary<string, CachedRemoteKey> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CachedRemoteActor> _actors = new(StringComparer.Ordinal);

    public ValueTask<CachedRemoteKey?> GetKeyAsync(string keyId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_keys.GetValueOrDefault(keyId));

    public ValueTask SetKeyAsync(CachedRemoteKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        _keys[key.KeyId] = key;
        return ValueTask.CompletedTask;
    }

    public ValueTask<CachedRemoteActor?> GetActorAsync(string actorId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_actors.GetValueOrDefault(actorId));

    public ValueTask SetActorAsync(CachedRemoteActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        _actors[actor.ActorId] = actor;
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<CachedRemoteKey>> GetKeysOwnedByAsync(string ownerId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<CachedRemoteKey>>([.. _keys.Values.Where(k => k.OwnerId == ownerId)]);

    public ValueTask RemoveKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        _keys.TryRemove(keyId, out _);
        return ValueTask.CompletedTask;
    }

    public ValueTask RemoveActorAsync(string actorId, CancellationToken cancellationToken)
    {
        _actors.TryRemove(actorId, out _);
        return ValueTask.CompletedTask;
    }
}
