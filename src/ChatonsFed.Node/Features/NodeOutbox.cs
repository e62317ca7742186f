using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Federation.Delivery;
using ChatonsFed.Hosting;
using ChatonsFed.Hosting.Endpoints;
using ChatonsFed.Node.Admin;
using ChatonsFed.Node.Documents;
using ChatonsFed.Node.Storage;

namespace ChatonsFed.Node.Features;

/// <summary>
/// What every feature of the node publishes through: the node's current keys, the signed public documents it saves,
/// and the activities it appends to the outbox and queues for every follower. A change runs in one LiteDB transaction
/// under the store's write lock, without any network I/O (the delivery worker sends the queued jobs).
/// </summary>
public sealed class NodeOutbox : ISigningIdentity, IDisposable
{
    private readonly TimeProvider _time;

    public NodeOutbox(NodeStore store, HostKeys keys, NodeDocumentBuilder builder, TimeProvider time)
    {
        Store = store;
        Keys = keys;
        Builder = builder;
        _time = time;
    }

    public NodeStore Store { get; }

    /// <summary>The keys the node signs with now; <see cref="KeyRotation"/> replaces them.</summary>
    public HostKeys Keys { get; private set; }

    public NodeDocumentBuilder Builder { get; }

    string ISigningIdentity.BaseUrl => Builder.Urls.BaseUrl;

    string ISigningIdentity.RsaKeyId => Builder.Urls.RsaKeyId;

    (DateTimeOffset Published, DateTimeOffset Updated) ISigningIdentity.ActorDates()
    {
        var profile = Profile();
        return (profile.Published, profile.Updated);
    }

    /// <summary>The profile; fails on a store that was never initialised.</summary>
    public ProfileRecord Profile() => Store.Profile ?? throw new InvalidOperationException("the store holds no profile; was the data folder made by 'chatonsfed init'?");

    /// <summary>The services the node lists, in their order.</summary>
    public IReadOnlyList<ServiceRecord> Services() =>
        [.. Store.Services.Find(s => s.Removed == null).OrderBy(s => s.Position).ThenBy(s => s.Id, StringComparer.Ordinal)];

    public AttestationRecord Attestation() => Store.Attestation ?? throw new InvalidOperationException("the store holds no attestation");

    /// <summary>The current time to the second, as documents and activities carry it.</summary>
    public DateTimeOffset Now() => ToSecond(_time.GetUtcNow());

    /// <summary><paramref name="time"/> in UTC, without its fraction of a second.</summary>
    public static DateTimeOffset ToSecond(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    /// <summary>The new <c>updated</c>: now, but always later than the previous value, since receivers refuse roll-backs.</summary>
    public static DateTimeOffset Bump(DateTimeOffset previous, DateTimeOffset now) => now > previous ? now : previous.AddSeconds(1);

    /// <summary>Refuses any change once the chaton has left the network.</summary>
    public static void EnsureActive(ProfileRecord profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.Deleted is not null)
        {
            throw new NodeInputException("this chaton has left the network; its documents can no longer change");
        }
    }

    /// <summary>
    /// Runs <paramref name="change"/> (which saves records and documents and returns the activities to publish) and
    /// queues its activities, all in one transaction under the write lock.
    /// </summary>
    public async Task<ChangeResult> PublishAsync(Func<DateTimeOffset, IReadOnlyList<JsonObject>> change, CancellationToken cancellationToken, IReadOnlyList<string>? warnings = null, string? slug = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        var (activities, queued, followers) = await ChangeAsync(now =>
        {
            var made = change(now);
            return (made, Enqueue(made, now), Store.Followers.Count());
        }, cancellationToken);
        return new ChangeResult
        {
            Warnings = warnings ?? [],
            Slug = slug,
            DeliveriesQueued = queued,
            FollowersNotified = queued > 0 ? followers : 0,
            Activities = [.. activities.Select(a => a["id"]!.GetValue<string>())],
        };
    }

    /// <summary>A <c>Create</c> of a public note about a change, signed with the current keys.</summary>
    public JsonObject NoteActivity(string text, string? link) => Builder.Create(Builder.Note(text, link, Keys), Keys);

