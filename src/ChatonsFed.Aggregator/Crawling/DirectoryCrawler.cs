using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using ChatonsFed.Aggregator.Storage;
using ChatonsFed.Aggregator.Tracking;
using ChatonsFed.Aggregator.Verification;
using ChatonsFed.Federation.Discovery;
using ChatonsFed.Hosting.Configuration;

namespace ChatonsFed.Aggregator.Crawling;

/// <summary>What a crawl starts from and how far it goes.</summary>
public sealed record CrawlPlan
{
    /// <summary>Seeds as written: acct: handles or actor URLs, resolved through WebFinger when they are handles.</summary>
    public IReadOnlyList<string> Seeds { get; init; } = [];

    /// <summary>Actors already tracked, checked again at the depth they were found at.</summary>
    public IReadOnlyList<TrackedActorRecord> Tracked { get; init; } = [];

    /// <summary>
    /// Actors that trust roots and admitted members vouch for (the subjects of their membership credentials), checked
    /// like actors a <c>following</c> collection names: within the room left.
    /// </summary>
    public IReadOnlyList<string> Endorsed { get; init; } = [];

    /// <summary>Follows the <c>following</c> collections of verified chatons, within the discovery bounds.</summary>
    public bool Discover { get; init; } = true;

    /// <summary>Sends the validators of the copies held (a poll); a rebuild asks for everything.</summary>
    public bool Conditional { get; init; } = true;

    /// <summary>
    /// The actors tracked already, when <see cref="Tracked"/> does not hold them all (a crawl of a few seeds): what
    /// discovery finds there is checked, not counted as new.
    /// </summary>
    public IReadOnlySet<string>? Known { get; init; }

    /// <summary>
    /// How many actors neither tracked nor seeds discovery may add in this crawl, in all: the tracking cap less the
    /// actors always kept (see <see cref="TrackingCap"/>); each seed not tracked yet takes one more. Each
    /// source adds at most <see cref="AggregatorDiscoveryOptions.MaxNewPerSource"/> of them.
    /// </summary>
    public int Room { get; init; }
}

/// <summary>Counts while a crawl runs: actors found so far, checked, failed (not listed, for any reason), listed.</summary>
public sealed record CrawlProgress(int Found, int Done, int Failed, int Listed);

/// <summary>One actor the crawl checked, where it was found, and what the directory made of it.</summary>
public sealed record CrawledChaton(string ActorId, int Depth, TrackedSource Source, ChatonCheck Check, ApplyResult? Applied)
{
    public bool Listed => Check.Status == CheckStatus.NotModified || Applied?.Outcome is ApplyOutcome.Added or ApplyOutcome.Updated or ApplyOutcome.Unchanged;
}

/// <summary>The outcome of a crawl.</summary>
public sealed record CrawlSummary(IReadOnlyList<CrawledChaton> Chatons, IReadOnlyList<string> SeedProblems, TimeSpan Elapsed)
{
    /// <summary>
    /// The chatons whose <c>following</c> named more new actors than <see cref="AggregatorDiscoveryOptions.MaxNewPerSource"/>:
    /// the others are left for the next crawls.
    /// </summary>
    public IReadOnlyList<string> SourcesOverBudget { get; init; } = [];

    /// <summary>Whether discovery found more new actors than the tracking cap left room for.</summary>
    public bool RoomExhausted { get; init; }

    public int Found => Chatons.Count;

    public int Listed => Chatons.Count(c => c.Listed);

    public int Failed => Chatons.Count - Listed;

    public int Added => Chatons.Count(c => c.Applied?.Outcome == ApplyOutcome.Added);

    public int Updated => Chatons.Count(c => c.Applied?.Outcome == ApplyOutcome.Updated);

    public int Unchanged => Chatons.Count(c => c.Check.Status == CheckStatus.NotModified || c.Applied?.Outcome == ApplyOutcome.Unchanged);

    public int Rejected => Chatons.Count(c => c.Check.Status == CheckStatus.Checked && !c.Listed);

