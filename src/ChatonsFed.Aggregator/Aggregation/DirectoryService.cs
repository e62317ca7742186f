using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Aggregator.Actor;
using ChatonsFed.Aggregator.ChatonsInfosSource;
using ChatonsFed.Aggregator.Crawling;
using ChatonsFed.Aggregator.Export;
using ChatonsFed.Aggregator.News;
using ChatonsFed.Aggregator.Trust;
using ChatonsFed.Aggregator.Storage;
using ChatonsFed.Aggregator.Tracking;
using ChatonsFed.Aggregator.Verification;
using ChatonsFed.Federation.Delivery;
using ChatonsFed.Hosting;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Protocol.Membership;
using ChatonsFed.Protocol.Vocabulary;
using Microsoft.Extensions.Logging;

namespace ChatonsFed.Aggregator.Aggregation;

/// <summary>
/// The aggregator role: the directory store, the crawler and what the aggregator remembers of each chaton actor
/// (how it was found, the follow, the last answer). One crawl at a time; the poller, the admin API and the command
/// line all go through here. Its collaborators (crawler, fetcher, verifier, federation reader, unsigned entries) are
/// the container's, registered once by <see cref="AggregatorServices.AddDirectoryCore"/>, and whoever needs one takes it
/// from there, not from this service.
/// </summary>
public sealed partial class DirectoryService : IDisposable
{
    private readonly SemaphoreSlim _crawling = new(1, 1);
    private readonly AggregatorTables _node;
    private readonly AggregatorActor _actor;
    private readonly AggregatorUrls _urls;
    private readonly DirectoryStore _store;
    private readonly AggregatorOptions _options;
    private readonly CrawlFetcher _fetcher;
    private readonly ChatonVerifier _verifier;
    private readonly DirectoryCrawler _crawler;
    private readonly FederationReader _federations;
    private readonly UnsignedDirectory _unsigned;
    private readonly MembershipCrawler _membership;
    private readonly AdmissionBook _admission;
    private readonly TrustRoots _roots;
    private readonly DirectoryNews _news;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public DirectoryService(
        AggregatorTables tables,
        AggregatorActor actor,
        DirectoryStore store,
        AggregatorOptions options,
        CrawlFetcher fetcher,
        ChatonVerifier verifier,
        DirectoryCrawler crawler,
        FederationReader federations,
        UnsignedDirectory unsignedEntries,
        MembershipCrawler membership,
        AdmissionBook admission,
        TrustRoots roots,
        DirectoryNews news,
        TimeProvider time,
        ILogger<DirectoryService> logger)
    {
        ArgumentNullException.ThrowIfNull(actor);
        _node = tables;
        _actor = actor;
        _urls = actor.Urls;
        _store = store;
        _options = options;
        _fetcher = fetcher;
        _verifier = verifier;
        _crawler = crawler;
        _federations = federations;
        _unsigned = unsignedEntries;
        _membership = membership;
        _admission = admission;
        _roots = roots;
        _news = news;
        _time = time;
        _logger = logger;
    }

    /// <summary>The ChatonsInfos federation files of the settings, then those added at run time.</summary>
    public IReadOnlyList<string> Federations => [.. _options.ChatonsInfos.Federations.Select(f => f.Trim()).Concat(_node.ChatonsInfosFederations.FindAll().OrderBy(s => s.Added).Select(s => s.Id)).Distinct(StringComparer.Ordinal)];

    /// <summary>The last crawl's outcome, for the status.</summary>
    public CrawlSummary? LastCrawl { get; private set; }

    public DateTimeOffset? LastCrawlAt { get; private set; }

    /// <summary>The last membership poll's outcome, for the status.</summary>
    public MembershipPoll? LastMembershipPoll { get; private set; }

    /// <summary>The seeds of the settings, then those added at run time.</summary>
    public IReadOnlyList<string> Seeds => [.. _options.Seeds.Concat(_node.Seeds.FindAll().OrderBy(s => s.Added).Select(s => s.Id)).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// Empties the directory and fills it again from the nodes alone: every seed and every actor tracked so far is
    /// fetched without validators and verified again, and discovery runs within its bounds.
    /// </summary>
    public async Task<CrawlSummary> RebuildAsync(IProgress<CrawlProgress>? progress, CancellationToken cancellationToken)
    {
        await _crawling.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The federation files first: the directory is rebuilt only once they are read.
            var named = await ReadFederationsAsync(cancellationToken).ConfigureAwait(false);

            // Into a fresh file, put in place of the store's when the crawl is over (or cut short).
            var plan = Plan(Seeds.Concat(named), everyTracked: true, conditional: false);
            _store.BeginRebuild();
            CrawlSummary summary;
            var started = _time.GetTimestamp();
            try
            {
                LogCrawlStarting(_logger, "rebuild", plan.Seeds.Count, plan.Tracked.Count);
                summary = await _crawler.CrawlAsync(plan, progress, cancellationToken).ConfigureAwait(false);
                summary = With(summary, await MembershipAsync(conditional: false, cancellationToken).ConfigureAwait(false));
            }
            finally
            {
                _store.EndRebuild();
            }

            CrawlMetrics.RecordRebuild(_time.GetElapsedTime(started));
            Record(summary);
            // Against what was announced before: the same chatons filled in again announce nothing.
            _news.Announce();

            ReturnMemory();
            return summary;
        }
        finally
        {
            _crawling.Release();
        }
    }

