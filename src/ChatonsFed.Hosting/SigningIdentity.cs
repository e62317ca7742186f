namespace ChatonsFed.Hosting;

/// <summary>
/// Who signs with the data folder's keys: the actor that owns them (the chaton node's actor), whose key id signs
/// fetches and deliveries, and the keys as they are now (a rotation replaces them for every role at once).
/// </summary>
public interface ISigningIdentity
{
    /// <summary>The public base URL, without a trailing slash, under which the host's actors live.</summary>
    string BaseUrl { get; }

    /// <summary>The key id of the RSA key on the owner's actor.</summary>
    string RsaKeyId { get; }

    /// <summary>The current keys.</summary>
    HostKeys Keys { get; }

    /// <summary>When the owner's actor was first published and last changed (a key rotation changes it too).</summary>
    (DateTimeOffset Published, DateTimeOffset Updated) ActorDates();
}
