using ChatonsFed.Aggregator.Storage;

namespace ChatonsFed.Aggregator.Tracking;

/// <summary>
/// The bound on the actors the aggregator tracks (<c>Discovery:MaxChatons</c>). Seeds (of the settings, added at run
/// time, or named by a ChatonsInfos organization file) and chatons listed or held in the directory are always kept: they
/// are never crowded out. The others are junk for the cap (unreachable, gone, not a chaton, refused): past the cap they
/// are no longer tracked, those that never answered first, then the longest silent, then the oldest.
/// </summary>
public static class TrackingCap
{
    /// <summary>Whether <paramref name="record"/> stays tracked whatever the cap.</summary>
    public static bool IsKept(TrackedActorRecord record, DirectoryStore store)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(store);
        return record.Source == TrackedSource.Seed || record.Listed || store.Find(record.Id) is not null;
    }

    /// <summary>How many new actors discovery may add to <paramref name="tracked"/>: the cap less the actors always kept.</summary>
    public static int Room(int cap, IEnumerable<TrackedActorRecord> tracked, DirectoryStore store) =>
        Math.Max(0, cap - tracked.Count(t => IsKept(t, store)));

    /// <summary>The actors to stop tracking so that at most <paramref name="cap"/> remain, junk only, in the order above.</summary>
    public static IReadOnlyList<TrackedActorRecord> Evictable(int cap, IReadOnlyCollection<TrackedActorRecord> tracked, DirectoryStore store)
    {
        ArgumentNullException.ThrowIfNull(tracked);
        var excess = tracked.Count - cap;
        return excess <= 0
            ? []
            : [.. tracked.Where(t => !IsKept(t, store))
                .OrderBy(t => t.LastAnswer is null ? 0 : 1)
                .ThenBy(t => t.LastAnswer)
                .ThenBy(t => t.FirstSeen)
                .ThenBy(t => t.Id, StringComparer.Ordinal)
                .Take(excess)];
    }
}
