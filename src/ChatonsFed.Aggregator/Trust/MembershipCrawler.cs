using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatonsFed.Aggregator.Crawling;
using ChatonsFed.Aggregator.Storage;
using ChatonsFed.Aggregator.Verification;
using ChatonsFed.Protocol.Membership;
using ChatonsFed.Protocol.Proofs;
using Microsoft.Extensions.Logging;

namespace ChatonsFed.Aggregator.Trust;

/// <summary>The bounds on what one issuer, or one host, can make the aggregator fetch and hold.</summary>
public static class MembershipLimits
{
    /// <summary>Items of a chaton's <c>endorsements</c> read.</summary>
    public const int MaxEndorsements = 200;

    /// <summary>Items of an issuer's <c>issuedEndorsements</c> read.</summary>
    public const int MaxIssued = 1000;

    /// <summary>Credentials held from one issuer, whichever collections listed them.</summary>
    public const int MaxCredentialsPerIssuer = 2000;

    /// <summary>GETs of membership documents (collections, credentials, status lists, issuers' actors) to one host in one poll.</summary>
    public const int MaxFetchesPerHost = 500;

    /// <summary>
    /// How long one host may take of a poll: past it (counted from its first membership fetch), the rest of what it
    /// serves waits for the next polls, so that a host that answers slowly delays nobody else's next poll by much.
    /// </summary>
    public static readonly TimeSpan MaxTimePerHost = TimeSpan.FromSeconds(60);

    /// <summary>The largest collection read: a thousand embedded credentials.</summary>
    public const long MaxCollectionBytes = 4 * 1024 * 1024;

    /// <summary>How long a status list that cannot be fetched (or no longer verifies) is trusted as last verified.</summary>
    public static readonly TimeSpan StatusListGrace = TimeSpan.FromDays(7);
}

/// <summary>What one membership poll did.</summary>
public sealed record MembershipPoll(int Owners, int Credentials, int Refused, int StatusLists, IReadOnlyList<string> Problems)
{
    public static MembershipPoll None { get; } = new(0, 0, 0, 0, []);
}

/// <summary>
/// Reads the membership documents: the <c>endorsements</c> and <c>issuedEndorsements</c> of every listed chaton and of
/// every trust root (whose actor it fetches: roots need not be chatons), each credential in them (embedded, or fetched
/// from its id), and the status list of every issuer whose credentials it holds (conditional GETs). Every credential
/// is verified as received; the authentic ones are held, the others refused with their reason. Bounded by
/// <see cref="MembershipLimits"/>: item limits, a cap per issuer, a budget of fetches per host, and the fetcher's
/// concurrency per host, so that a flood from one issuer costs only its own host's share.
/// </summary>
public sealed partial class MembershipCrawler(CrawlFetcher fetcher, DirectoryStore store, TrustRoots roots, TimeProvider time, ILogger<MembershipCrawler> logger)
{
    private const string HeldCollection = "endorsements";
    private const string IssuedCollection = "issuedEndorsements";
    private const int MaxRemembered = 100_000;
    private static readonly JsonDocumentOptions ReadOptions = new() { MaxDepth = 64 };

    // Proof checks already made, by credential bytes and issuer actor bytes: a poll of unchanged documents re-verifies nothing.
    private readonly ConcurrentDictionary<string, (CredentialFailure Failure, string Detail)?> _checks = new(StringComparer.Ordinal);

    // Credentials found authentic, by their bytes: at the next poll the same bytes are not read again (a check of the
    // proof against the issuer's actor of that poll, itself remembered, is all they need).
    private readonly ConcurrentDictionary<string, MembershipCredential> _authentic = new(StringComparer.Ordinal);

    // The validators of each collection's last answer, for the next poll's conditional GET (a rebuild asks again).
    private readonly ConcurrentDictionary<string, DocumentValidators> _collections = new(StringComparer.Ordinal);

    // Refusals already logged, by document bytes: a refused document listed at every poll is logged once.
    private readonly ConcurrentDictionary<string, byte> _logged = new(StringComparer.Ordinal);