    public int Unreachable => Chatons.Count(c => c.Check.Status is CheckStatus.Failed or CheckStatus.Gone);
}

/// <summary>
/// Walks the network from the seeds: checks each chaton (fetch, verify, apply), then reads the <c>following</c>
/// collection of each verified one to find more, breadth first, within <see cref="AggregatorDiscoveryOptions"/>.
/// Requests are bounded in all and per origin by the <see cref="CrawlFetcher"/>; writes go to the store in batches.
/// </summary>
public sealed class DirectoryCrawler(ChatonChecker checker, CrawlFetcher fetcher, DirectoryStore store, AggregatorOptions options, TimeProvider time)
{
    private static readonly JsonDocumentOptions ReadOptions = new() { MaxDepth = 64 };

    public async Task<CrawlSummary> CrawlAsync(CrawlPlan plan, IProgress<CrawlProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var started = time.GetTimestamp();
        var discovery = options.Discovery;
        var known = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var tracked = plan.Known ?? plan.Tracked.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var results = new ConcurrentBag<Task<CrawledChaton>>();
        var seedProblems = new ConcurrentBag<string>();
        var overBudget = new ConcurrentBag<string>();
        var seeds = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var queue = Channel.CreateUnbounded<(string ActorId, int Depth, TrackedSource Source)>();
        var pending = 1; // the seeding below holds one, so that the queue does not end before it is filled
        int done = 0, failed = 0, listed = 0, exhausted = 0;
        var room = plan.Room;

        // Seeds and tracked actors are always checked; a seed not tracked yet takes room from discovery.
        void Enqueue(string actorId, int depth, TrackedSource source)
        {
            if (known.TryAdd(actorId, 0))
            {
                if (source == TrackedSource.Seed && !tracked.Contains(actorId))
                {
                    Interlocked.Decrement(ref room);
                }

                Interlocked.Increment(ref pending);
                queue.Writer.TryWrite((actorId, depth, source));
            }
        }

        // An actor a chaton follows: checked when tracked already; a new one within the source's budget and the room left.
        bool Discover(string actorId, int depth, ref int budget)
        {
            if (known.ContainsKey(actorId))
            {
                return true;
            }

            if (tracked.Contains(actorId))
            {
                Enqueue(actorId, depth, TrackedSource.Discovered);
                return true;
            }

            if (budget == 0)
            {
                return false;
            }

            if (Interlocked.Decrement(ref room) < 0)
            {
                Interlocked.Increment(ref room);
                Volatile.Write(ref exhausted, 1);
                return false;
            }

            if (!known.TryAdd(actorId, 0))
            {
                Interlocked.Increment(ref room);
                return true;
            }

            budget--;
            Interlocked.Increment(ref pending);
            queue.Writer.TryWrite((actorId, depth, TrackedSource.Discovered));
            return true;
        }

        void Finish()
        {
            if (Interlocked.Decrement(ref pending) == 0)
            {
                queue.Writer.TryComplete();
            }
        }

        // Chatons that answered 304 throughout: marked seen together once the crawl is over, in one transaction.
        var unchanged = new ConcurrentQueue<string>();
        await using var writer = CreateWriter(TimeSpan.FromMilliseconds(20));
        var workers = Task.Run(() => Parallel.ForEachAsync(
            queue.Reader.ReadAllAsync(cancellationToken),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, discovery.Concurrency), CancellationToken = cancellationToken },
            async (item, ct) =>
            {
                try
                {
                    var (check, applying) = await CheckOneAsync(item.ActorId, plan.Conditional, writer, unchanged, ct).ConfigureAwait(false);
                    results.Add(Complete(item.ActorId, item.Depth, item.Source, check, applying));
                    if (check.IsListable)
                    {
                        Interlocked.Increment(ref listed);
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                    }

                    if (plan.Discover && check.IsListable && item.Depth < discovery.MaxDepth && check.Following is { } following)
                    {
                        var budget = discovery.MaxNewPerSource;
                        var depth = item.Depth + 1;
                        var complete = await ReadFollowingAsync(following, discovery.MaxFollowingPages, followed => Discover(followed, depth, ref budget), ct).ConfigureAwait(false);
                        if (!complete && budget == 0)
                        {
                            overBudget.Add(item.ActorId);
                        }
                    }

                    progress?.Report(new CrawlProgress(known.Count, Interlocked.Increment(ref done), Volatile.Read(ref failed), Volatile.Read(ref listed)));
                }
                finally
                {
                    Finish();
                }
            }), cancellationToken);

        try
        {
            foreach (var record in plan.Tracked.OrderBy(t => t.Depth))
            {
                Enqueue(record.Id, record.Depth, record.Source);
            }

            var locator = new ActorLocator(fetcher.Client);
            await Parallel.ForEachAsync(plan.Seeds, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (seed, ct) =>
            {
                var actorId = await ResolveSeedAsync(locator, seed, ct).ConfigureAwait(false);
                if (actorId.Problem is { } problem)
                {
                    seedProblems.Add(problem);
                }
                else
                {
                    seeds.TryAdd(actorId.Id!, 0);
                    Enqueue(actorId.Id!, 0, TrackedSource.Seed);
                }
            }).ConfigureAwait(false);

            // Each issuer's share was bounded by the caller; what the tracking cap leaves room for is checked.
            var unbounded = int.MaxValue;
            foreach (var endorsed in plan.Endorsed)
            {
                Discover(endorsed, 1, ref unbounded);
            }
        }
        finally
        {
            Finish();
        }

        await workers.ConfigureAwait(false);
        if (!unchanged.IsEmpty)
        {
            store.MarkSeenAll([.. unchanged]);
        }

        // A seed that discovery reached before it was resolved is still a seed.
        var crawled = (await Task.WhenAll(results).ConfigureAwait(false))
            .Select(c => c.Source != TrackedSource.Seed && seeds.ContainsKey(c.ActorId) ? c with { Depth = 0, Source = TrackedSource.Seed } : c);
        return new CrawlSummary([.. crawled.OrderBy(r => r.ActorId, StringComparer.Ordinal)], [.. seedProblems.Order(StringComparer.Ordinal)], time.GetElapsedTime(started))
        {
            RoomExhausted = exhausted != 0,
            SourcesOverBudget = [.. overBudget.Order(StringComparer.Ordinal)],
        };
    }

    /// <summary>Checks one chaton and applies what verified; for the inbox and the follow command as much as for crawls.</summary>
    public async Task<CrawledChaton> CheckAsync(string actorId, int depth, TrackedSource source, bool conditional, CancellationToken cancellationToken)
    {
        await using var writer = CreateWriter(TimeSpan.Zero);
        var (check, applying) = await CheckOneAsync(actorId, conditional, writer, null, cancellationToken).ConfigureAwait(false);
        return await Complete(actorId, depth, source, check, applying).ConfigureAwait(false);
    }

    private static async Task<CrawledChaton> Complete(string actorId, int depth, TrackedSource source, ChatonCheck check, Task<ApplyResult?> applying) =>
        new(actorId, depth, source, check, await applying.ConfigureAwait(false));

    /// <summary>Verified sets and 304 sightings, written to the store in batches: a commit per batch, not per chaton.</summary>
    private BatchWriter<(ChatonVerification? Verification, string? Seen), ApplyResult?> CreateWriter(TimeSpan gather) => new(items =>
    {
        var verifications = items.Where(i => i.Verification is not null).Select(i => i.Verification!).ToList();
        var applied = store.ApplyAll(verifications, [.. items.Where(i => i.Seen is not null).Select(i => i.Seen!)]);
        var next = 0;
        return [.. items.Select(i => i.Verification is null ? null : applied[next++])];
    }, gather: gather);

    /// <summary>The actor id behind a seed: the URL itself, or the actor its handle resolves to through WebFinger.</summary>
    public static async Task<(string? Id, string? Problem)> ResolveSeedAsync(ActorLocator locator, string seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(locator);
        var text = seed?.Trim() ?? string.Empty;
        if (text.Contains("://", StringComparison.Ordinal))
        {
            return Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
                ? (url.AbsoluteUri, null)
                : (null, $"seed '{text}': not an http(s) URL");
        }

        var found = await locator.LocateAsync(text, cancellationToken).ConfigureAwait(false);
        return found.IsFound ? (found.ActorId!.AbsoluteUri, null) : (null, $"seed '{text}': {found.Error}: {found.Reason}");
    }

    /// <param name="unchanged">Where a chaton that answered 304 throughout goes, to be marked seen later; when null, through <paramref name="writer"/> now.</param>
    private async Task<(ChatonCheck Check, Task<ApplyResult?> Applying)> CheckOneAsync(string actorId, bool conditional, BatchWriter<(ChatonVerification? Verification, string? Seen), ApplyResult?> writer, ConcurrentQueue<string>? unchanged, CancellationToken cancellationToken)
    {
        ChatonCheck check;
        try
        {
            check = await checker.CheckAsync(actorId, conditional, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            check = new ChatonCheck(actorId, CheckStatus.Failed) { Problem = e.Message };
        }

        if (check.Verification is { } verification)
        {
            // Compression and the listing, on this worker rather than under the store's lock.
            store.Prepare(verification);
        }

        var applying = check.Status switch
        {
            CheckStatus.Checked => writer.WriteAsync((check.Verification!, null)),
            CheckStatus.NotModified when unchanged is not null => Unchanged(unchanged, actorId),
            CheckStatus.NotModified => writer.WriteAsync((null, actorId)),
            _ => Task.FromResult<ApplyResult?>(null),
        };
        return (check, applying);
    }

    private static Task<ApplyResult?> Unchanged(ConcurrentQueue<string> unchanged, string actorId)
    {
        unchanged.Enqueue(actorId);
        return Task.FromResult<ApplyResult?>(null);
    }

    /// <summary>
    /// Gives <paramref name="take"/> each actor id a <c>following</c> collection lists, reading at most
    /// <paramref name="maxPages"/> pages; stops at the first one it does not take (no page more is fetched then).
    /// </summary>
    /// <returns>Whether <paramref name="take"/> took every actor id read.</returns>
    private async Task<bool> ReadFollowingAsync(Uri collectionUrl, int maxPages, Func<string, bool> take, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        Uri? next = collectionUrl;
        var visited = new HashSet<string>(StringComparer.Ordinal);
        for (var page = 0; next is not null && page <= maxPages && visited.Add(next.AbsoluteUri); page++)
        {
            foreach (var actorId in found)
            {
                if (!take(actorId))
                {
                    return false;
                }
            }

            found.Clear();
            var fetch = await fetcher.GetAsync(next, null, cancellationToken).ConfigureAwait(false);
            if (!fetch.IsOk)
            {
                break;
            }

            next = null;
            try
            {
                using var document = JsonDocument.Parse(fetch.Body, ReadOptions);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    break;
                }

                var items = ReadItems(root, found);
                if (!items && root.TryGetProperty("first", out var first))
                {
                    // The first page may be embedded (Mastodon, Fedify) or linked.
                    if (first.ValueKind == JsonValueKind.Object && ReadItems(first, found))
                    {
                        next = ChatonChecker.Link(first, "next");
                    }
                    else
                    {
                        next = ChatonChecker.AsUrl(first);
                    }
                }
                else
                {
                    next = ChatonChecker.Link(root, "next");
                }
            }
            catch (JsonException)
            {
                break;
            }
        }

        return found.All(take);
    }

    private static bool ReadItems(JsonElement page, List<string> found)
    {
        if (!(page.TryGetProperty("orderedItems", out var items) || page.TryGetProperty("items", out items)) || items.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var item in items.EnumerateArray())
        {
            if (ChatonChecker.AsUrl(item) is { } url)
            {
                found.Add(url.AbsoluteUri);
            }
        }

        return true;
    }
}
