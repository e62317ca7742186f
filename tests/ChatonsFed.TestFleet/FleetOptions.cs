using ChatonsFed.Federation.Http;

namespace ChatonsFed.TestFleet;

/// <summary>How a <see cref="FleetServer"/> makes its chatons.</summary>
public sealed class FleetOptions
{
    /// <summary>Everything synthetic (names, places, services, declarations, Ed25519 keys) follows from this number.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Hosted services per chaton, each of a different category; at most the number of categories.</summary>
    public int ServicesPerChaton { get; set; } = 5;

    /// <summary>Who follows whom: the <c>following</c> (and, reversed, <c>followers</c>) collections.</summary>
    public FollowingGraph Following { get; set; } = FollowingGraph.Ring(2);

    /// <summary>
    /// RSA keys (HTTP signatures): one key shared by every chaton (the default: generating a 2048-bit key takes tens of
    /// milliseconds; the fleets of a process share it), or one per chaton, generated in parallel at start-up. Ed25519
    /// keys (object proofs) are always one per chaton.
    /// </summary>
    public FleetRsaKeys RsaKeys { get; set; } = FleetRsaKeys.Shared;

    /// <summary>Items on a page of outbox, followers and following.</summary>
    public int PageSize { get; set; } = 20;

    /// <summary>
    /// The clock of proofs, changes and HTTP signatures. Synthetic <c>published</c>/<c>updated</c> dates lie before
    /// 1 June 2025, or before this clock's time at start-up when that is earlier.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Limits of the deliveries chatons send (signed POSTs to inboxes a test names); by default plain http to
    /// 127.0.0.0/8 only.
    /// </summary>
    public OutboundHttpOptions? Outbound { get; set; }
}

/// <summary>Where the fleet's chatons get their RSA keys.</summary>
public enum FleetRsaKeys
{
    /// <summary>One key for every chaton, each publishing it under its own key id.</summary>
    Shared,

    /// <summary>A key of its own for each chaton.</summary>
    PerChaton,
}

/// <summary>Which chatons each chaton follows, by index (0 for <c>c0001</c>).</summary>
public sealed class FollowingGraph
{
    private readonly Func<int, int, Random, IEnumerable<int>> _follows;

    private FollowingGraph(string name, Func<int, int, Random, IEnumerable<int>> follows)
    {
        Name = name;
        _follows = follows;
    }

    public string Name { get; }

    /// <summary>Nobody follows anybody.</summary>
    public static FollowingGraph None { get; } = new("none", (_, _, _) => []);

    /// <summary>Each chaton follows the next one, the last none: a crawl from the first reaches all, one hop at a time.</summary>
    public static FollowingGraph Chain { get; } = new("chain", (index, count, _) => index + 1 < count ? [index + 1] : []);

    /// <summary>Every chaton follows the first one, which follows them all.</summary>
    public static FollowingGraph Star { get; } = new("star", (index, count, _) => index == 0 ? Enumerable.Range(1, count - 1) : [0]);

    /// <summary>Each chaton follows the <paramref name="next"/> chatons after it, wrapping around.</summary>
    public static FollowingGraph Ring(int next)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(next);
        return new($"ring({next})", (index, count, _) =>
            Enumerable.Range(1, Math.Min(next, count - 1)).Select(step => (index + step) % count));
    }

    /// <summary>Each chaton follows <paramref name="degree"/> others drawn from the seed.</summary>
    public static FollowingGraph Random(int degree)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(degree);
        return new($"random({degree})", (index, count, random) =>
        {
            var wanted = Math.Min(degree, count - 1);
            var chosen = new SortedSet<int>();
            while (chosen.Count < wanted)
            {
                var other = random.Next(count);
                if (other != index)
                {
                    chosen.Add(other);
                }
            }

            return chosen;
        });
    }

    /// <summary>Any graph: <c>follows(index, count)</c> gives the indices chaton <c>index</c> follows.</summary>
    public static FollowingGraph Custom(Func<int, int, IEnumerable<int>> follows)
    {
        ArgumentNullException.ThrowIfNull(follows);
        return new("custom", (index, count, _) => follows(index, count));
    }

    /// <summary>The indices <paramref name="index"/> follows, without itself, repeats or indices out of range, in order.</summary>
    internal IReadOnlyList<int> Follows(int index, int count, Random random) =>
        [.. _follows(index, count, random).Where(i => i != index && i >= 0 && i < count).Distinct()];

    public override string ToString() => Name;
}
