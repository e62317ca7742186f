using System.Text.Json;
using ChatonsFed.Aggregator.Storage;
using ChatonsFed.Aggregator.Verification;
using ChatonsFed.Federation.Http;

namespace ChatonsFed.Aggregator.Crawling;

/// <summary>What one check of a chaton's node found.</summary>
public enum CheckStatus
{
    /// <summary>Documents were received and verified (<see cref="ChatonCheck.Verification"/>); the actor may still have been refused.</summary>
    Checked,

    /// <summary>Every document answered 304 Not Modified: the copies held are current.</summary>
    NotModified,

    /// <summary>The actor answered 404 or 410.</summary>
    Gone,

    /// <summary>No usable answer: network failure, time-out, another status.</summary>
    Failed,
}

/// <summary>The outcome of fetching and verifying one chaton.</summary>
public sealed record ChatonCheck(string ActorId, CheckStatus Status)
{
    public ChatonVerification? Verification { get; init; }

    /// <summary>Why the check failed, or why the actor was refused.</summary>
    public string? Problem { get; init; }

    /// <summary>The actor's <c>following</c> collection, for discovery.</summary>
    public Uri? Following { get; init; }

    /// <summary>The actor's inbox, where a <c>Follow</c> goes.</summary>
    public Uri? Inbox { get; init; }

    public bool IsListable => Verification?.IsListable == true || Status == CheckStatus.NotModified;
}

/// <summary>Fetches a chaton's documents (conditionally when copies are held) and verifies them as a set.</summary>
public sealed class ChatonChecker(CrawlFetcher fetcher, DirectoryStore store, ChatonVerifier verifier)
{
    private static readonly JsonDocumentOptions ReadOptions = new() { MaxDepth = 64 };

    /// <summary>Checks the chaton whose actor is <paramref name="actorId"/>.</summary>
    /// <param name="conditional">Sends the validators of the copies held, so that unchanged documents answer 304.</param>
    public async Task<ChatonCheck> CheckAsync(string actorId, bool conditional, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actorId);
        if (!Uri.TryCreate(actorId, UriKind.Absolute, out var actorUrl))
        {
            return new ChatonCheck(actorId, CheckStatus.Failed) { Problem = $"'{actorId}' is not an absolute URL" };
        }

        var validators = conditional ? store.GetValidators(actorId).ToDictionary(v => v.Id, StringComparer.Ordinal) : [];
        var held = new Lazy<StoredChaton?>(() => store.GetDocuments(actorId));
        var actorFetch = await fetcher.GetAsync(actorUrl, validators.GetValueOrDefault(actorId), cancellationToken).ConfigureAwait(false);
        if (actorFetch.Status == FetchStatus.Failed)
        {
            var gone = actorFetch.StatusCode is 404 or 410;
            return new ChatonCheck(actorId, gone ? CheckStatus.Gone : CheckStatus.Failed) { Problem = actorFetch.Reason };
        }

        var actor = actorFetch.Status == FetchStatus.NotModified ? HeldCopy(held.Value, actorId) : CrawlFetcher.Received(actorFetch);
        if (actor is null)
        {
            // 304 for a copy no longer held (the store was emptied meanwhile): ask again without validators.
            return await CheckAsync(actorId, conditional: false, cancellationToken).ConfigureAwait(false);
        }

        var links = ReadActorLinks(actor.Utf8Json);
        if (links.ServicesUrl is null || !links.IsOrganization)
        {
            // Not a chaton actor (no chatons terms, another type): the verifier says exactly why; nothing else is fetched.
            var refused = verifier.Verify(new ChatonDocumentSet(actor) { ExpectedActorId = actorId });
            return new ChatonCheck(actorId, CheckStatus.Checked)
            {
                Verification = refused,
                Problem = refused.IsListable ? null : Describe(refused),
                Following = links.Following,
                Inbox = links.Inbox,
            };
        }

        var allNotModified = actorFetch.Status == FetchStatus.NotModified;
        var collectionTask = fetcher.GetAsync(links.ServicesUrl, validators.GetValueOrDefault(links.ServicesUrl.AbsoluteUri), cancellationToken);
        var attestationTask = links.AttestationUrl is null
            ? Task.FromResult<FetchResult?>(null)
            : FetchOrNull(links.AttestationUrl, validators.GetValueOrDefault(links.AttestationUrl.AbsoluteUri), cancellationToken);

        var collectionFetch = await collectionTask.ConfigureAwait(false);
        ReceivedDocument? collection = null;
        IReadOnlyList<ServiceItem> items = [];
        if (collectionFetch.Status != FetchStatus.Failed)
        {
            allNotModified &= collectionFetch.Status == FetchStatus.NotModified;
            collection = collectionFetch.Status == FetchStatus.NotModified ? HeldCopy(held.Value, links.ServicesUrl.AbsoluteUri) : CrawlFetcher.Received(collectionFetch);
            items = collection is null ? [] : ReadServiceItems(collection.Utf8Json);
        }
        else
        {
            allNotModified = false;
        }