    /// <summary>
    /// One membership poll of every listed chaton and trust root, or of <paramref name="only"/> those actors; a full
    /// poll ends by forgetting what no collection read lists any more.
    /// </summary>
    /// <param name="conditional">Sends the validators of the copies held; a rebuild asks for everything.</param>
    public async Task<MembershipPoll> PollAsync(bool conditional, IReadOnlyCollection<string>? only, CancellationToken cancellationToken)
    {
        if (!roots.Enabled)
        {
            return MembershipPoll.None;
        }

        if (!conditional)
        {
            // A rebuild starts with an empty log (its refusals are logged again) and asks for every collection whole.
            _logged.Clear();
            _collections.Clear();
        }

        var rootIds = await roots.ResolveAsync(cancellationToken).ConfigureAwait(false);
        var listed = store.Listings.Select(l => l.ActorId).ToHashSet(StringComparer.Ordinal);
        var owners = listed.Union(rootIds, StringComparer.Ordinal).Where(o => only is null || only.Contains(o)).Order(StringComparer.Ordinal).ToList();
        var pass = new Pass(conditional, time);
        var reads = new ConcurrentBag<(CollectionRead Read, ItemResult[] Results)>();
        await Parallel.ForEachAsync(owners, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (owner, ct) =>
        {
            var key = await IssuerAsync(pass, owner, ct).ConfigureAwait(false);
            if (key.Actor is null)
            {
                pass.Problem($"{owner}: its actor is not available ({key.Problem}); what it listed is kept");
                return;
            }

            reads.Add(await ReadCollectionAsync(pass, owner, key.Actor, issued: false, ct).ConfigureAwait(false));
            reads.Add(await ReadCollectionAsync(pass, owner, key.Actor, issued: true, ct).ConfigureAwait(false));
        }).ConfigureAwait(false);

        // Written all at once: one transaction, each credential once however many collections list it.
        var ordered = reads.OrderBy(r => r.Read.Owner, StringComparer.Ordinal).ThenBy(r => r.Read.Issued).ToList();
        var capped = store.TakeCollections([.. ordered.Select(r => r.Read)], MembershipLimits.MaxCredentialsPerIssuer);
        var results = ordered.SelectMany(r => r.Results).ToList();
        pass.Count(results.Count(r => r.Credential is not null) - capped.Count, results.Count(r => r.Refusal is not null) + capped.Count);
        foreach (var (read, itemResults) in ordered)
        {
            LogRefusals(read.Owner, itemResults);
        }

        if (only is null)
        {
            store.ForgetUnread(owners.ToHashSet(StringComparer.Ordinal), rootIds.ToHashSet(StringComparer.Ordinal));
        }

        var lists = await RefreshStatusListsAsync(pass, onlyMissing: only is not null, cancellationToken).ConfigureAwait(false);
        var problems = pass.Problems;
        LogPolled(logger, owners.Count, pass.Taken, pass.Refused, lists, problems.Count);
        return new MembershipPoll(owners.Count, pass.Taken, pass.Refused, lists, problems);
    }

    /// <summary>
    /// An issuer announced a credential (an inbox <c>Add</c>): it is fetched from <paramref name="credentialUrl"/> on the
    /// issuer's origin, verified as listed by the issuer, held, and its status list fetched if none is held.
    /// </summary>
    /// <returns>What came of it, in a sentence.</returns>
    public async Task<string> TakeAnnouncedAsync(string issuer, Uri credentialUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(credentialUrl);
        var pass = new Pass(conditional: false, time);
        var result = await FetchCredentialAsync(pass, issuer, issued: true, credentialUrl, cancellationToken).ConfigureAwait(false);
        Keep(pass, issuer, [result]);
        if (result.Refusal is { } refusal)
        {
            return "credential refused: " + refusal;
        }

        if (result.Credential is not { } credential)
        {
            var problems = pass.Problems;
            return "the credential could not be fetched: " + (problems.Count > 0 ? problems[0] : "no answer");
        }

        await RefreshStatusListsAsync(pass, onlyMissing: true, cancellationToken).ConfigureAwait(false);
        return $"credential {credential.Id} about {credential.Credential.Subject} held";
    }

    /// <summary>The issuer said its status list changed (an inbox <c>Update</c>): it is fetched again now.</summary>
    public async Task<string> RefreshStatusListAsync(string issuer, string url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(url);
        var pass = new Pass(conditional: false, time);
        var outcome = await FetchStatusListAsync(pass, url, issuer, cancellationToken).ConfigureAwait(false);
        return outcome ?? "status list " + url + " fetched again";
    }

