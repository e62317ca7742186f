using System.Text.Json;
using System.Text.Json.Nodes;
using ChatonsFed.Aggregator.Api;
using ChatonsFed.Aggregator.Storage;
using ChatonsFed.Protocol.Membership;
using Microsoft.Extensions.Logging;

namespace ChatonsFed.Aggregator.Trust;

/// <summary>
/// This aggregator's view of membership: who is admitted from its trust roots and quorum, computed from the
/// credentials and status lists held (<see cref="TrustComputation"/>), with each listed chaton's admission as the API
/// gives it. Computed again after each poll and each change an inbox brings, and when a validity limit passes (a timer
/// at the next <c>validFrom</c>, <c>validUntil</c>, or end of a status list's grace): nothing is remembered from one
/// computation to the next.
/// </summary>
public sealed partial class AdmissionBook : IDisposable
{
    private readonly Lock _gate = new();
    private readonly DirectoryStore _store;
    private readonly TrustRoots _roots;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, (string Id, DateTimeOffset? Updated, string? Digest)> _digests = new(StringComparer.Ordinal);
    private AdmissionSnapshot? _current;
    private ITimer? _timer;
    private bool _disposed;

    public AdmissionBook(DirectoryStore store, TrustRoots roots, TimeProvider time, ILogger<AdmissionBook> logger)
    {
        _store = store;
        _roots = roots;
        _time = time;
        _logger = logger;
    }

    /// <summary>Whether admission is computed at all (at least one trust root is set).</summary>
    public bool Enabled => _roots.Enabled;

    /// <summary>The latest computation (made now if there is none yet).</summary>
    public AdmissionSnapshot Current => Volatile.Read(ref _current) ?? Recompute();

    /// <summary>The admission of a listed chaton as the API gives it; null when admission is not computed.</summary>
    public EntryAdmission? For(string actorId) => Enabled ? Current.For(actorId) : null;

    /// <summary>Computes admission again from what the store holds now, and sets the timer for the next validity limit.</summary>
    public AdmissionSnapshot Recompute()
    {
        lock (_gate)
        {
            if (!Enabled)
            {
                Volatile.Write(ref _current, AdmissionSnapshot.Off);
                return AdmissionSnapshot.Off;
            }

            var snapshot = Compute(_time.GetUtcNow());
            Volatile.Write(ref _current, snapshot);
            Schedule(snapshot);
            return snapshot;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
        }
    }

    private AdmissionSnapshot Compute(DateTimeOffset now)
    {
        var roots = _roots.Known;
        var listings = _store.Listings;
        var credentials = _store.Credentials;
        var lists = _store.StatusLists.ToDictionary(l => l.Url, StringComparer.Ordinal);
        DateTimeOffset? next = null;
        void Next(DateTimeOffset instant)
        {
            if (instant > now && (next is null || instant < next))
            {
                next = instant;
            }
        }

        var edges = new List<TrustEdge>(credentials.Count);
        foreach (var held in credentials)
        {
            var credential = held.Credential;
            var list = lists.GetValueOrDefault(credential.StatusListUrl);
            var fresh = list is not null && list.Issuer == credential.Issuer && now - list.VerifiedAt < MembershipLimits.StatusListGrace;
            if (fresh)
            {
                Next(list!.VerifiedAt + MembershipLimits.StatusListGrace);
            }

            var (state, _) = CredentialVerifier.StateAt(credential, now, fresh ? list!.Bits : null);
            var end = credential.ValidFrom + CredentialVerifier.MaxValidity;
            Next(credential.ValidFrom - CredentialVerifier.ClockSkew);
            Next(credential.ValidUntil);
            Next(end);
            edges.Add(new TrustEdge(credential.Id, credential.Issuer, credential.Subject, state, credential.ValidUntil < end ? credential.ValidUntil : end));
        }

        var result = TrustComputation.Compute(roots, _roots.Quorum, [.. listings.Select(l => l.ActorId)], edges);
        var bySubject = credentials.Zip(edges).ToLookup(p => p.First.Credential.Subject, StringComparer.Ordinal);
        var entries = new Dictionary<string, EntryAdmission>(listings.Count, StringComparer.Ordinal);
        foreach (var listing in listings)
        {
            if (!result.Admissions.TryGetValue(listing.ActorId, out var admission))
            {
                continue;
            }

            var digest = AttestationDigestOf(listing);
            entries[listing.ActorId] = new EntryAdmission(
                TrustComputation.WireNames.Of(admission.Status),
                admission.Root,
                admission.Endorsements,
                admission.Quorum,
                admission.EndorsedBy,
                admission.Until,
                [.. bySubject[listing.ActorId]
                    .OrderBy(p => p.First.Credential.Issuer, StringComparer.Ordinal).ThenBy(p => p.First.Id, StringComparer.Ordinal)
                    .Select(p => new EntryCredential(
                        p.First.Credential.Issuer,
                        p.First.Id,
                        p.First.Credential.ValidUntil,
                        CredentialStates.WireName(p.Second.State),
                        result.CountedCredentialIds.Contains(p.First.Id),
                        digest is not null && string.Equals(digest, p.First.Credential.AttestationDigest, StringComparison.Ordinal)))]);
        }

        // Actors that roots and admitted members vouch for, not listed yet: crawled as chatons found through following are.
        var members = result.Admissions.Where(a => a.Value.Status == AdmissionStatus.Admitted).Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
        var listed = listings.Select(l => l.ActorId).ToHashSet(StringComparer.Ordinal);
        var endorsed = credentials
            .Where(c => members.Contains(c.Credential.Issuer) && !listed.Contains(c.Credential.Subject))
            .Select(c => (c.Credential.Issuer, c.Credential.Subject))
            .Distinct()
            .OrderBy(e => e.Issuer, StringComparer.Ordinal).ThenBy(e => e.Subject, StringComparer.Ordinal)
            .ToList();
        return new AdmissionSnapshot(true, roots, _roots.Quorum, now, entries, next, endorsed, credentials.Count, lists.Count);
    }

