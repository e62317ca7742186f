using ChatonsFed.Hosting.Configuration;
using Microsoft.Extensions.Options;

namespace ChatonsFed.Hosting.Inbox;

/// <summary>
/// The inbox rates, in fixed windows of a minute. Before its signature is checked a request is known only by the
/// address it came from (<see cref="ClientAddress.NetworkOf"/>): each address may send <see cref="NodeOptions.InboxUnverifiedRequestsPerMinute"/>
/// requests that do not verify, and past that is refused before its body is read. A request that verifies is not
/// counted there but against its actor's host, <see cref="NodeOptions.InboxRequestsPerMinute"/>; so a forged request
/// naming another server's key spends its sender's budget, never that server's.
/// </summary>
public sealed class InboxLimits(IOptions<NodeOptions> options, TimeProvider time)
{
    /// <summary>Addresses or hosts followed at once, at most; past it, the oldest windows are forgotten.</summary>
    internal const int MaxTracked = 100_000;

    private readonly FixedWindows _unverified = new(MaxTracked);
    private readonly FixedWindows _verified = new(MaxTracked);

    /// <summary>Seconds until <paramref name="address"/> may send again (its unverified requests are over the limit), or 0.</summary>
    public int CheckAddress(string address) =>
        _unverified.RetryAfter(address, options.Value.InboxUnverifiedRequestsPerMinute, Now);

    /// <summary>Counts a request from <paramref name="address"/> that did not verify.</summary>
    public void CountUnverified(string address) => _unverified.Add(address, Now);

    /// <summary>Counts a verified request of an actor on <paramref name="host"/>; returns 0 when allowed, otherwise the seconds until the window ends.</summary>
    public int AcquireVerified(string host)
    {
        var now = Now;
        var count = _verified.Add(host, now);
        return count <= options.Value.InboxRequestsPerMinute ? 0 : _verified.SecondsLeft(host, now);
    }

    private long Now => time.GetUtcNow().ToUnixTimeSeconds();
}

/// <summary>
/// One inbox request's standing with <see cref="InboxLimits"/>, kept in the request's features from its arrival to its
/// answer: counted against its client address unless its signature verified, then against its actor's host.
/// </summary>
public sealed class InboxAdmission(InboxLimits limits, string clientAddress)
{
    private bool _entered;

    /// <summary>The verified actor's host, once the signature (or proof) verified.</summary>
    public string? VerifiedHost { get; private set; }

    /// <summary>Lets the request in unless its address is over its limit of unverified requests: 0, or the seconds to wait.</summary>
    public int Enter()
    {
        var wait = limits.CheckAddress(clientAddress);
        _entered = wait == 0;
        return wait;
    }

    /// <summary>The request verified as <paramref name="actorId"/>'s: 0 when its host is within its limit, otherwise the seconds to wait.</summary>
    public int Verified(string actorId)
    {
        ArgumentException.ThrowIfNullOrEmpty(actorId);
        VerifiedHost = Uri.TryCreate(actorId, UriKind.Absolute, out var actor) ? actor.Authority.ToLowerInvariant() : actorId;
        return limits.AcquireVerified(VerifiedHost);
    }

    /// <summary>Counts an admitted request that did not verify against its client address.</summary>
    public void Finish()
    {
        if (_entered && VerifiedHost is null)
        {
            limits.CountUnverified(clientAddress);
        }
    }
}