    /// <summary>
    /// Takes the credentials and status lists of a signed bundle: each is verified against its issuer's actor fetched
    /// from the issuer's own origin now, as if read from the collections (the next poll reconciles them with those).
    /// </summary>
    public async Task<IReadOnlyList<string>> TakeBundleAsync(IReadOnlyList<ReadOnlyMemory<byte>> credentials, IReadOnlyList<ReadOnlyMemory<byte>> statusLists, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(statusLists);
        if (!roots.Enabled || (credentials.Count == 0 && statusLists.Count == 0))
        {
            return [];
        }

        var pass = new Pass(conditional: false, time);
        var results = await Task.WhenAll(credentials.Select(bytes => VerifyAsync(pass, bytes.ToArray(), CredentialSource.Direct, null, null, cancellationToken))).ConfigureAwait(false);
        var taken = results.Where(r => r.Credential is not null).Select(r => r.Credential! with { ListedByIssuer = true, ListedBySubject = true }).ToList();
        pass.Count(taken.Count, results.Count(r => r.Refusal is not null));
        store.TakeCredentials(taken, MembershipLimits.MaxCredentialsPerIssuer);
        LogRefusals(null, results);
        foreach (var bytes in statusLists)
        {
            var (id, issuer) = PeekList(bytes.Span);
            var named = id is null ? null : store.Credentials.FirstOrDefault(c => c.Credential.StatusListUrl == id && (issuer is null || c.Credential.Issuer == issuer));
            if (named is null)
            {
                pass.Problem($"status list {id ?? "(no id)"}: no credential held names it; not taken");
                continue;
            }

            var key = await IssuerAsync(pass, named.Credential.Issuer, cancellationToken).ConfigureAwait(false);
            TakeVerifiedList(pass, id!, named.Credential.Issuer, key, bytes.ToArray(), null);
        }

        return pass.Problems;
    }

    /// <summary>The documents a bundle carries for membership: the credentials held and the latest verified copy of each status list.</summary>
    public static (IReadOnlyList<ReadOnlyMemory<byte>> Credentials, IReadOnlyList<ReadOnlyMemory<byte>> StatusLists) ForBundle(DirectoryStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return ([.. store.Credentials.Select(c => c.Utf8Json)], [.. store.StatusLists.Select(l => l.Utf8Json)]);
    }

    /// <summary>
    /// Reads one of <paramref name="owner"/>'s two collections and verifies its items; what it gives is taken by the
    /// caller. A collection that cannot be read gives nothing and leaves what it listed marked (no <c>Listed</c>).
    /// </summary>
    private async Task<(CollectionRead Read, ItemResult[] Results)> ReadCollectionAsync(Pass pass, string owner, JsonObject actor, bool issued, CancellationToken cancellationToken)
    {
        var name = issued ? IssuedCollection : HeldCollection;
        var url = LinkOf(actor, name);
        if (url is null)
        {
            // It lists nothing (any more).
            return (new CollectionRead(owner, issued, [], new HashSet<string>(StringComparer.Ordinal)), []);
        }

        var unread = (new CollectionRead(owner, issued, [], null), Array.Empty<ItemResult>());
        if (!pass.TryFetch(url))
        {
            pass.Problem($"{owner}: its {name} was not read (this poll's fetches to {url.Host} are spent); what it listed is kept");
            return unread;
        }

        var validators = pass.Conditional ? _collections.GetValueOrDefault(url.AbsoluteUri) : null;
        var fetch = await fetcher.GetAsync(url, validators, MembershipLimits.MaxCollectionBytes, cancellationToken).ConfigureAwait(false);
        if (fetch.Status == Federation.Http.FetchStatus.NotModified)
        {
            // The same items as before: what it listed is checked again against the issuers' keys of this poll (from
            // memory, unless a key changed), no credential fetched.
            var listed = store.CredentialsListedBy(owner, issued);
            var checkedAgain = await Task.WhenAll(listed.Select(held => VerifyAsync(pass, held.Utf8Json.ToArray(), Source(owner, issued), null,
                new ReceivedDocument(held.Utf8Json) { ETag = held.ETag, LastModified = held.LastModified }, cancellationToken))).ConfigureAwait(false);
            return (new CollectionRead(owner, issued, [.. checkedAgain.Where(r => r.Credential is not null).Select(r => r.Credential!)],
                checkedAgain.Select(r => r.KeptId).OfType<string>().ToHashSet(StringComparer.Ordinal)), checkedAgain);
        }

        if (!fetch.IsOk)
        {
            pass.Problem($"{owner}: its {name} could not be read ({fetch.Reason}); what it listed is kept");
            return unread;
        }


        var items = ReadItems(fetch.Body, issued ? MembershipLimits.MaxIssued : MembershipLimits.MaxEndorsements, out var problem);
        if (items is null)
        {
            pass.Problem($"{owner}: its {name} at {url} {problem}; what it listed is kept");
            return unread;
        }

        // Fetches take the host's budget in this order: the ids of credentials not held yet before those held (which
        // stay as they are when the budget is spent), so that a long list is fetched whole over a few polls.
        var ordered = items.OrderBy(item => item.Embedded is not null ? 0 : store.FindCredential(item.Url!.AbsoluteUri) is null ? 1 : 2).ToList();
        var results = await Task.WhenAll(ordered.Select(item => item.Embedded is { } embedded
            ? VerifyAsync(pass, embedded, Source(owner, issued), null, null, cancellationToken)
            : FetchCredentialAsync(pass, owner, issued, item.Url!, cancellationToken))).ConfigureAwait(false);

        // Asked again conditionally only once read whole: an item left for later needs the list again.
        if (results.Any(r => r.Deferred))
        {
            _collections.TryRemove(url.AbsoluteUri, out _);
        }
        else
        {
            var received = CrawlFetcher.Received(fetch);
            _collections[url.AbsoluteUri] = new DocumentValidators(DocumentKind.Credential, url.AbsoluteUri, received.ETag, received.LastModified);
        }

        return (new CollectionRead(owner, issued, [.. results.Where(r => r.Credential is not null).Select(r => r.Credential!)],
            results.Select(r => r.KeptId).OfType<string>().ToHashSet(StringComparer.Ordinal)), results);
    }