    /// <summary>Stores <paramref name="document"/> as the bytes served at <paramref name="path"/>.</summary>
    public void SaveDocument(string path, JsonObject document, DateTimeOffset modified, bool gone = false)
    {
        ArgumentNullException.ThrowIfNull(document);
        var json = document.ToJsonString();
        Store.Documents.Upsert(new DocumentRecord { Id = path, Json = json, ETag = DocumentResult.ETagOf(json), Modified = modified, Gone = gone });
    }

    /// <summary>
    /// Signs and saves the services collection. Its version is its proof's time, to the second: a new list is signed
    /// later than the previous one, else an aggregator that holds the previous list could keep it (same version).
    /// </summary>
    public void SaveServicesCollection(DateTimeOffset now, HostKeys? keys = null)
    {
        var created = Store.Documents.FindById(NodeUrls.ServicesPath) is { } previous ? Bump(previous.Modified, now) : now;
        SaveDocument(NodeUrls.ServicesPath, Builder.ServicesCollection(Services(), keys ?? Keys, created), created);
    }

    /// <summary>
    /// Runs <paramref name="change"/> (which saves records and documents, and may queue activities with
    /// <see cref="Enqueue"/>) in one transaction under the write lock, and returns what it returns.
    /// </summary>
    public async Task<T> ChangeAsync<T>(Func<DateTimeOffset, T> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await Store.WriteLock.WaitAsync(cancellationToken);
        try
        {
            var now = Now();
            T result = default!;
            Store.InTransaction(() => result = change(now));
            return result;
        }
        finally
        {
            Store.WriteLock.Release();
        }
    }

    /// <summary>
    /// Queues <paramref name="activities"/> (appended to the outbox if not there yet) for every follower's inbox, and for
    /// <paramref name="alsoTo"/> (inboxes of actors they are addressed to); an inbox gets each activity once. Returns the
    /// number of jobs.
    /// </summary>
    public int Enqueue(IReadOnlyList<JsonObject> activities, DateTimeOffset now, IEnumerable<string?>? alsoTo = null)
    {
        ArgumentNullException.ThrowIfNull(activities);
        var recipients = Store.Followers.FindAll()
            .Select(f => Uri.TryCreate(f.Inbox, UriKind.Absolute, out var inbox)
                ? new DeliveryRecipient(inbox, Uri.TryCreate(f.SharedInbox, UriKind.Absolute, out var shared) ? shared : null)
                : null)
            .Concat((alsoTo ?? []).Select(i => Uri.TryCreate(i, UriKind.Absolute, out var inbox) ? new DeliveryRecipient(inbox) : null))
            .OfType<DeliveryRecipient>()
            .ToList();
        var count = 0;
        foreach (var activity in activities)
        {
            var id = activity["id"]!.GetValue<string>();
            var json = activity.ToJsonString();
            if (Store.Outbox.FindOne(o => o.ActivityId == id) is null)
            {
                Store.Outbox.Insert(new OutboxRecord { ActivityId = id, Type = activity["type"]!.GetValue<string>(), Json = json, Published = now });
            }

            var jobs = DeliveryQueue.CreateJobs(id, Encoding.UTF8.GetBytes(json), Builder.Urls.RsaKeyId, recipients, now);
            Store.DeliveryJobs.InsertBulk(jobs);
            count += jobs.Count;
        }

        return count;
    }

    /// <summary>Queues one activity for one inbox (a reply to a follow request), outside the outbox.</summary>
    public void EnqueueDirect(JsonObject activity, string inbox)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var target = new DeliveryRecipient(new Uri(inbox, UriKind.Absolute));
        Store.DeliveryJobs.InsertBulk(DeliveryQueue.CreateJobs(activity["id"]!.GetValue<string>(), Encoding.UTF8.GetBytes(activity.ToJsonString()), Builder.Urls.RsaKeyId, [target], Now()));
    }

    /// <summary>From now on signs with <paramref name="fresh"/>. The old keys are not disposed: a delivery or a fetch may be signing with them.</summary>
    internal void UseKeys(HostKeys fresh) => Keys = fresh;

    public void Dispose() => Keys.Dispose();
}
