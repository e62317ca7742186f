using ChatonsFed.Directory.Node;
using ChatonsFed.Node.Storage;

namespace ChatonsFed.Node.Features;

/// <summary>The domains whose actors may not follow the chaton; blocking one also drops its followers.</summary>
public sealed class BlockList(NodeStore store, TimeProvider time)
{
    /// <summary>Blocks <paramref name="domain"/> and its subdomains, and removes the followers there; returns how many were removed.</summary>
    public async Task<int> BlockAsync(string domain, CancellationToken cancellationToken = default)
    {
        var name = FieldRules.Domain(domain);
        await store.WriteLock.WaitAsync(cancellationToken);
        try
        {
            var removed = 0;
            store.InTransaction(() =>
            {
                store.BlockedDomains.Upsert(new BlockedDomainRecord { Id = name, Since = NodeOutbox.ToSecond(time.GetUtcNow()) });
                foreach (var follower in store.Followers.FindAll().Where(f => IsInDomain(f.Id, name)).ToList())
                {
                    removed += store.Followers.Delete(follower.Id) ? 1 : 0;
                }
            });
            return removed;
        }
        finally
        {
            store.WriteLock.Release();
        }
    }

    /// <summary>Lifts the block on <paramref name="domain"/>; false when it was not blocked.</summary>
    public async Task<bool> UnblockAsync(string domain, CancellationToken cancellationToken = default)
    {
        var name = FieldRules.Domain(domain);
        await store.WriteLock.WaitAsync(cancellationToken);
        try
        {
            return store.BlockedDomains.Delete(name);
        }
        finally
        {
            store.WriteLock.Release();
        }
    }

    public IReadOnlyList<string> List() => [.. store.BlockedDomains.FindAll().Select(b => b.Id).Order(StringComparer.Ordinal)];

    /// <summary>The blocked domains with the time each was blocked, by name.</summary>
    public IReadOnlyList<BlockedDomainRecord> Entries() => [.. store.BlockedDomains.FindAll().OrderBy(b => b.Id, StringComparer.Ordinal)];

    /// <summary>Whether an actor id's host is a blocked domain or under one.</summary>
    public bool IsBlocked(string actorId)
    {
        if (!Uri.TryCreate(actorId, UriKind.Absolute, out var uri))
        {
            return false;
        }

        var host = uri.IdnHost.ToLowerInvariant();
        for (var candidate = host; candidate.Length > 0;)
        {
            if (store.BlockedDomains.FindById(candidate) is not null)
            {
                return true;
            }

            var dot = candidate.IndexOf('.', StringComparison.Ordinal);
            candidate = dot < 0 ? string.Empty : candidate[(dot + 1)..];
        }

        return false;
    }

    private static bool IsInDomain(string actorId, string domain) =>
        Uri.TryCreate(actorId, UriKind.Absolute, out var uri)
        && (uri.IdnHost.Equals(domain, StringComparison.OrdinalIgnoreCase) || uri.IdnHost.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase));
}
