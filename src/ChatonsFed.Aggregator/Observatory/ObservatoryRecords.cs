using ChatonsFed.Hosting.Storage;
using LiteDB;

namespace ChatonsFed.Aggregator.Observatory;

// The observatory's records, in the data folder's chatonsfed.db (they survive a rebuild of directory.db, which is made
// from the chatons' documents alone): plain classes with settable members, one collection each.

/// <summary>The last check of one target (a URL): what it answered, since when it fails, what its page loads.</summary>
public sealed class ObservationRecord
{
    /// <summary>The target's URL (absolute, without fragment).</summary>
    public string Id { get; set; } = string.Empty;

    public DateTimeOffset CheckedAt { get; set; }

    /// <summary><see cref="ObservedState.Up"/>, <see cref="ObservedState.Down"/> or <see cref="ObservedState.Error"/>.</summary>
    public string State { get; set; } = ObservedState.Down;

    public string? Reason { get; set; }

    public int? HttpStatus { get; set; }

    public int? ResponseMs { get; set; }

    public DateTimeOffset? TlsValidUntil { get; set; }

    public List<string> ThirdPartyHosts { get; set; } = [];

    public List<string> Trackers { get; set; } = [];

    /// <summary>Whether the last check read an HTML page (so that <see cref="ThirdPartyHosts"/> says something).</summary>
    public bool PageRead { get; set; }

    /// <summary>Whether the page was longer than what was read.</summary>
    public bool Truncated { get; set; }

    public string? StrictTransportSecurity { get; set; }

    public string? ContentSecurityPolicy { get; set; }

    public string? ContentTypeOptions { get; set; }

    public string? ReferrerPolicy { get; set; }

    /// <summary>The first check of the current run of checks that were not up; null while up.</summary>
    public DateTimeOffset? FailingSince { get; set; }

    /// <summary>The first check of the current run of 404 answers; null otherwise.</summary>
    public DateTimeOffset? NotFoundSince { get; set; }
}

/// <summary>
/// One day of checks of one target (UTC): how many, how many up, and the response times in a fixed histogram
/// (<see cref="Uptime.BucketBounds"/>), so that a day costs the same whatever the number of checks.
/// </summary>
public sealed class ObservationDayRecord
{
    /// <summary><c>{target}|{yyyy-MM-dd}</c>.</summary>
    public string Id { get; set; } = string.Empty;

    public string Target { get; set; } = string.Empty;

    /// <summary>The day, <c>yyyy-MM-dd</c> (UTC).</summary>
    public string Day { get; set; } = string.Empty;

    public int Checks { get; set; }

    public int Up { get; set; }

    /// <summary>Answers by response time, one count per bucket of <see cref="Uptime.BucketBounds"/> and one past the last.</summary>
    public int[] Histogram { get; set; } = new int[Uptime.BucketBounds.Length + 1];
}

/// <summary>The observatory's two collections in chatonsfed.db.</summary>
public sealed class ObservatoryTables
{
    public ObservatoryTables(DataStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        Latest = store.Table<ObservationRecord>("aggregator_observations");
        Days = store.Table<ObservationDayRecord>("aggregator_observation_days", c => c.EnsureIndex(d => d.Target));
    }

    /// <summary>The last check of each target.</summary>
    public StoreTable<ObservationRecord> Latest { get; }

    /// <summary>Daily aggregates, <see cref="ObservatorySettings.DaysKept"/> days per target at most.</summary>
    public StoreTable<ObservationDayRecord> Days { get; }

    /// <summary>Deletes the days of <paramref name="target"/> before <paramref name="firstKept"/> (all of them when null).</summary>
    public int DeleteDays(string target, string? firstKept)
    {
        var old = Days.Find(d => d.Target == target);
        var deleted = 0;
        foreach (var day in old.Where(d => firstKept is null || string.CompareOrdinal(d.Day, firstKept) < 0))
        {
            deleted += Days.Delete(new BsonValue(day.Id)) ? 1 : 0;
        }

        return deleted;
    }
}
