using ChatonsFed.Protocol.HttpSignatures;

namespace ChatonsFed.Federation.Signing;

/// <summary>
/// The key this node signs requests with, and the id under which its actor publishes it
/// (e.g. <c>https://node.example/actor#main-key</c>). An RSA key, so that both signature flavours can use it.
/// </summary>
public sealed class ActorSigningKey
{
    public ActorSigningKey(string keyId, HttpSignatureKey key)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        ArgumentNullException.ThrowIfNull(key);
        if (!key.CanSign)
        {
            throw new ArgumentException("the key has no private part", nameof(key));
        }

        if (key.KeyType != HttpSignatureKeyType.Rsa)
        {
            throw new ArgumentException("requests are signed with an RSA key, which Mastodon and draft-cavage need", nameof(key));
        }

        KeyId = keyId;
        Key = key;
    }

    public string KeyId { get; }

    public HttpSignatureKey Key { get; }

    /// <summary>The id of the actor that owns the key: the key id without its fragment.</summary>
    public string ActorId => KeyId.Split('#', 2)[0];
}

/// <summary>Finds this node's signing key by id, for jobs that name the key they are to be signed with.</summary>
public interface ISigningKeySource
{
    ValueTask<ActorSigningKey?> GetAsync(string keyId, CancellationToken cancellationToken);
}

/// <summary>A fixed set of signing keys.</summary>
public sealed class StaticSigningKeySource(params ActorSigningKey[] keys) : ISigningKeySource
{
    public ValueTask<ActorSigningKey?> GetAsync(string keyId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(keys.FirstOrDefault(k => k.KeyId == keyId));
}
