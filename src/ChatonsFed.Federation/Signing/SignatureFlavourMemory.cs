using System.Collections.Concurrent;
using ChatonsFed.Protocol.HttpSignatures;

namespace ChatonsFed.Federation.Signing;

/// <summary>
/// Remembers, per origin (<c>scheme://host[:port]</c>), which signature flavour the server there accepted last, so
/// that the next request knocks with it first. Entries have no expiry: a later success overwrites them.
/// </summary>
public interface ISignatureFlavourMemory
{
    ValueTask<HttpSignatureFlavour?> GetAsync(string origin, CancellationToken cancellationToken);

    ValueTask RememberAsync(string origin, HttpSignatureFlavour flavour, CancellationToken cancellationToken);
}

public sealed class InMemorySignatureFlavourMemory : ISignatureFlavourMemory
{
    private readonly ConcurrentDictionary<string, HttpSignatureFlavour> _flavours = new(StringComparer.Ordinal);

    public ValueTask<HttpSignatureFlavour?> GetAsync(string origin, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_flavours.TryGetValue(origin, out var flavour) ? flavour : (HttpSignatureFlavour?)null);

    public ValueTask RememberAsync(string origin, HttpSignatureFlavour flavour, CancellationToken cancellationToken)
    {
        _flavours[origin] = flavour;
        return ValueTask.CompletedTask;
    }
}