    /// <summary>Holds the authentic credentials of <paramref name="results"/> and logs the refusals new since the last poll.</summary>
    private void Keep(Pass pass, string owner, IReadOnlyList<ItemResult> results)
    {
        var taken = results.Where(r => r.Credential is not null).Select(r => r.Credential!).ToList();
        var capped = store.TakeCredentials(taken, MembershipLimits.MaxCredentialsPerIssuer);
        pass.Count(taken.Count - capped.Count, results.Count(r => r.Refusal is not null) + capped.Count);
        LogRefusals(owner, results);
    }

    private void LogRefusals(string? owner, IReadOnlyList<ItemResult> results)
    {
        if (_logged.Count > MaxRemembered)
        {
            _logged.Clear();
        }

        var fresh = results.Where(r => r.Refusal is not null && _logged.TryAdd(r.Hash + " " + r.Refusal.Reason, 0)).Select(r => r.Refusal!).ToList();
        store.RecordRefusals(owner, fresh);
    }

    private async Task<ItemResult> FetchCredentialAsync(Pass pass, string owner, bool issued, Uri url, CancellationToken cancellationToken)
    {
        var id = url.AbsoluteUri;
        var held = store.FindCredential(id);
        if (issued && !ProofVerifier.SameOrigin(url, new Uri(owner)))
        {
            return ItemResult.Refused(id, Hash(System.Text.Encoding.UTF8.GetBytes(id)), RejectionReason.CrossOrigin, $"{id} is not on the origin of its issuer {owner}");
        }

        if (!pass.TryFetch(url))
        {
            return ItemResult.Kept(held?.Id);
        }

        var validators = pass.Conditional && held is not null ? new DocumentValidators(DocumentKind.Credential, id, held.ETag, held.LastModified) : null;
        var fetch = await fetcher.GetAsync(url, validators, CredentialVerifier.MaxCredentialBytes, cancellationToken).ConfigureAwait(false);
        if (fetch.Status == Federation.Http.FetchStatus.NotModified && held is not null)
        {
            return await VerifyAsync(pass, held.Utf8Json.ToArray(), Source(owner, issued), id, new ReceivedDocument(held.Utf8Json) { ETag = held.ETag, LastModified = held.LastModified }, cancellationToken).ConfigureAwait(false);
        }

        if (!fetch.IsOk)
        {
            if (fetch.Error == Federation.Http.OutboundError.TooLarge)
            {
                return ItemResult.Refused(id, Hash(System.Text.Encoding.UTF8.GetBytes(id)), RejectionReason.TooLarge, fetch.Reason ?? "too large");
            }

            pass.Problem($"{id}: {fetch.Reason}; the copy held, if any, is kept");
            return ItemResult.Kept(held?.Id);
        }

        return await VerifyAsync(pass, fetch.Body.ToArray(), Source(owner, issued), id, CrawlFetcher.Received(fetch), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Verifies one credential as received (steps 1 to 12), against its issuer's actor. A copy refused while an authentic
    /// one with the same id is held keeps the held one, as long as that one still verifies against the issuer's key.
    /// </summary>
    /// <param name="fetchedFrom">The URL it was fetched from, which must be its id; null when it was embedded.</param>
    /// <param name="received">The response that carried it, for its validators, when fetched.</param>
    private async Task<ItemResult> VerifyAsync(Pass pass, byte[] bytes, CredentialSource source, string? fetchedFrom, ReceivedDocument? received, CancellationToken cancellationToken)
    {
        var hash = Hash(bytes);
        if (_authentic.TryGetValue(hash, out var known) && Holds(known, source) && (fetchedFrom is null || fetchedFrom == known.Id))
        {
            var knownKey = await IssuerAsync(pass, known.Issuer, cancellationToken).ConfigureAwait(false);
            if (knownKey.Actor is not null && _checks.TryGetValue(hash + " " + knownKey.Hash, out var verdict) && verdict is null)
            {
                return Authentic(pass, known, bytes, source, received, hash);
            }
        }

        var parsed = CredentialVerifier.Parse(bytes, source);
        var id = parsed.Credential?.Id ?? PeekId(bytes) ?? fetchedFrom;
        if (parsed.Credential is not { } credential)
        {
            return await KeepHeldOrRefuseAsync(pass, id, hash, bytes, Reason(parsed.Failure), parsed.Detail ?? "not a credential", cancellationToken).ConfigureAwait(false);
        }

        if (fetchedFrom is not null && credential.Id != fetchedFrom)
        {
            return ItemResult.Refused(fetchedFrom, hash, RejectionReason.UnexpectedId, $"fetched from {fetchedFrom}, its id is {credential.Id}");
        }

        var key = await IssuerAsync(pass, credential.Issuer, cancellationToken).ConfigureAwait(false);
        if (key.Actor is null)
        {
            // The issuer's actor cannot be had now: a copy held stays as it is; a new one cannot be checked.
            return store.FindCredential(credential.Id) is not null
                ? ItemResult.Kept(credential.Id)
                : ItemResult.Refused(credential.Id, hash, RejectionReason.KeyNotOwned, $"the issuer's actor could not be fetched: {key.Problem}");
        }

        if (Check(parsed, hash, key) is { } failure)
        {
            return await KeepHeldOrRefuseAsync(pass, credential.Id, hash, bytes, Reason(failure.Failure), failure.Detail, cancellationToken).ConfigureAwait(false);
        }

        if (_authentic.Count > MaxRemembered / 5)
        {
            _authentic.Clear();
        }

        _authentic[hash] = credential;
        return Authentic(pass, credential, bytes, source, received, hash);
    }

    private static ItemResult Authentic(Pass pass, MembershipCredential credential, byte[] bytes, CredentialSource source, ReceivedDocument? received, string hash) =>
        ItemResult.Authentic(new HeldCredential(credential, bytes)
        {
            ListedByIssuer = source.Kind == CredentialSourceKind.Issued,
            ListedBySubject = source.Kind == CredentialSourceKind.Held,
            ETag = received?.ETag,
            LastModified = received?.LastModified,
            Received = pass.Now,
        }, hash);

    /// <summary>Whether a credential found authentic passes the rule of the collection it is read from now (membership.md §5.1, step 5).</summary>
    private static bool Holds(MembershipCredential credential, CredentialSource source) => source.Kind switch
    {
        CredentialSourceKind.Issued => credential.Issuer == source.CollectionOwner,
        CredentialSourceKind.Held => credential.Subject == source.CollectionOwner,
        _ => true,
    };

    private async Task<ItemResult> KeepHeldOrRefuseAsync(Pass pass, string? id, string hash, byte[] bytes, RejectionReason reason, string detail, CancellationToken cancellationToken)
    {
        var refused = ItemResult.Refused(id, hash, reason, detail);
        if (id is null || store.FindCredential(id) is not { } held || held.Utf8Json.Span.SequenceEqual(bytes))
        {
            return refused;
        }

        var key = await IssuerAsync(pass, held.Credential.Issuer, cancellationToken).ConfigureAwait(false);
        var stillAuthentic = key.Actor is not null && Check(CredentialVerifier.Parse(held.Utf8Json.Span, CredentialSource.Direct), Hash(held.Utf8Json.Span), key) is null;
        return stillAuthentic ? refused with { KeptId = id } : refused;
    }

    private (CredentialFailure Failure, string Detail)? Check(CredentialParse parsed, string hash, IssuerKey key)
    {
        if (_checks.Count > MaxRemembered)
        {
            _checks.Clear();
        }

        return _checks.GetOrAdd(hash + " " + key.Hash, _ => CredentialVerifier.CheckProof(parsed, key.Actor!));
    }

    /// <summary>Fetches the status list of every issuer whose credentials are held (only those not held yet, with <paramref name="onlyMissing"/>).</summary>
    private async Task<int> RefreshStatusListsAsync(Pass pass, bool onlyMissing, CancellationToken cancellationToken)
    {
        var named = store.Credentials
            .GroupBy(c => c.Credential.StatusListUrl, StringComparer.Ordinal)
            .Select(g => (Url: g.Key, Issuer: g.Select(c => c.Credential.Issuer).Order(StringComparer.Ordinal).First()))
            .Where(l => !onlyMissing || store.FindStatusList(l.Url) is null)
            .ToList();
        await Parallel.ForEachAsync(named, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (list, ct) =>
        {
            if (await FetchStatusListAsync(pass, list.Url, list.Issuer, ct).ConfigureAwait(false) is { } problem)
            {
                pass.Problem(problem);
            }
        }).ConfigureAwait(false);
        return named.Count;
    }

    /// <summary>Fetches one status list (conditionally when a verified copy is held) and takes it when it verifies; null, or why not.</summary>
    private async Task<string?> FetchStatusListAsync(Pass pass, string url, string issuer, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || !pass.TryFetch(address))
        {
            return $"status list {url}: not fetched in this poll; the copy held, if any, is kept";
        }

        var held = store.FindStatusList(url);
        var validators = pass.Conditional && held is not null && held.Issuer == issuer ? new DocumentValidators(DocumentKind.StatusList, url, held.ETag, held.LastModified) : null;
        var fetch = await fetcher.GetAsync(address, validators, CredentialVerifier.MaxStatusListBytes, cancellationToken).ConfigureAwait(false);
        if (fetch.Status == Federation.Http.FetchStatus.NotModified && held is not null)
        {
            store.ConfirmStatusList(url, pass.Now);
            return null;
        }

        if (!fetch.IsOk)
        {
            if (fetch.Error == Federation.Http.OutboundError.TooLarge)
            {
                LogListRefusal(issuer, url, Hash(System.Text.Encoding.UTF8.GetBytes(url + " too large")), RejectionReason.TooLarge, fetch.Reason ?? "too large");
            }

            return $"status list {url}: {fetch.Reason}; the copy last verified, if any, is kept for {MembershipLimits.StatusListGrace.TotalDays:0} days";
        }

        var key = await IssuerAsync(pass, issuer, cancellationToken).ConfigureAwait(false);
        var received = CrawlFetcher.Received(fetch);
        return TakeVerifiedList(pass, url, issuer, key, fetch.Body.ToArray(), received);
    }

    private string? TakeVerifiedList(Pass pass, string url, string issuer, IssuerKey key, byte[] bytes, ReceivedDocument? received)
    {
        var verdict = StatusListDocument.Verify(bytes, url, issuer, key.Actor, pass.Now);
        if (!verdict.Accepted)
        {
            var reason = Reason(verdict.Failure);
            LogListRefusal(issuer, url, Hash(bytes), reason, verdict.Detail ?? reason.ToString());
            return $"status list {url} refused ({reason}: {verdict.Detail}); the copy last verified, if any, is kept";
        }

        store.TakeStatusList(new HeldStatusList(url, issuer, verdict.Bits!, bytes, verdict.ValidFrom ?? pass.Now, pass.Now)
        {
            ETag = received?.ETag,
            LastModified = received?.LastModified,
        }, pass.Now);
        return null;
    }

    private void LogListRefusal(string issuer, string url, string hash, RejectionReason reason, string detail)
    {
        if (_logged.TryAdd(hash + " " + reason, 0))
        {
            store.RecordRefusals(issuer, [new DocumentRejection(DocumentKind.StatusList, url, reason, detail)]);
        }
    }

    /// <summary>
    /// The actor whose key signs an issuer's documents: a listed chaton's as held (verified with its documents), else the
    /// issuer's actor fetched once a poll (conditionally) and verified by its own proof, the copy held when it cannot be.
    /// </summary>
    private Task<IssuerKey> IssuerAsync(Pass pass, string actorId, CancellationToken cancellationToken) =>
        pass.Issuers.GetOrAdd(actorId, id => new Lazy<Task<IssuerKey>>(() => LoadIssuerAsync(pass, id, cancellationToken))).Value;

    private async Task<IssuerKey> LoadIssuerAsync(Pass pass, string actorId, CancellationToken cancellationToken)
    {
        if (store.GetDocuments(actorId) is { } chaton)
        {
            return IssuerKey.Of(chaton.Actor.Utf8Json);
        }

        var held = store.FindIssuerActor(actorId);
        if (!Uri.TryCreate(actorId, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            return IssuerKey.Missing($"{actorId} is not an http(s) URL");
        }

        if (!pass.TryFetch(url))
        {
            return held is null ? IssuerKey.Missing($"not fetched: this poll's fetches to {url.Host} are spent") : IssuerKey.Of(held.Utf8Json);
        }

        var validators = pass.Conditional && held is not null ? new DocumentValidators(DocumentKind.Actor, actorId, held.ETag, held.LastModified) : null;
        var fetch = await fetcher.GetAsync(url, validators, cancellationToken).ConfigureAwait(false);
        if (fetch.Status == Federation.Http.FetchStatus.NotModified && held is not null)
        {
            return IssuerKey.Of(held.Utf8Json);
        }

        if (!fetch.IsOk)
        {
            return held is null ? IssuerKey.Missing(fetch.Reason ?? "no answer") : IssuerKey.Of(held.Utf8Json);
        }

        JsonObject? actor;
        try
        {
            actor = JsonNode.Parse(fetch.Body.Span, documentOptions: ReadOptions) as JsonObject;
        }
        catch (JsonException e)
        {
            actor = null;
            pass.Problem($"{actorId}: its actor is not JSON ({e.Message})");
        }

        var problem = actor is null ? "its actor is not a JSON object" : IssuerActorCheck.Check(actor, actorId);
        if (problem is not null)
        {
            return held is null ? IssuerKey.Missing(problem) : IssuerKey.Of(held.Utf8Json);
        }

        var received = CrawlFetcher.Received(fetch);
        store.TakeIssuerActor(new HeldActor(actorId, fetch.Body.ToArray(), pass.Now) { ETag = received.ETag, LastModified = received.LastModified });
        return IssuerKey.Of(fetch.Body);
    }

    private static CredentialSource Source(string owner, bool issued) => issued ? CredentialSource.IssuedBy(owner) : CredentialSource.HeldBy(owner);

    /// <summary>The reason a refusal is logged with: the verifier's failure by the same name.</summary>
    internal static RejectionReason Reason(CredentialFailure? failure) =>
        failure is { } known && Enum.TryParse<RejectionReason>(known.ToString(), out var reason) ? reason : RejectionReason.Malformed;

    private static Uri? LinkOf(JsonObject actor, string name) => actor[name] switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => HttpUrl(text),
        JsonObject linked when linked["id"] is JsonValue id && id.TryGetValue<string>(out var text) => HttpUrl(text),
        _ => null,
    };

    private static Uri? HttpUrl(string text) => ProofVerifier.TryParseHttpUrl(text, out var url) ? url : null;

    /// <summary>
    /// The first <paramref name="max"/> items of an unpaged collection (its <c>orderedItems</c> or <c>items</c>, or its
    /// embedded <c>first</c> page's): each a credential embedded with its proof, or an http(s) id to fetch. Null, with the
    /// reason, when it is not a collection.
    /// </summary>
    internal static List<CollectionItem>? ReadItems(ReadOnlyMemory<byte> json, int max, out string? problem)
    {
        problem = null;
        try
        {
            using var document = JsonDocument.Parse(json, ReadOptions);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problem = "is not a JSON object";
                return null;
            }

            if (!TryItems(root, out var items) && !(root.TryGetProperty("first", out var first) && first.ValueKind == JsonValueKind.Object && TryItems(first, out items)))
            {
                problem = "has no orderedItems";
                return null;
            }

            var list = new List<CollectionItem>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in items.EnumerateArray())
            {
                if (list.Count >= max)
                {
                    break;
                }

                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("proof", out _))
                {
                    list.Add(new CollectionItem(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(item).ToArray(), null));
                }
                else if (ChatonChecker.AsUrl(item) is { } url && seen.Add(url.AbsoluteUri))
                {
                    list.Add(new CollectionItem(null, url));
                }
            }

