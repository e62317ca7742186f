using System.Text.Json.Serialization;
using ChatonsFed.Aggregator.Api;
using ChatonsFed.Aggregator.Listing;

namespace ChatonsFed.Aggregator.Observatory;

/// <summary>
/// The last check of one target as the directory API gives it: <c>state</c> (<c>up</c>, <c>down</c>, <c>error</c>)
/// and, when not up, its <c>reason</c>; when it was checked; the HTTP status and response time (null without an answer);
/// the certificate's end of validity (https only, else null); the third-party hosts the page loads and which of them
/// are trackers; uptime over 7 and 30 days; the security headers of the answer.
/// </summary>
public sealed record ObservationView(
    string State,
    string? Reason,
    DateTimeOffset CheckedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? HttpStatus,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? ResponseMs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] ObservedTls? Tls,
    IReadOnlyList<string> ThirdPartyHosts,
    IReadOnlyList<string> Trackers,
    ObservedUptime Uptime,
    ObservedSecurityHeaders? SecurityHeaders)
{
    public static ObservationView From(TargetObservation observation, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var latest = observation.Latest;
        var uptime = observation.Uptime;
        return new ObservationView(
            latest.State,
            latest.Reason,
            latest.CheckedAt,
            latest.HttpStatus,
            latest.ResponseMs,
            latest.TlsValidUntil is { } until ? new ObservedTls(until, (int)Math.Floor((until - now).TotalDays)) : null,
            latest.ThirdPartyHosts,
            latest.Trackers,
            new ObservedUptime(uptime.Days7, uptime.Days30, uptime.Checks30, uptime.P50Ms, uptime.P95Ms),
            latest.HttpStatus is null ? null : new ObservedSecurityHeaders(latest.StrictTransportSecurity, latest.ContentSecurityPolicy, latest.ContentTypeOptions, latest.ReferrerPolicy));
    }
}

/// <summary>The certificate the host answered with: when it ends, and how many whole days are left (negative once past).</summary>
public sealed record ObservedTls(DateTimeOffset ValidUntil, int DaysLeft);

/// <summary>Shares of checks that were up (0 to 1) over the last 7 and 30 days, checks over 30 days, response-time percentiles over 30 days (ms).</summary>
public sealed record ObservedUptime(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Days7,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Days30,
    int Checks30,
    int? P50Ms,
    int? P95Ms);

/// <summary>The answer's security headers: each null when absent, its value (cut to 200 characters) when present.</summary>
public sealed record ObservedSecurityHeaders(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? StrictTransportSecurity,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ContentSecurityPolicy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ContentTypeOptions,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ReferrerPolicy);

/// <summary>What the aggregator observed of a chaton beside its services: its website and legal notice, and where observation and declaration disagree.</summary>
public sealed record EntryObservation(ObservationView? Website, ObservationView? LegalNotice, IReadOnlyList<ObservationDiscrepancy> Discrepancies);

/// <summary>
/// Observed beside declared: <c>declaredOnlineButDown</c> (a service whose status is ok or degraded has not been up
/// for more than a day), <c>registrationPage404</c> (a service open to free registration whose URL answers 404),
/// <c>legalNoticeUnreachable</c> (the legal notice is down or in error); <c>since</c> is the first check of the run
/// that shows it; <c>service</c> the service's id (null for the legal notice).
/// </summary>
public sealed record ObservationDiscrepancy(string Kind, DateTimeOffset Since, string? Service);

/// <summary>Puts the observatory's view on directory entries (the API) and answers the website's questions about a listing.</summary>
public sealed class ObservationViews(ObservatoryBook book, TimeProvider time)
{
    public const string DeclaredOnlineButDown = "declaredOnlineButDown";
    public const string RegistrationPage404 = "registrationPage404";
    public const string LegalNoticeUnreachable = "legalNoticeUnreachable";

    /// <summary>How long a service declared online must have been not up before it is a discrepancy.</summary>
    public static readonly TimeSpan DownGrace = TimeSpan.FromDays(1);

    public ObservatoryBook Book => book;

    public TimeProvider Time => time;

    /// <summary>The view of <paramref name="url"/>, or null when it was never checked.</summary>
    public ObservationView? Of(string? url) => book.Find(url) is { } seen ? ObservationView.From(seen, time.GetUtcNow()) : null;

    /// <summary><paramref name="entry"/> with each service's observation and the entry's; both left out where nothing was observed.</summary>
    public DirectoryEntry Attach(DirectoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var services = entry.Services.Select(s => Of(s.Url) is { } seen ? s with { Observation = seen } : s).ToList();
        var website = Of(entry.Website);
        var legal = Of(entry.LegalNotice);
        var discrepancies = Discrepancies(entry.Services.Select(s => (s.Id, s.Url, s.Status, s.Registration, s.OpenToNewAccounts)), entry.LegalNotice);
        var observed = website is not null || legal is not null || discrepancies.Count > 0 || services.Any(s => s.Observation is not null);
        return entry with { Services = services, Observation = observed ? new EntryObservation(website, legal, discrepancies) : null };
    }

    /// <summary>The discrepancies of a listing (for the website).</summary>
    public IReadOnlyList<ObservationDiscrepancy> Discrepancies(ChatonListing listing)
    {
        ArgumentNullException.ThrowIfNull(listing);
        return Discrepancies(listing.Services.Select(s => (s.Id, s.Url, s.Status, s.Registration, s.OpenToNewAccounts)), listing.LegalNotice);
    }

    private List<ObservationDiscrepancy> Discrepancies(IEnumerable<(string Id, string? Url, string? Status, string? Registration, bool Open)> services, string? legalNotice)
    {
        var now = time.GetUtcNow();
        var found = new List<ObservationDiscrepancy>();
        foreach (var service in services)
        {
            if (book.Find(service.Url)?.Latest is not { } latest)
            {
                continue;
            }

            if (service.Status is "ok" or "degraded" && latest.FailingSince is { } failing && now - failing > DownGrace)
            {
                found.Add(new ObservationDiscrepancy(DeclaredOnlineButDown, failing, service.Id));
            }

            if (service.Registration == "free" && service.Open && latest.NotFoundSince is { } missing)
            {
                found.Add(new ObservationDiscrepancy(RegistrationPage404, missing, service.Id));
            }
        }

        if (book.Find(legalNotice)?.Latest is { State: not ObservedState.Up, FailingSince: { } since })
        {
            found.Add(new ObservationDiscrepancy(LegalNoticeUnreachable, since, null));
        }

        return found;
    }
}