    /// <summary>
    /// After a rebuild or a poll, every document of the directory has gone through the heap and is garbage. Both are
    /// rare (minutes apart at the least) and off the request path: one compacting collection gives that memory back to
    /// the system now, instead of holding it until enough new allocations happen to trigger one, which an idle
    /// aggregator may not make for hours. It costs tens of milliseconds.
    /// </summary>
    private static void ReturnMemory() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    /// <summary>
    /// One poll: every seed and tracked actor is asked with conditional requests, discovery runs, then chatons not
    /// seen for <see cref="AggregatorOptions.StaleAfter"/> are flagged stale and those gone (404/410) for longer than
    /// <see cref="AggregatorOptions.RemoveAfter"/> are removed.
    /// </summary>
    public async Task<CrawlSummary> RefreshAsync(IProgress<CrawlProgress>? progress, CancellationToken cancellationToken)
    {
        await _crawling.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var named = await ReadFederationsAsync(cancellationToken).ConfigureAwait(false);
            var plan = Plan(Seeds.Concat(named), everyTracked: true, conditional: true);
            LogCrawlStarting(_logger, "poll", plan.Seeds.Count, plan.Tracked.Count);
            var summary = await _crawler.CrawlAsync(plan, progress, cancellationToken).ConfigureAwait(false);
            Record(summary);
            var removed = RemoveGone();

            // Membership last: the chatons it reads are the ones listed now, removals done.
            summary = With(summary, await MembershipAsync(conditional: true, cancellationToken).ConfigureAwait(false));
            LastCrawl = summary;
            _news.Announce(departed: removed);
            ReturnMemory();
            return summary;
        }
        finally
        {
            _crawling.Release();
        }
    }

    /// <summary>Adds <paramref name="address"/> (a handle or an actor URL) to the seeds, checks it now and follows it.</summary>
    public async Task<FollowOutcome> FollowAsync(string address, CancellationToken cancellationToken)
    {
        if (IsFederationAddress(address))
        {
            return await AddFederationAsync(address.Trim(), cancellationToken).ConfigureAwait(false);
        }

        if (!NodeOptionsValidator.IsSeed(address))
        {
            throw new NodeInputException($"'{address}' is neither an account handle (acct:NAME@HOST, @NAME@HOST) nor an http(s) actor URL");
        }

        var text = address.Trim();
        var (actorId, problem) = await DirectoryCrawler.ResolveSeedAsync(new Federation.Discovery.ActorLocator(_fetcher.Client), text, cancellationToken).ConfigureAwait(false);
        if (actorId is null)
        {
            return new FollowOutcome(text, null, false, problem, FollowState.None);
        }

        if (_node.Seeds.FindById(text) is null && !_options.Seeds.Contains(text, StringComparer.Ordinal))
        {
            _node.Seeds.Upsert(new SeedRecord { Id = text, Added = _time.GetUtcNow() });
        }

        await _crawling.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var crawled = await _crawler.CheckAsync(actorId, 0, TrackedSource.Seed, conditional: true, cancellationToken).ConfigureAwait(false);
            var records = Track([crawled]);
            if (crawled.Listed && _admission.Enabled)
            {
                await _membership.PollAsync(conditional: true, [actorId], cancellationToken).ConfigureAwait(false);
                _admission.Recompute();
            }

            _news.Announce();
            return new FollowOutcome(text, actorId, crawled.Listed, crawled.Check.Problem, records[0].Follow);
        }
        finally
        {
            _crawling.Release();
        }
    }

    /// <summary>
    /// Fills the directory from another aggregator's signed bundle: each chaton's documents are verified against its
    /// actor fetched from its own origin now, so the bundle's author need not be trusted. Nothing is removed.
    /// </summary>
    public async Task<BootstrapSummary> BootstrapAsync(ReadOnlyMemory<byte> bundle, IProgress<CrawlProgress>? progress, CancellationToken cancellationToken)
    {
        var contents = SignedBundle.Read(bundle);
        await _crawling.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var problems = new List<string>(contents.Problems);
            var crawled = new List<CrawledChaton>();
            int done = 0, failed = 0, listed = 0;
            var gate = new Lock();
            await using (var writer = new BatchWriter<ChatonVerification, ApplyResult>(v => _store.ApplyAll(v), gather: TimeSpan.FromMilliseconds(20)))
            {
                await Parallel.ForEachAsync(contents.Chatons, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Discovery.Concurrency), CancellationToken = cancellationToken }, async (entry, ct) =>
                {
                    var (item, problem) = await VerifyBundleEntryAsync(entry, writer, ct).ConfigureAwait(false);
                    lock (gate)
                    {
                        done++;
                        if (item is not null)
                        {
                            crawled.Add(item);
                        }

                        if (item?.Listed == true)
                        {
                            listed++;
                        }
                        else
                        {
                            failed++;
                        }

                        if (problem is not null)
                        {
                            problems.Add(problem);
                        }

                        progress?.Report(new CrawlProgress(contents.Chatons.Count, done, failed, listed));
                    }
                }).ConfigureAwait(false);
            }

            Track(crawled);
            if (_admission.Enabled)
            {
                // The credentials and status lists the bundle carries, never its author's statuses: admission is computed here.
                problems.AddRange(await _membership.TakeBundleAsync(contents.Credentials, contents.StatusLists, cancellationToken).ConfigureAwait(false));
                _admission.Recompute();
            }

            _news.Announce();
            return new BootstrapSummary(contents.Chatons.Count, listed, failed, problems);
        }
        finally
        {
            _crawling.Release();
        }
    }

    /// <summary>Counts for <c>chatonsfed directory status</c> and the diagnostics endpoint.</summary>
    public DirectoryStatus Status(int diagnostics = 20)
    {
        var tracked = _node.TrackedActors.FindAll().ToList();
        var listings = _store.Listings;
        return new DirectoryStatus
        {
            Listed = listings.Count,
            Stale = listings.Count(l => l.Observation.Stale),
            Tracked = tracked.Count,
            NotListed = tracked.Count(t => !t.Listed),
            Unreachable = tracked.Count(t => t.FailingSince is not null),
            Gone = tracked.Count(t => t.GoneSince is not null),
            Seeds = Seeds,
            Follows = tracked.GroupBy(t => t.Follow).OrderBy(g => g.Key).ToDictionary(g => g.Key.ToString(), g => g.Count()),
            LastCrawlAt = LastCrawlAt,
            LastCrawl = LastCrawl is { } last ? new CrawlCounts(last.Found, last.Listed, last.Failed, last.Added, last.Updated, last.Rejected, last.Unreachable, last.Elapsed.TotalSeconds) : null,
            Problems = [.. tracked.Where(t => t.Problem is not null).OrderBy(t => t.Id, StringComparer.Ordinal).Take(diagnostics)
                .Select(t => new ActorProblem(t.Id, t.Listed, t.FailingSince, t.GoneSince, t.Problem!))],
            Rejections = [.. _store.GetDiagnostics(limit: diagnostics)],
            UnsignedListed = _unsigned.Index.Count,
            Admission = AdmissionSummary(diagnostics),
            ChatonsInfos = [.. _unsigned.Reports.Select(r => r with { Organizations = [.. r.Organizations.Take(diagnostics)], Problems = [.. r.Problems.Take(diagnostics)] })],
        };
    }

    /// <summary>
    /// After an inbox brought a credential: the actors that admitted members vouch for and that are not tracked yet are
    /// checked now, as a poll would check them.
    /// </summary>
    public async Task CheckEndorsedAsync(CancellationToken cancellationToken)
    {
        if (!_admission.Enabled || Endorsed(_admission.Current) is not { Count: > 0 })
        {
            return;
        }

        // A crawl under way checks them itself at its end (or the next poll does): an inbox does not wait for it.
        if (!await _crawling.WaitAsync(TimeSpan.Zero, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            await MembershipRoundsAsync(conditional: true, first: false, cancellationToken).ConfigureAwait(false);
            _news.Announce();
        }
        finally
        {
            _crawling.Release();
        }
    }

    /// <summary>What the aggregator remembers of one actor; null when it is not tracked.</summary>
    public TrackedActorRecord? Tracked(string actorId) => _node.TrackedActors.FindById(actorId);

    /// <summary>Records that a chaton answered our <c>Follow</c>.</summary>
    public bool RecordFollowAnswer(string actorId, string? followId, bool accepted)
    {
        var record = _node.TrackedActors.FindById(actorId);
        if (record is null || (followId is not null && record.FollowActivityId is not null && followId != record.FollowActivityId))
        {
            return false;
        }

        record.Follow = accepted ? FollowState.Accepted : FollowState.Rejected;
        _node.TrackedActors.Update(record);
        return true;
    }

    public void Dispose()
    {
        _crawling.Dispose();
    }

    /// <summary>
    /// A membership poll, admission computed again, then the actors that admitted members vouch for and that are not
    /// tracked yet checked like chatons found through <c>following</c>; while that lists new chatons, their collections
    /// are read in turn (at most <see cref="AggregatorDiscoveryOptions.MaxDepth"/> rounds). Returns the actors checked.
    /// </summary>
    private Task<IReadOnlyList<CrawledChaton>> MembershipAsync(bool conditional, CancellationToken cancellationToken) =>
        _admission.Enabled ? MembershipRoundsAsync(conditional, first: true, cancellationToken) : Task.FromResult<IReadOnlyList<CrawledChaton>>([]);

    /// <summary>
    /// The rounds of <see cref="MembershipAsync"/>; with <paramref name="first"/> false (an inbox brought a credential)
    /// the poll of every collection is left out: only the actors vouched for are checked, and their collections read.
    /// </summary>
    private async Task<IReadOnlyList<CrawledChaton>> MembershipRoundsAsync(bool conditional, bool first, CancellationToken cancellationToken)
    {
        var checkedActors = new List<CrawledChaton>();
        List<string>? newlyListed = first ? null : [];
        for (var round = 0; ; round++)
        {
            if (newlyListed is null)
            {
                LastMembershipPoll = await _membership.PollAsync(conditional, null, cancellationToken).ConfigureAwait(false);
            }
            else if (newlyListed.Count > 0)
            {
                // The chatons the last round listed: their own collections, in turn.
                await _membership.PollAsync(conditional, newlyListed, cancellationToken).ConfigureAwait(false);
            }

            var endorsed = Endorsed(_admission.Recompute());
            if (round >= Math.Max(1, _options.Discovery.MaxDepth) || endorsed.Count == 0)
            {
                return checkedActors;
            }

            var plan = Plan([], everyTracked: false, conditional) with { Endorsed = endorsed };
            var summary = await _crawler.CrawlAsync(plan, null, cancellationToken).ConfigureAwait(false);
            Track(summary.Chatons);
            checkedActors.AddRange(summary.Chatons);
            newlyListed = [.. summary.Chatons.Where(c => c.Listed).Select(c => c.ActorId)];
            if (newlyListed.Count == 0)
            {
                _admission.Recompute();
                return checkedActors;
            }
        }
    }

    /// <summary>The subjects of admitted members' credentials not tracked yet, at most <see cref="AggregatorDiscoveryOptions.MaxNewPerSource"/> per issuer.</summary>
    private List<string> Endorsed(AdmissionSnapshot snapshot)
    {
        if (snapshot.Endorsed.Count == 0)
        {
            return [];
        }

        var tracked = _node.TrackedActors.FindAll().Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        return [.. snapshot.Endorsed.Where(e => !tracked.Contains(e.Subject) && NodeOptionsValidator.IsSeed(e.Subject))
            .GroupBy(e => e.Issuer, StringComparer.Ordinal)
            .SelectMany(g => g.Take(_options.Discovery.MaxNewPerSource))
            .Select(e => e.Subject)
            .Distinct(StringComparer.Ordinal)];
    }

    private static CrawlSummary With(CrawlSummary summary, IReadOnlyList<CrawledChaton> more) =>
        more.Count == 0 ? summary : summary with { Chatons = [.. summary.Chatons, .. more.Where(m => summary.Chatons.All(c => c.ActorId != m.ActorId))] };

    private AdmissionSummary? AdmissionSummary(int limit)
    {
        if (!_admission.Enabled)
        {
            return null;
        }

        var snapshot = _admission.Current;
        return new AdmissionSummary(
            _roots.Configured,
            snapshot.Roots,
            snapshot.Quorum,
            snapshot.Count(AdmissionStatus.Admitted),
            snapshot.Count(AdmissionStatus.Candidate),
            snapshot.Count(AdmissionStatus.Lapsed),
            snapshot.Count(AdmissionStatus.Revoked),
            snapshot.Credentials,
            snapshot.StatusLists,
            snapshot.ComputedAt,
            [.. _roots.Problems.Concat(LastMembershipPoll?.Problems ?? []).Take(limit)]);
    }

    /// <summary>Flags chatons not seen for a while as stale, and removes those whose actor has been gone for longer than the grace period.</summary>
    public int ApplyFreshnessRules() => RemoveGone().Count;

    /// <summary>The freshness rules (<see cref="ApplyFreshnessRules"/>); returns the chatons removed as gone.</summary>
    private List<string> RemoveGone()
    {
        _store.MarkStaleNotSeenFor(_options.StaleAfter);
        var now = _time.GetUtcNow();
        var removed = new List<string>();
        foreach (var gone in _node.TrackedActors.Find(t => t.GoneSince != null).ToList())
        {
            if (now - gone.GoneSince!.Value >= _options.RemoveAfter && _store.Find(gone.Id) is not null)
            {
                _store.Remove(gone.Id);
                gone.Listed = false;
                _node.TrackedActors.Update(gone);
                removed.Add(gone.Id);
                LogRemoved(_logger, gone.Id, gone.GoneSince.Value);
            }
        }

        // Actors that discovery or a bundle brought and that are not listed (never verified, or removed above), silent or
        // gone for ForgetAfter, stop being polled for ever. A chaton listed but unreachable stays, flagged stale.
        foreach (var silent in _node.TrackedActors.Find(t => t.Source != TrackedSource.Seed && (t.GoneSince != null || t.FailingSince != null)))
        {
            var since = silent.GoneSince ?? silent.FailingSince!.Value;
            if (now - since >= _options.ForgetAfter && _store.Find(silent.Id) is null)
            {
                _node.TrackedActors.Delete(silent.Id);
                LogForgotten(_logger, silent.Id, since);
            }
        }

        return removed;
    }

    private async Task<(CrawledChaton? Item, string? Problem)> VerifyBundleEntryAsync(BundleChaton entry, BatchWriter<ChatonVerification, ApplyResult> writer, CancellationToken cancellationToken)
    {
        if (entry.ActorId is null || !Uri.TryCreate(entry.ActorId, UriKind.Absolute, out var actorUrl))
        {
            return (null, $"a bundle entry names no actor URL ({entry.ActorId ?? "no id"})");
        }

        var keyFetch = await _fetcher.GetAsync(actorUrl, null, cancellationToken).ConfigureAwait(false);
        if (!keyFetch.IsOk)
        {
            var status = keyFetch.StatusCode is 404 or 410 ? CheckStatus.Gone : CheckStatus.Failed;
            return (new CrawledChaton(entry.ActorId, 0, TrackedSource.Bundle, new ChatonCheck(entry.ActorId, status) { Problem = keyFetch.Reason }, null),
                $"{entry.ActorId}: its actor could not be fetched from its origin: {keyFetch.Reason}");
        }

        var set = entry.Documents with { ExpectedActorId = entry.ActorId };
        var verification = _verifier.Verify(set, CrawlFetcher.Received(keyFetch));
        _store.Prepare(verification);
        var applied = await writer.WriteAsync(verification).ConfigureAwait(false);
        var check = new ChatonCheck(entry.ActorId, CheckStatus.Checked)
        {
            Verification = verification,
            Problem = verification.IsListable ? null : ChatonChecker.Describe(verification),
            Inbox = ChatonChecker.Link(System.Text.Json.JsonElement.Parse(keyFetch.Body.Span), "inbox"),
        };
        var crawled = new CrawledChaton(entry.ActorId, 0, TrackedSource.Bundle, check, applied);
        return (crawled, crawled.Listed ? null : $"{entry.ActorId}: {check.Problem ?? applied.Outcome.ToString()}");
    }

    /// <summary>
    /// Matches the unsigned entries against the verified chatons again, so that none stays listed once a verified chaton
    /// has its website; after each crawl, follow and bootstrap, and when the inbox adds or changes an actor.
    /// </summary>
    public void ReconcileUnsigned()
    {
        if (_unsigned.HasReads)
        {
            _unsigned.Reconcile(_store.Listings);
        }
    }

    /// <summary>Whether <paramref name="address"/> is the http(s) URL of a <c>.properties</c> file (a ChatonsInfos federation file).</summary>
    public static bool IsFederationAddress(string? address) =>
        Uri.TryCreate(address?.Trim(), UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
        && url.AbsolutePath.EndsWith(".properties", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Adds a ChatonsInfos federation file to the sources: reads it now, checks the actors its organizations name, and
    /// lists the others apart, unsigned. A file that cannot be read at all is not added.
    /// </summary>
    private async Task<FollowOutcome> AddFederationAsync(string address, CancellationToken cancellationToken)
    {
        await _crawling.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var read = await _federations.ReadAsync(address, _options.ChatonsInfos.MaxReadTime, cancellationToken).ConfigureAwait(false);
            if (read.Name is null)
            {
                return new FollowOutcome(address, null, false, read.Problems.Count > 0 ? read.Problems[0] : $"{address}: not read", FollowState.None);
            }

            if (_node.ChatonsInfosFederations.FindById(address) is null && !_options.ChatonsInfos.Federations.Contains(address, StringComparer.Ordinal))
            {
                _node.ChatonsInfosFederations.Upsert(new SeedRecord { Id = address, Added = _time.GetUtcNow() });
            }

            _unsigned.Put(read);
            var named = read.Organizations.Select(o => o.Actor).Where(NodeOptionsValidator.IsSeed).Distinct(StringComparer.Ordinal).ToList();
            var summary = await _crawler.CrawlAsync(Plan(named!, everyTracked: false, conditional: true), null, cancellationToken).ConfigureAwait(false);
            Track(summary.Chatons);
            _news.Announce();
            return new FollowOutcome(address, null, summary.Listed > 0, null, FollowState.None)
            {
                Federation = _unsigned.Reports.FirstOrDefault(r => r.Source == address),
            };
        }
        finally
        {
            _crawling.Release();
        }
    }

    /// <summary>
    /// A crawl of <paramref name="seeds"/>, and of every actor tracked when <paramref name="everyTracked"/>; discovery
    /// may add what the tracking cap leaves room for.
    /// </summary>
    private CrawlPlan Plan(IEnumerable<string> seeds, bool everyTracked, bool conditional)
    {
        var tracked = _node.TrackedActors.FindAll();
        return new CrawlPlan
        {
            Seeds = [.. seeds.Distinct(StringComparer.Ordinal)],
            Tracked = everyTracked ? tracked : [],
            Known = everyTracked ? null : tracked.Select(t => t.Id).ToHashSet(StringComparer.Ordinal),
            Conditional = conditional,
            Room = TrackingCap.Room(_options.Discovery.MaxChatons, tracked, _store),
        };
    }

    /// <summary>Stops tracking junk (see <see cref="TrackingCap"/>) until the actors tracked are within the cap again.</summary>
    private void KeepWithinCap()
    {
        var cap = _options.Discovery.MaxChatons;
        if (_node.TrackedActors.Count() <= cap)
        {
            return;
        }

        var evicted = TrackingCap.Evictable(cap, _node.TrackedActors.FindAll(), _store);
        _node.Store.InTransaction(() =>
        {
            foreach (var record in evicted)
            {
                _node.TrackedActors.Delete(record.Id);
            }
        });
        if (evicted.Count > 0)
        {
            LogEvicted(_logger, evicted.Count, cap);
        }
    }

    /// <summary>Reads every federation file; returns the actors their organizations name, seeds of the crawl to come.</summary>
    private async Task<IReadOnlyList<string>> ReadFederationsAsync(CancellationToken cancellationToken)
    {
        var reads = new List<FederationRead>();
        foreach (var source in Federations)
        {
            reads.Add(await _federations.ReadAsync(source, _options.ChatonsInfos.MaxReadTime, cancellationToken).ConfigureAwait(false));
        }

        _unsigned.Replace(reads);
        return _unsigned.NamedActors();
    }

    private void Record(CrawlSummary summary)
    {
        Track(summary.Chatons);
        LastCrawl = summary;
        LastCrawlAt = _time.GetUtcNow();
        foreach (var chaton in summary.Chatons)
        {
            if (chaton.Listed)
            {
                CrawlMetrics.RecordVerified();
            }
            else
            {
                var reason = CrawlMetrics.RefusalReason(chaton);
                CrawlMetrics.RecordRefused(reason);
                LogRefused(_logger, chaton.ActorId, reason, chaton.Check.Problem ?? "not listed");
            }
        }

        if (_logger.IsEnabled(LogLevel.Information))
        {
            LogCrawled(_logger, summary.Found, summary.Listed, summary.Failed, summary.Added, summary.Updated, summary.Elapsed);
            if (summary.SourcesOverBudget.Count > 0)
            {
                var first = string.Join(", ", summary.SourcesOverBudget.Take(5));
                LogOverBudget(_logger, summary.SourcesOverBudget.Count, _options.Discovery.MaxNewPerSource, first);
            }

            if (summary.RoomExhausted)
            {
                LogNoRoom(_logger, _options.Discovery.MaxChatons);
            }
        }
    }

    /// <summary>Writes what the checks found into the tracked actors, queues a <c>Follow</c> for each chaton newly listed, and reconciles the unsigned entries.</summary>
    private List<TrackedActorRecord> Track(IReadOnlyList<CrawledChaton> crawled)
    {
        var now = _time.GetUtcNow();
        var records = new List<TrackedActorRecord>(crawled.Count);
        var jobs = new List<DeliveryJob>();
        _node.Store.InTransaction(() =>
        {
            foreach (var item in crawled)
            {
                var record = _node.TrackedActors.FindById(item.ActorId) ?? new TrackedActorRecord { Id = item.ActorId, Source = item.Source, Depth = item.Depth, FirstSeen = now };
                if (item.Source == TrackedSource.Seed)
                {
                    record.Source = TrackedSource.Seed;
                }

                record.Depth = Math.Min(record.Depth, item.Depth);
                record.LastAttempt = now;
                switch (item.Check.Status)
                {
                    case CheckStatus.Gone:
                        record.GoneSince ??= now;
                        record.FailingSince = null;
                        record.Problem = item.Check.Problem;
                        break;
                    case CheckStatus.Failed:
                        record.FailingSince ??= now;
                        record.Problem = item.Check.Problem;
                        break;
                    default:
                        record.LastAnswer = now;
                        record.FailingSince = null;
                        record.GoneSince = null;
                        record.Listed = item.Listed;
                        record.Problem = item.Listed ? null : item.Check.Problem ?? (item.Applied?.Refusals is { Count: > 0 } refusals ? refusals[0].ToString() : null);
                        break;
                }

                if (_options.FollowChatons && record.Listed && record.Follow == FollowState.None && item.Check.Inbox is { } inbox)
                {
                    var follow = BuildFollow(item.ActorId, now);
                    var id = follow["id"]!.GetValue<string>();
                    jobs.AddRange(DeliveryQueue.CreateJobs(id, Encoding.UTF8.GetBytes(follow.ToJsonString()), _urls.RsaKeyId, [new DeliveryRecipient(inbox)], now));
                    record.Follow = FollowState.Requested;
                    record.FollowActivityId = id;
                    record.FollowSent = now;
                }

                _node.TrackedActors.Upsert(record);
                records.Add(record);
            }

            if (jobs.Count > 0)
            {
                _node.Store.DeliveryJobs.InsertBulk(jobs);
            }
        });
        KeepWithinCap();
        // What is listed changed: unsigned entries that a verified chaton now covers give way to it.
        ReconcileUnsigned();
        return records;
    }

    // Event ids 4xxx: aggregator crawl.
    [LoggerMessage(EventId = 4001, EventName = "CrawlStarting", Level = LogLevel.Information, Message = "Crawl ({Kind}) starting: {Seeds} seeds, {Tracked} tracked actors")]
    private static partial void LogCrawlStarting(ILogger logger, string kind, int seeds, int tracked);

    [LoggerMessage(EventId = 4003, EventName = "DocumentRefused", Level = LogLevel.Information, Message = "Refused {Actor} ({ReasonTag}): {Reason}")]
    private static partial void LogRefused(ILogger logger, string actor, string reasonTag, string reason);

    [LoggerMessage(EventId = 4004, EventName = "ChatonRemoved", Level = LogLevel.Information, Message = "Removed {Actor} from the directory: gone since {Since}")]
    private static partial void LogRemoved(ILogger logger, string actor, DateTimeOffset since);

    [LoggerMessage(EventId = 4005, EventName = "ChatonForgotten", Level = LogLevel.Information, Message = "No longer tracking {Actor}: silent or gone since {Since}")]
    private static partial void LogForgotten(ILogger logger, string actor, DateTimeOffset since);

    [LoggerMessage(EventId = 4006, EventName = "DiscoveryOverBudget", Level = LogLevel.Information, Message = "{Sources} chaton(s) named more than {Budget} new actors (Discovery:MaxNewPerSource); the others wait for the next crawls: {FirstSources}")]
    private static partial void LogOverBudget(ILogger logger, int sources, int budget, string firstSources);

    [LoggerMessage(EventId = 4008, EventName = "DiscoveryNoRoom", Level = LogLevel.Information, Message = "Discovery found more new actors than Discovery:MaxChatons ({Cap}) leaves room for, besides the seeds and the chatons listed; the others wait")]
    private static partial void LogNoRoom(ILogger logger, int cap);

    [LoggerMessage(EventId = 4007, EventName = "TrackingEvicted", Level = LogLevel.Information, Message = "No longer tracking {Count} actor(s) not listed (unreachable, gone, not a chaton or refused) to stay within Discovery:MaxChatons ({Cap})")]
    private static partial void LogEvicted(ILogger logger, int count, int cap);

    [LoggerMessage(EventId = 4002, EventName = "CrawlEnded", Level = LogLevel.Information, Message = "Crawl: {Found} found, {Listed} listed, {Failed} not listed, {Added} added, {Updated} updated, in {Elapsed}")]
    private static partial void LogCrawled(ILogger logger, int found, int listed, int failed, int added, int updated, TimeSpan elapsed);

    private JsonObject BuildFollow(string actorId, DateTimeOffset now)
    {
        var follow = new JsonObject
        {
            ["@context"] = ChatonsContext.ToJsonNode(),
            ["id"] = _urls.FollowActivity(Guid.NewGuid()),
            ["type"] = "Follow",
            ["actor"] = _urls.Actor,
            ["object"] = actorId,
            ["to"] = new JsonArray(actorId),
            ["published"] = Protocol.Proofs.ProofSigner.FormatCreated(now),
        };
        return _actor.Signer().Sign(follow, now);
    }
}

/// <summary>The outcome of <c>chatonsfed directory follow</c>.</summary>
public sealed record FollowOutcome(string Address, string? ActorId, bool Listed, string? Problem, FollowState Follow)
{
    /// <summary>When the address was a ChatonsInfos federation file: what became of its organizations.</summary>
    public FederationReport? Federation { get; init; }
}

/// <summary>The outcome of a bootstrap from a bundle.</summary>
public sealed record BootstrapSummary(int Found, int Listed, int Failed, IReadOnlyList<string> Problems);

/// <summary>Counts of one crawl.</summary>
public sealed record CrawlCounts(int Found, int Listed, int Failed, int Added, int Updated, int Rejected, int Unreachable, double Seconds);

/// <summary>An actor the aggregator could not list, or that its node does not serve now.</summary>
public sealed record ActorProblem(string ActorId, bool Listed, DateTimeOffset? FailingSince, DateTimeOffset? GoneSince, string Problem);

/// <summary>The state of the directory: what is listed, what is stale, what failed or was refused, and why.</summary>
public sealed record DirectoryStatus
{
    public int Listed { get; init; }

    public int Stale { get; init; }

    public int Tracked { get; init; }

    public int NotListed { get; init; }

    public int Unreachable { get; init; }

    public int Gone { get; init; }

    public IReadOnlyList<string> Seeds { get; init; } = [];

    public IReadOnlyDictionary<string, int> Follows { get; init; } = new Dictionary<string, int>();

    public DateTimeOffset? LastCrawlAt { get; init; }

    public CrawlCounts? LastCrawl { get; init; }

    public IReadOnlyList<ActorProblem> Problems { get; init; } = [];

    public IReadOnlyList<DirectoryDiagnostic> Rejections { get; init; } = [];

    /// <summary>Entries listed apart, unsigned, from ChatonsInfos federation files.</summary>
    public int UnsignedListed { get; init; }

    /// <summary>Each ChatonsInfos federation file: its organizations (at most the diagnostics limit) and what became of each, its problems.</summary>
    public IReadOnlyList<FederationReport> ChatonsInfos { get; init; } = [];

    /// <summary>Membership as this aggregator computes it; null without a trust root.</summary>
    public AdmissionSummary? Admission { get; init; }
}

/// <summary>
/// Membership at a glance: the trust roots as set and as resolved, the quorum, how many listed chatons have each status,
/// the credentials and status lists held, when it was computed, and what could not be read or resolved.
/// </summary>
public sealed record AdmissionSummary(
    IReadOnlyList<string> TrustRoots,
    IReadOnlyList<string> Roots,
    int Quorum,
    int Admitted,
    int Candidates,
    int Lapsed,
    int Revoked,
    int Credentials,
    int StatusLists,
    DateTimeOffset ComputedAt,
    IReadOnlyList<string> Problems);

/// <summary>The last line of a rebuild, refresh or bootstrap, as the admin API streams it and the command line prints it.</summary>
public sealed record CrawlReport
{
    public bool Done { get; init; } = true;

    public int Found { get; init; }

    public int Listed { get; init; }

    public int Failed { get; init; }

    public int Rejected { get; init; }

    public int Unreachable { get; init; }

    public double Seconds { get; init; }

    /// <summary>Chatons whose <c>following</c> named more new actors than <c>Discovery:MaxNewPerSource</c>.</summary>
    public int SourcesOverBudget { get; init; }

    /// <summary>Whether discovery found more new actors than <c>Discovery:MaxChatons</c> left room for.</summary>
    public bool RoomExhausted { get; init; }

    public IReadOnlyList<string> Problems { get; init; } = [];

    public string? Error { get; init; }

    public static CrawlReport From(CrawlSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new CrawlReport
        {
            Found = summary.Found,
            Listed = summary.Listed,
            Failed = summary.Failed,
            Rejected = summary.Rejected,
            Unreachable = summary.Unreachable,
            Seconds = summary.Elapsed.TotalSeconds,
            SourcesOverBudget = summary.SourcesOverBudget.Count,
            RoomExhausted = summary.RoomExhausted,
            Problems = [.. summary.SeedProblems, .. summary.Chatons.Where(c => !c.Listed).Select(c => $"{c.ActorId}: {c.Check.Problem ?? c.Applied?.Outcome.ToString() ?? c.Check.Status.ToString()}")],
        };
    }

    public static CrawlReport From(BootstrapSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new CrawlReport { Found = summary.Found, Listed = summary.Listed, Failed = summary.Failed, Problems = summary.Problems };
    }
}
