using System.Collections.Concurrent;
using LiteDB;

namespace ChatonsFed.Aggregator.Observatory;

/// <summary>A target's last check and its uptime, as the directory shows them.</summary>
public sealed record TargetObservation(ObservationRecord Latest, Uptime Uptime);

/// <summary>
/// The observations, kept in chatonsfed.db and in memory for the directory's answers: the last check of each target,
/// and its daily aggregates (<see cref="ObservatorySettings.DaysKept"/> days at most, older ones deleted as new ones
/// come), so that what is stored is bounded whatever the number of checks.
/// </summary>
public sealed class ObservatoryBook
{
    private readonly ObservatoryTables _tables;
    private readonly TimeProvider _time;
    private readonly Lazy<ConcurrentDictionary<string, TargetObservation>> _views;

    public ObservatoryBook(ObservatoryTables tables, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(time);
        _tables = tables;
        _time = time;
        _views = new Lazy<ConcurrentDictionary<string, TargetObservation>>(Load);
    }

    /// <summary>The targets observed, by URL.</summary>
    public IReadOnlyCollection<string> Targets => [.. _views.Value.Keys];

    /// <summary>The observation of <paramref name="url"/> (written as the chatons write it), or null when it was never checked.</summary>
    public TargetObservation? Find(string? url) =>
        ObservationTarget.KeyOf(url) is { } key && _views.Value.TryGetValue(key, out var view) ? view : null;

    /// <summary>Records a check of <paramref name="url"/> (a target key) and returns the target's observation with it.</summary>
    public TargetObservation Record(string url, ProbeResult probe, IReadOnlyList<string> thirdPartyHosts, IReadOnlyList<string> trackers, bool pageRead)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(probe);
        var now = _time.GetUtcNow();
        var previous = _views.Value.TryGetValue(url, out var before) ? before.Latest : null;
        var up = probe.State == ObservedState.Up;
        var record = new ObservationRecord
        {
            Id = url,
            CheckedAt = now,
            State = probe.State,
            Reason = probe.Reason,
            HttpStatus = probe.HttpStatus,
            ResponseMs = probe.ResponseMs,
            TlsValidUntil = probe.TlsValidUntil,
            ThirdPartyHosts = [.. thirdPartyHosts],
            Trackers = [.. trackers],
            PageRead = pageRead,
            Truncated = probe.Truncated,
            StrictTransportSecurity = probe.Headers.StrictTransportSecurity,
            ContentSecurityPolicy = probe.Headers.ContentSecurityPolicy,
            ContentTypeOptions = probe.Headers.ContentTypeOptions,
            ReferrerPolicy = probe.Headers.ReferrerPolicy,
            FailingSince = up ? null : previous?.FailingSince ?? now,
            NotFoundSince = probe.HttpStatus == 404 ? previous?.NotFoundSince ?? now : null,
        };
        _tables.Latest.Upsert(record);

        var dayKey = Uptime.DayOf(now);
        var id = url + "|" + dayKey;
        var day = _tables.Days.FindById(new BsonValue(id)) ?? new ObservationDayRecord { Id = id, Target = url, Day = dayKey };
        day.Checks++;
        day.Up += up ? 1 : 0;
        if (probe.ResponseMs is { } ms)
        {
            if (day.Histogram.Length <= Uptime.BucketBounds.Length)
            {
                var histogram = new int[Uptime.BucketBounds.Length + 1];
                day.Histogram.CopyTo(histogram, 0);
                day.Histogram = histogram;
            }

            day.Histogram[Uptime.Bucket(ms)]++;
        }

        _tables.Days.Upsert(day);
        _tables.DeleteDays(url, Uptime.FirstKept(now));
        var view = new TargetObservation(record, Uptime.From(_tables.Days.Find(d => d.Target == url), now));
        _views.Value[url] = view;
        return view;
    }

    /// <summary>Forgets the targets not in <paramref name="listed"/> (their last check and their days); returns how many.</summary>
    public int KeepOnly(IReadOnlySet<string> listed)
    {
        ArgumentNullException.ThrowIfNull(listed);
        var dropped = 0;
        foreach (var url in _views.Value.Keys.Where(k => !listed.Contains(k)).ToList())
        {
            _tables.Latest.Delete(new BsonValue(url));
            _tables.DeleteDays(url, null);
            dropped += _views.Value.TryRemove(url, out _) ? 1 : 0;
        }

        return dropped;
    }

    private ConcurrentDictionary<string, TargetObservation> Load()
    {
        var now = _time.GetUtcNow();
        var days = _tables.Days.FindAll().ToLookup(d => d.Target, StringComparer.Ordinal);
        var views = new ConcurrentDictionary<string, TargetObservation>(StringComparer.Ordinal);
        foreach (var record in _tables.Latest.FindAll())
        {
            views[record.Id] = new TargetObservation(record, Uptime.From(days[record.Id], now));
        }

        return views;
    }
}