        var serviceTasks = items.Select(async Task<(ReceivedDocument? Document, bool Modified)> (item) =>
        {
            if (item.Embedded is { } embedded)
            {
                return (Document: embedded, Modified: true);
            }

            var fetch = await fetcher.GetAsync(item.Url!, validators.GetValueOrDefault(item.Url!.AbsoluteUri), cancellationToken).ConfigureAwait(false);
            return fetch.Status switch
            {
                FetchStatus.Ok => (CrawlFetcher.Received(fetch), true),
                FetchStatus.NotModified => (HeldCopy(held.Value, item.Url.AbsoluteUri), false),
                _ => (null, true),
            };
        }).ToList();
        var services = await Task.WhenAll(serviceTasks).ConfigureAwait(false);
        allNotModified &= services.All(s => !s.Modified && s.Document is not null);

        var attestationFetch = await attestationTask.ConfigureAwait(false);
        ReceivedDocument? attestation = null;
        if (attestationFetch is not null && attestationFetch.Status != FetchStatus.Failed)
        {
            allNotModified &= attestationFetch.Status == FetchStatus.NotModified;
            attestation = attestationFetch.Status == FetchStatus.NotModified ? HeldCopy(held.Value, links.AttestationUrl!.AbsoluteUri) : CrawlFetcher.Received(attestationFetch);
        }
        else if (links.AttestationUrl is not null)
        {
            allNotModified = false;
        }

        if (allNotModified && collection is not null)
        {
            return new ChatonCheck(actorId, CheckStatus.NotModified) { Following = links.Following, Inbox = links.Inbox };
        }

        var set = new ChatonDocumentSet(actor)
        {
            ExpectedActorId = actorId,
            Services = [.. services.Select(s => s.Document).OfType<ReceivedDocument>()],
            Attestation = attestation,
            // The contract's own example serves the collection unsigned: only a signed one is kept and passed on.
            ServicesCollection = collection is not null && HasProof(collection.Utf8Json) ? collection : null,
            ListedServiceIds = collection is null ? null : [.. items.Select(i => i.Id)],
        };
        var verification = verifier.Verify(set);
        return new ChatonCheck(actorId, CheckStatus.Checked)
        {
            Verification = verification,
            Problem = verification.IsListable ? null : Describe(verification),
            Following = links.Following,
            Inbox = links.Inbox,
        };
    }

    /// <summary>A refused actor's first rejection, as <c>Reason: sentence</c>.</summary>
    public static string Describe(ChatonVerification verification)
    {
        ArgumentNullException.ThrowIfNull(verification);
        var first = verification.Rejections.FirstOrDefault(r => r.Kind == DocumentKind.Actor) ?? (verification.Rejections.Count > 0 ? verification.Rejections[0] : null);
        return first is null ? "refused" : $"{first.Reason}: {first.Message}";
    }

    private async Task<FetchResult?> FetchOrNull(Uri url, DocumentValidators? validators, CancellationToken cancellationToken) =>
        await fetcher.GetAsync(url, validators, cancellationToken).ConfigureAwait(false);

    private static ReceivedDocument? HeldCopy(StoredChaton? held, string id)
    {
        if (held is null)
        {
            return null;
        }

        var document = held.Actor.Id == id ? held.Actor
            : held.Attestation?.Id == id ? held.Attestation
            : held.ServicesCollection?.Id == id ? held.ServicesCollection
            : held.Services.FirstOrDefault(s => s.Id == id);
        return document?.ToReceived();
    }

    private sealed record ActorLinks(bool IsOrganization, Uri? ServicesUrl, Uri? AttestationUrl, Uri? Following, Uri? Inbox);

    private sealed record ServiceItem(string Id, Uri? Url, ReceivedDocument? Embedded);

    private static ActorLinks ReadActorLinks(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, ReadOptions);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new ActorLinks(false, null, null, null, null);
            }

            var isOrganization = root.TryGetProperty("type", out var type) && TypeIncludes(type, "Organization");
            return new ActorLinks(isOrganization, Link(root, "services"), Link(root, "charterAttestation"), Link(root, "following"), Link(root, "inbox"));
        }
        catch (JsonException)
        {
            return new ActorLinks(false, null, null, null, null);
        }
    }

    private static bool TypeIncludes(JsonElement type, string name) => type.ValueKind switch
    {
        JsonValueKind.String => type.GetString() == name,
        JsonValueKind.Array => type.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.String && t.GetString() == name),
        _ => false,
    };

    /// <summary>An http(s) URL given as a string or as an object's <c>id</c>.</summary>
    internal static Uri? Link(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) ? AsUrl(value) : null;

    internal static Uri? AsUrl(JsonElement value)
    {
        var text = IdOf(value);
        return text is not null && Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
            ? url
            : null;
    }

    /// <summary>A string, or an object's <c>id</c>, as written.</summary>
    internal static string? IdOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Object when value.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String => id.GetString(),
        _ => null,
    };

    private static List<ServiceItem> ReadServiceItems(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, ReadOptions);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !(root.TryGetProperty("orderedItems", out var items) || root.TryGetProperty("items", out items)))
            {
                return [];
            }

            var list = new List<ServiceItem>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in items.ValueKind == JsonValueKind.Array ? items.EnumerateArray() : Enumerable.Repeat(items, 1))
            {
                if (AsUrl(item) is not { } url || !seen.Add(IdOf(item)!))
                {
                    continue;
                }

                // An embedded service that carries its own proof is taken as it is; otherwise it is fetched from its id.
                var embedded = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("proof", out _)
                    ? new ReceivedDocument(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(item).ToArray())
                    : null;
                list.Add(new ServiceItem(IdOf(item)!, url, embedded));
            }

            return list;
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static bool HasProof(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, ReadOptions);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("proof", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
