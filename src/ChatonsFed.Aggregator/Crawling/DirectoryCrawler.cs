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

    /// <summary>Follows the <c>following</c> collections of verified chatons, within the discovery bounds.</summary>
    public bool Discover { get; init; } = true;

    /// <summary>Sends the validators of the copies held (a poll); a rebuild asks for everything.</summary>
    public bool Conditional { get; init; } = true;
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
        var results = new ConcurrentBag<Task<CrawledChaton>>();
        var seedProblems = new ConcurrentBag<string>();
        var queue = Channel.CreateUnbounded<(string ActorId, int Depth, TrackedSource Source)>();
        var pending = 1; // the seeding below holds one, so that the queue does not end before it is filled
        int done = 0, failed = 0, listed = 0;

        void Enqueue(string actorId, int depth, TrackedSource source)
        {
            if (known.Count < discovery.MaxChatons && known.TryAdd(actorId, 0))
            {
                Interlocked.Increment(ref pending);
                queue.Writer.TryWrite((actorId, depth, source));
            }
        }

        void Finish()
        {
            if (Interlocked.Decrement(ref pending) == 0)
            {
                queue.Writer.TryComplete();
            }
        }

        await using var writer = CreateWriter(TimeSpan.FromMilliseconds(20));
        var workers = Task.Run(() => Parallel.ForEachAsync(
            queue.Reader.ReadAllAsync(cancellationToken),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, discovery.Concurrency), CancellationToken = cancellationToken },
            async (item, ct) =>
            {
                try
                {
                    var (check, applying) = await CheckOneAsync(item.ActorId, plan.Conditional, writer, ct).ConfigureAwait(false);
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
                        foreach (var followed in await ReadFollowingAsync(following, discovery.MaxFollowingPages, ct).ConfigureAwait(false))
                        {
                            Enqueue(followed, item.Depth + 1, TrackedSource.Discovered);
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
            foreach (var tracked in plan.Tracked.OrderBy(t => t.Depth))
            {
                Enqueue(tracked.Id, tracked.Depth, tracked.Source);
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
                    Enqueue(actorId.Id!, 0, TrackedSource.Seed);
                }
            }).ConfigureAwait(false);
        }
        finally
        {
            Finish();
        }

        await workers.ConfigureAwait(false);
        var crawled = await Task.WhenAll(results).ConfigureAwait(false);
        return new CrawlSummary([.. crawled.OrderBy(r => r.ActorId, StringComparer.Ordinal)], [.. seedProblems.Order(StringComparer.Ordinal)], time.GetElapsedTime(started));
    }

    /// <summary>Checks one chaton and applies what verified; for the inbox and the follow command as much as for crawls.</summary>
    public async Task<CrawledChaton> CheckAsync(string actorId, int depth, TrackedSource source, bool conditional, CancellationToken cancellationToken)
    {
        await using var writer = CreateWriter(TimeSpan.Zero);
        var (check, applying) = await CheckOneAsync(actorId, conditional, writer, cancellationToken).ConfigureAwait(false);
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

    private async Task<(ChatonCheck Check, Task<ApplyResult?> Applying)> CheckOneAsync(string actorId, bool conditional, BatchWriter<(ChatonVerification? Verification, string? Seen), ApplyResult?> writer, CancellationToken cancellationToken)
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
            CheckStatus.NotModified => writer.WriteAsync((null, actorId)),
            _ => Task.FromResult<ApplyResult?>(null),
        };
        return (check, applying);
    }

    /// <summary>The actor ids a <c>following</c> collection lists, reading at most <paramref name="maxPages"/> pages.</summary>
    private async Task<IReadOnlyList<string>> ReadFollowingAsync(Uri collectionUrl, int maxPages, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        Uri? next = collectionUrl;
        var visited = new HashSet<string>(StringComparer.Ordinal);
        for (var page = 0; next is not null && page <= maxPages && visited.Add(next.AbsoluteUri); page++)
        {
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

        return found;
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