            return list;
        }
        catch (JsonException e)
        {
            problem = "is not JSON: " + e.Message;
            return null;
        }

        static bool TryItems(JsonElement owner, out JsonElement items) =>
            (owner.TryGetProperty("orderedItems", out items) || owner.TryGetProperty("items", out items)) && items.ValueKind == JsonValueKind.Array;
    }

    private static string? PeekId(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 64 });
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static (string? Id, string? Issuer) PeekList(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 64 });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            var id = root.TryGetProperty("id", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            var issuer = root.TryGetProperty("issuer", out var by) ? ChatonChecker.IdOf(by) : null;
            return (id, issuer);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexString(SHA256.HashData(bytes));

    [LoggerMessage(EventId = 4040, EventName = "MembershipPolled", Level = LogLevel.Information,
        Message = "Membership poll: {Owners} chatons and trust roots read, {Taken} credentials taken, {Refused} refused, {Lists} status lists, {Problems} problems")]
    private static partial void LogPolled(ILogger logger, int owners, int taken, int refused, int lists, int problems);

    /// <summary>One item of a collection: a credential embedded in it, or the URL of one.</summary>
    internal sealed record CollectionItem(byte[]? Embedded, Uri? Url);

    /// <summary>What became of one item: taken (authentic), refused, or the held copy kept; <see cref="KeptId"/> stays listed.</summary>
    private sealed record ItemResult(HeldCredential? Credential, string? KeptId, DocumentRejection? Refusal, string Hash)
    {
        public static ItemResult Authentic(HeldCredential credential, string hash) => new(credential, credential.Id, null, hash);

        /// <summary>Not read this time (the host's budget is spent, no answer, the issuer's actor unavailable): the copy held, if any, stays.</summary>
        public static ItemResult Kept(string? id) => new(null, id, null, string.Empty) { Deferred = true };

        /// <summary>Whether the item was left for a later poll, so that the collection must be read whole again.</summary>
        public bool Deferred { get; init; }

        public static ItemResult Refused(string? id, string hash, RejectionReason reason, string detail) =>
            new(null, null, new DocumentRejection(DocumentKind.Credential, id, reason, detail), hash);
    }

    /// <summary>An issuer's actor as its documents are checked against, with the hash of its bytes; or why there is none.</summary>
    private sealed record IssuerKey(JsonObject? Actor, string Hash, string? Problem)
    {
        public static IssuerKey Of(ReadOnlyMemory<byte> bytes)
        {
            try
            {
                return JsonNode.Parse(bytes.Span, documentOptions: ReadOptions) is JsonObject actor
                    ? new IssuerKey(actor, MembershipCrawler.Hash(bytes.Span), null)
                    : Missing("the actor held is not a JSON object");
            }
            catch (JsonException e)
            {
                return Missing("the actor held is not JSON: " + e.Message);
            }
        }

        public static IssuerKey Missing(string problem) => new(null, string.Empty, problem);
    }

    /// <summary>One poll's state: its clock, the fetch budget per host, the issuers' actors met, counts and problems.</summary>
    private sealed class Pass(bool conditional, TimeProvider time)
    {
        private readonly ConcurrentDictionary<string, int> _fetches = new(StringComparer.OrdinalIgnoreCase);
        private readonly ConcurrentDictionary<string, long> _firstFetch = new(StringComparer.OrdinalIgnoreCase);
        private readonly ConcurrentDictionary<string, byte> _overTime = new(StringComparer.OrdinalIgnoreCase);
        private readonly ConcurrentQueue<string> _problems = new();
        private int _taken;
        private int _refused;

        public bool Conditional { get; } = conditional;

        public DateTimeOffset Now { get; } = time.GetUtcNow();

        public ConcurrentDictionary<string, Lazy<Task<IssuerKey>>> Issuers { get; } = new(StringComparer.Ordinal);

        public int Taken => Volatile.Read(ref _taken);

        public int Refused => Volatile.Read(ref _refused);

        public IReadOnlyList<string> Problems => [.. _problems.Take(200)];

        /// <summary>Takes one fetch from the budget of <paramref name="url"/>'s host (its port aside); false when it is spent.</summary>
        public bool TryTake(Uri url) => _fetches.AddOrUpdate(url.Host, 1, (_, spent) => spent + 1) <= MembershipLimits.MaxFetchesPerHost;

        public bool TryFetch(Uri url)
        {
            var first = _firstFetch.GetOrAdd(url.Host, _ => time.GetTimestamp());
            if (time.GetElapsedTime(first) > MembershipLimits.MaxTimePerHost)
            {
                if (_overTime.TryAdd(url.Host, 0))
                {
                    Problem($"{url.Host}: its membership documents took more than {MembershipLimits.MaxTimePerHost.TotalSeconds:0} s of this poll; the others wait for the next polls");
                }

                return false;
            }

            if (TryTake(url))
            {
                return true;
            }

            if (_fetches[url.Host] == MembershipLimits.MaxFetchesPerHost + 1)
            {
                Problem($"{url.Host}: more than {MembershipLimits.MaxFetchesPerHost} membership documents to fetch in one poll; the others wait for the next polls");
            }

            return false;
        }

        public void Count(int taken, int refused)
        {
            Interlocked.Add(ref _taken, taken);
            Interlocked.Add(ref _refused, refused);
        }

        public void Problem(string problem) => _problems.Enqueue(problem);
    }
}