    /// <summary>The digest of the attestation held for a chaton: kept with its listing, else worked out once from its bytes.</summary>
    private string? AttestationDigestOf(Listing.ChatonListing listing)
    {
        if (listing.Attestation is not { } attestation)
        {
            return null;
        }

        if (attestation.Digest is { } kept)
        {
            return kept;
        }

        if (_digests.TryGetValue(listing.ActorId, out var known) && known.Id == attestation.Id && known.Updated == attestation.Updated)
        {
            return known.Digest;
        }

        string? digest = null;
        if (_store.GetDocuments(listing.ActorId)?.Attestation is { } held)
        {
            try
            {
                digest = JsonNode.Parse(held.Utf8Json.Span) is JsonObject json ? AttestationDigest.Compute(json) : null;
            }
            catch (JsonException)
            {
                digest = null;
            }
        }

        _digests[listing.ActorId] = (attestation.Id, attestation.Updated, digest);
        return digest;
    }

    private void Schedule(AdmissionSnapshot snapshot)
    {
        _timer?.Dispose();
        _timer = null;
        if (_disposed || snapshot.NextChange is not { } next)
        {
            return;
        }

        // A timer of the system cannot wait longer than about 49 days; a later limit is reached by steps.
        var due = next - snapshot.ComputedAt;
        due = due < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : due > TimeSpan.FromDays(30) ? TimeSpan.FromDays(30) : due;
        _timer = _time.CreateTimer(_ => OnLimit(), null, due, Timeout.InfiniteTimeSpan);
    }

    private void OnLimit()
    {
        try
        {
            var snapshot = Recompute();
            if (_logger.IsEnabled(LogLevel.Information))
            {
                int admitted = snapshot.Count(AdmissionStatus.Admitted), candidates = snapshot.Count(AdmissionStatus.Candidate);
                int lapsed = snapshot.Count(AdmissionStatus.Lapsed), revoked = snapshot.Count(AdmissionStatus.Revoked);
                LogLimitPassed(_logger, admitted, candidates, lapsed, revoked);
            }
        }
        catch (ObjectDisposedException)
        {
            // The store closed under the timer: the host is stopping.
        }
#pragma warning disable CA1031 // A timer's failure is logged; the next computation comes with the next poll.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogLimitFailed(_logger, e);
        }
    }

    [LoggerMessage(EventId = 4041, EventName = "AdmissionLimitPassed", Level = LogLevel.Information,
        Message = "A credential's or a status list's validity limit passed: admission computed again ({Admitted} admitted, {Candidates} candidates, {Lapsed} lapsed, {Revoked} revoked)")]
    private static partial void LogLimitPassed(ILogger logger, int admitted, int candidates, int lapsed, int revoked);

    [LoggerMessage(EventId = 4042, EventName = "AdmissionLimitFailed", Level = LogLevel.Warning, Message = "Admission could not be computed again when a validity limit passed")]
    private static partial void LogLimitFailed(ILogger logger, Exception exception);
}

/// <summary>One computation of admission: each listed chaton's, the roots and quorum used, and when it changes next.</summary>
public sealed class AdmissionSnapshot
{
    private readonly IReadOnlyDictionary<string, EntryAdmission> _entries;

    internal AdmissionSnapshot(bool enabled, IReadOnlyList<string> roots, int quorum, DateTimeOffset computedAt, IReadOnlyDictionary<string, EntryAdmission> entries,
        DateTimeOffset? nextChange, IReadOnlyList<(string Issuer, string Subject)> endorsed, int credentials, int statusLists)
    {
        Enabled = enabled;
        Roots = roots;
        Quorum = quorum;
        ComputedAt = computedAt;
        _entries = entries;
        NextChange = nextChange;
        Endorsed = endorsed;
        Credentials = credentials;
        StatusLists = statusLists;
    }

    /// <summary>No trust root: nothing is computed.</summary>
    public static AdmissionSnapshot Off { get; } = new(false, [], 0, default, new Dictionary<string, EntryAdmission>(), null, [], 0, 0);

    public bool Enabled { get; }

    /// <summary>The trust roots' actor ids used, in ordinal order.</summary>
    public IReadOnlyList<string> Roots { get; }

    public int Quorum { get; }

    public DateTimeOffset ComputedAt { get; }

    /// <summary>The next instant a credential's or a status list's state changes by the clock alone.</summary>
    public DateTimeOffset? NextChange { get; }

    /// <summary>Issuer and subject of each credential by an admitted member (or a root) about an actor not listed.</summary>
    public IReadOnlyList<(string Issuer, string Subject)> Endorsed { get; }

    /// <summary>Credentials held.</summary>
    public int Credentials { get; }

    /// <summary>Status lists held.</summary>
    public int StatusLists { get; }

    public EntryAdmission? For(string actorId) => _entries.GetValueOrDefault(actorId);

    /// <summary>The listed chatons whose status is <paramref name="status"/>.</summary>
    public IReadOnlySet<string> With(AdmissionStatus status)
    {
        var wire = TrustComputation.WireNames.Of(status);
        return _entries.Where(e => e.Value.Status == wire).Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
    }

    public int Count(AdmissionStatus status)
    {
        var wire = TrustComputation.WireNames.Of(status);
        return _entries.Values.Count(e => e.Status == wire);
    }
}
