using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ChatonsFed.Directory.Node;
using ChatonsFed.Federation.Http;
using ChatonsFed.Federation.Signing;
using ChatonsFed.Protocol.HttpSignatures;
using ChatonsFed.Protocol.Keys;
using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.TestFleet;

/// <summary>How a chaton that is down fails.</summary>
public enum FleetOutage
{
    /// <summary>503 Service Unavailable with <c>Retry-After: 60</c>.</summary>
    ServiceUnavailable,

    /// <summary>The connection is dropped without an answer, as a crashed server or a refused connection looks to a client.</summary>
    ConnectionReset,

    /// <summary>No answer until the client gives up (its timeout) or the fleet stops.</summary>
    NoAnswer,
}

/// <summary>A change a chaton made, the activities that announce it, and what became of their deliveries.</summary>
public sealed record FleetChange(IReadOnlyList<SignedActivity> Activities, IReadOnlyList<FleetDelivery> Deliveries);

/// <summary>One activity posted to one inbox, signed with the chaton's RSA key.</summary>
public sealed record FleetDelivery(Uri Inbox, SignedActivity Activity, PostResult Result);

/// <summary>
/// One synthetic chaton of a <see cref="FleetServer"/>: its state (profile, services, declaration), keys and documents
/// — built and signed by <see cref="NodeDocuments"/> as a node does — and the controls tests use to make it change,
/// fail or lie.
/// </summary>
public sealed class FleetChaton : IDisposable
{
    private readonly Lock _gate = new();
    private readonly FleetServer _fleet;
    private readonly Ed25519KeyPair _proofKey;
    private readonly RsaKeyPair _rsa;
    private readonly bool _ownsRsa;
    private readonly string _rsaPublicKeyPem;
    private readonly Lazy<ActorSigningKey> _signingKey;
    private readonly NodeDocuments _documents;
    private readonly ConcurrentQueue<FleetInboxPost> _posts = new();
    private readonly ConcurrentDictionary<string, int> _documentStatus = new(StringComparer.Ordinal);
    private readonly List<string> _outbox = [];
    private readonly List<HostedServiceEntry> _services;
    private DateTimeOffset _servicesListChanged;
    private DateTimeOffset _outboxChanged;
    private volatile Fault? _fault;
    private int _requests;

    internal FleetChaton(FleetServer fleet, int index, NodeAddress address, ChatonContent content, Ed25519KeyPair proofKey, RsaKeyPair rsa, string rsaPublicKeyPem, bool ownsRsa)
    {
        _fleet = fleet;
        Index = index;
        Address = address;
        _proofKey = proofKey;
        _rsa = rsa;
        _ownsRsa = ownsRsa;
        _signingKey = new(() => new ActorSigningKey(address.MainKeyId, HttpSignatureKey.ImportPem(rsa.ExportPkcs8Pem())));
        _rsaPublicKeyPem = rsaPublicKeyPem;
        _documents = new NodeDocuments(address, proofKey, rsaPublicKeyPem, fleet.Time);
        Profile = content.Profile;
        _services = [.. content.Services];
        Declaration = content.Declaration;
        _servicesListChanged = _services.Count == 0 ? Profile.Published : _services.Max(s => s.Published);
        _outboxChanged = Profile.Published;
    }

    /// <summary>0 for the first chaton, <c>c0001</c>.</summary>
    public int Index { get; }

    public NodeAddress Address { get; }

    public string Handle => Address.Handle;

    /// <summary><c>acct:c0001@127.0.0.1:PORT</c>, answered by the fleet's WebFinger.</summary>
    public string AcctUri => Address.AcctUri;

    /// <summary><c>http://127.0.0.1:PORT/c/0001</c>.</summary>
    public Uri BaseUrl => new(Address.Root);

    public Uri ActorId => Address.ActorId;

    public Uri ServicesUrl => Address.Services;

    public Uri AttestationUrl => Address.Attestation;

    public Uri Inbox => Address.Inbox;

    public Uri SharedInbox => Address.SharedInbox;

    public Uri OutboxUrl => Address.Outbox;

    public Uri FollowersUrl => Address.Followers;

    public Uri FollowingUrl => Address.Following;

    public ChatonProfile Profile { get; private set; }

    /// <summary>The services in the order the chaton lists them.</summary>
    public IReadOnlyList<HostedServiceEntry> Services
    {
        get
        {
            lock (_gate)
            {
                return [.. _services];
            }
        }
    }

    public CharterDeclaration Declaration { get; private set; }

    /// <summary>The Ed25519 key of the chaton's proofs, published as <c>{actor}#ed25519-key</c>.</summary>
    public Ed25519PublicKey ProofKey => _proofKey.PublicKey;

    /// <summary>The RSA key the chaton signs requests with, under <c>{actor}#main-key</c>.</summary>
    public ActorSigningKey SigningKey => _signingKey.Value;

    public IReadOnlyList<FleetChaton> Following { get; internal set; } = [];

    public IReadOnlyList<FleetChaton> Followers { get; internal set; } = [];

    /// <summary>Requests that reached this chaton's URLs or its WebFinger answer, whatever was answered.</summary>
    public int RequestCount => Volatile.Read(ref _requests);

    /// <summary>POSTs to the chaton's inbox and shared inbox, in order of arrival.</summary>
    public IReadOnlyList<FleetInboxPost> InboxPosts => [.. _posts];

    public Uri ServiceUrl(string slug) => Address.ServiceId(slug);

    /// <summary>The document served at <paramref name="url"/> now.</summary>
    public FleetDocument Document(Uri url) =>
        _fleet.FindDocument(url) ?? throw new ArgumentException($"the fleet serves nothing at {url}", nameof(url));

    /// <summary>The JSON served at <paramref name="url"/> now.</summary>
    public JsonObject Json(Uri url) => Document(url).ToJson();

    // ---- Changes a chaton makes: re-signed documents, announced by activities, optionally delivered. ----

    /// <summary>
    /// Changes one service: re-signs it with <c>updated</c> moved forward, serves the <c>Update</c> and its note at their
    /// ids and in the outbox, and posts them, signed, to <paramref name="deliverTo"/>.
    /// </summary>
    public Task<FleetChange> UpdateServiceAsync(string slug, Func<HostedServiceEntry, HostedServiceEntry> edit, IEnumerable<Uri>? deliverTo = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        IReadOnlyList<SignedActivity> activities;
        lock (_gate)
        {
            var at = IndexOfService(slug);
            var before = _services[at];
            var after = edit(before) with { Slug = before.Slug, Published = before.Published, Updated = NextStamp(before.Updated) };
            _services[at] = after;
            PublishService(after);
            activities = Announce(new ServiceChanged(before, after));
        }

        return DeliverAsync(activities, deliverTo, cancellationToken);
    }

    /// <summary>Adds a service (published and updated now), re-signs the services collection, and announces a <c>Create</c>.</summary>
    public Task<FleetChange> AddServiceAsync(HostedServiceEntry service, IEnumerable<Uri>? deliverTo = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        IReadOnlyList<SignedActivity> activities;
        lock (_gate)
        {
            if (_services.Any(s => s.Slug == service.Slug))
            {
                throw new ArgumentException($"{Handle} already has a service \"{service.Slug}\"", nameof(service));
            }

            var now = NextStamp(_servicesListChanged);
            var added = service with { Published = now, Updated = now };
            _services.Add(added);
            _servicesListChanged = now;
            _documentStatus.TryRemove(ServiceUrl(added.Slug).AbsolutePath, out _);
            PublishService(added);
            PublishServicesCollection();
            activities = Announce(new ServiceAdded(added));
        }

        return DeliverAsync(activities, deliverTo, cancellationToken);
    }

    /// <summary>Removes a service: its URL answers 410 with a <c>Tombstone</c>, and a <c>Delete</c> is announced.</summary>
    public Task<FleetChange> RemoveServiceAsync(string slug, IEnumerable<Uri>? deliverTo = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<SignedActivity> activities;
        lock (_gate)
        {
            var removed = _services[IndexOfService(slug)];
            _services.Remove(removed);
            _servicesListChanged = NextStamp(_servicesListChanged);
            var url = ServiceUrl(slug);
            _fleet.Publish(new FleetDocument(url.AbsolutePath, Tombstone(url, new JsonArray("Object", ChatonsTypes.HostedService)), _servicesListChanged, statusCode: 410));
            PublishServicesCollection();
            activities = Announce(new ServiceRemoved(removed));
        }

        return DeliverAsync(activities, deliverTo, cancellationToken);
    }

    /// <summary>Changes the profile: re-signs the actor (and the attestation, whose title carries the name) and announces an <c>Update</c>.</summary>
    public Task<FleetChange> UpdateProfileAsync(Func<ChatonProfile, ChatonProfile> edit, IEnumerable<Uri>? deliverTo = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var activities = new List<SignedActivity>();
        lock (_gate)
        {
            var before = Profile;
            Profile = edit(before) with { Published = before.Published, Updated = NextStamp(before.Updated) };
            PublishActor();
            activities.AddRange(Announce(new ProfileChanged(Profile)));
            if (Profile.Name != before.Name)
            {
                Declaration = Declaration with { Updated = NextStamp(Declaration.Updated) };
                PublishAttestation();
                activities.AddRange(Announce(new AttestationChanged(Declaration)));
            }
        }

        return DeliverAsync(activities, deliverTo, cancellationToken);
    }

    /// <summary>Changes the charter declaration: re-signs the attestation and announces an <c>Update</c>.</summary>
    public Task<FleetChange> UpdateDeclarationAsync(Func<CharterDeclaration, CharterDeclaration> edit, IEnumerable<Uri>? deliverTo = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        IReadOnlyList<SignedActivity> activities;
        lock (_gate)
        {
            var before = Declaration;
            Declaration = edit(before) with { Published = before.Published, Updated = NextStamp(before.Updated) };
            PublishAttestation();
            activities = Announce(new AttestationChanged(Declaration));
        }

        return DeliverAsync(activities, deliverTo, cancellationToken);
    }

    // ---- Faults and lies, for the consumer's failure paths. ----

    /// <summary>Every URL of the chaton, its WebFinger answer and inboxes included, fails as <paramref name="outage"/> says.</summary>
    public void GoDown(FleetOutage outage = FleetOutage.ServiceUnavailable) => _fault = new Fault(outage, null);

    /// <summary>Ends <see cref="GoDown"/> and <see cref="AnswerWith(int)"/>; documents changed by other controls stay as they are.</summary>
    public void ComeBack() => _fault = null;

    /// <summary>Every URL of the chaton answers <paramref name="statusCode"/> (404, 410 with a <c>Tombstone</c>, 500…).</summary>
    public void AnswerWith(int statusCode) => _fault = new Fault(null, statusCode);

    /// <summary>The document at <paramref name="url"/> answers <paramref name="statusCode"/> until <see cref="Restore"/>.</summary>
    public void AnswerWith(Uri url, int statusCode)
    {
        ArgumentNullException.ThrowIfNull(url);
        _documentStatus[url.AbsolutePath] = statusCode;
    }

    /// <summary>
    /// Changes the served bytes of the document at <paramref name="url"/> after it was signed, keeping its proof, so the
    /// proof no longer verifies. The default edit appends to its <c>name</c> (or sets a <c>summary</c>).
    /// </summary>
    public JsonObject Tamper(Uri url, Action<JsonObject>? edit = null)
    {
        var document = Json(url);
        if (edit is not null)
        {
            edit(document);
        }
        else if (document["name"] is JsonValue name && name.TryGetValue<string>(out var text))
        {
            document["name"] = text + " (modifié)";
        }
        else
        {
            document["summary"] = "Contenu modifié après signature.";
        }

        Replace(url, document);
        return document;
    }

    /// <summary>Serves <paramref name="document"/> as it is at <paramref name="url"/> (signed or not), keeping the previous Last-Modified.</summary>
    public void Replace(Uri url, JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var current = Document(url);
        _fleet.Publish(new FleetDocument(current.Path, FleetJson.ToBytes(document), current.LastModified, current.ContentType, current.StatusCode));
    }

    /// <summary>
    /// Serves at <paramref name="url"/> the document as if it lived on <paramref name="otherOrigin"/>: every URL of this
    /// fleet in it moved to that origin and the whole signed again by this chaton's key under a key id there. The proof is
    /// sound, but a consumer must refuse an object whose id is not on the origin it was fetched from.
    /// </summary>
    public JsonObject ServeFromOtherOrigin(Uri url, Uri otherOrigin)
    {
        ArgumentNullException.ThrowIfNull(otherOrigin);
        var document = Json(url);
        document.Remove("proof");
        var origin = otherOrigin.GetLeftPart(UriPartial.Authority);
        var moved = JsonNode.Parse(document.ToJsonString().Replace(_fleet.OriginText, origin, StringComparison.Ordinal))!.AsObject();
        var elsewhere = new NodeDocuments(new NodeAddress(new Uri(origin + BaseUrl.AbsolutePath), Handle), _proofKey, _rsaPublicKeyPem, _fleet.Time);
        var signed = elsewhere.Sign(moved);
        Replace(url, signed);
        return signed;
    }

    /// <summary>
    /// Moves the <c>updated</c> of the actor, a service or the attestation back by <paramref name="by"/> and re-signs it:
    /// a validly signed copy older than the one consumers hold, which they must refuse. The chaton's state keeps the
    /// older date.
    /// </summary>
    public JsonObject RollBackUpdated(Uri url, TimeSpan by)
    {
        ArgumentNullException.ThrowIfNull(url);
        lock (_gate)
        {
            if (url == ActorId)
            {
                var updated = Profile.Updated - by;
                Profile = Profile with { Updated = updated, Published = Earlier(Profile.Published, updated) };
                PublishActor();
            }
            else if (url == AttestationUrl)
            {
                var updated = Declaration.Updated - by;
                Declaration = Declaration with { Updated = updated, Published = Earlier(Declaration.Published, updated) };
                PublishAttestation();
            }
            else
            {
                var at = _services.FindIndex(s => ServiceUrl(s.Slug) == url);
                if (at < 0)
                {
                    throw new ArgumentException($"{url} is not the actor, a service or the attestation of {Handle}", nameof(url));
                }

                var service = _services[at];
                var updated = service.Updated - by;
                _services[at] = service with { Updated = updated, Published = Earlier(service.Published, updated) };
                PublishService(_services[at]);
            }
        }

        return Json(url);
    }

    /// <summary>Clears every fault and serves every document again, freshly signed from the chaton's state.</summary>
    public void Restore()
    {
        _fault = null;
        _documentStatus.Clear();
        Publish();
    }

    public void Dispose()
    {
        _proofKey.Dispose();
        if (_ownsRsa)
        {
            _rsa.Dispose();
        }

        if (_signingKey.IsValueCreated)
        {
            _signingKey.Value.Key.Dispose();
        }
    }

    // ---- What the fleet's server asks of its chatons. ----

    /// <summary>Builds, signs and serves every document of the chaton.</summary>
    internal void Publish()
    {
        lock (_gate)
        {
            PublishActor();
            PublishServicesCollection();
            foreach (var service in _services)
            {
                PublishService(service);
            }

            PublishAttestation();
            PublishPaged(PagedCollectionKind.Following, [.. Following.Select(c => c.ActorId.AbsoluteUri)], Profile.Published);
            PublishPaged(PagedCollectionKind.Followers, [.. Followers.Select(c => c.ActorId.AbsoluteUri)], Profile.Published);
            PublishPaged(PagedCollectionKind.Outbox, [.. _outbox], _outboxChanged);
            var jrd = _documents.BuildWebFinger(Profile).Serialize();
            _fleet.PublishWebFinger(this, new FleetDocument(FleetServer.WebFingerPath, System.Text.Encoding.UTF8.GetBytes(jrd), Profile.Published, "application/jrd+json"));
        }
    }

    internal void CountRequest() => Interlocked.Increment(ref _requests);

    internal void Record(FleetInboxPost post) => _posts.Enqueue(post);

    /// <summary>The answer a fault imposes on a request for <paramref name="path"/>, if any.</summary>
    internal (FleetOutage? Outage, int? Status) FaultFor(string path)
    {
        if (_fault is { } fault)
        {
            return (fault.Outage, fault.Status);
        }

        return _documentStatus.TryGetValue(path, out var status) ? (null, status) : (null, null);
    }

    internal static byte[] Tombstone(Uri id, JsonNode? formerType = null)
    {
        var tombstone = new JsonObject
        {
            ["@context"] = ChatonsContext.ActivityStreams,
            ["id"] = id.AbsoluteUri,
            ["type"] = "Tombstone",
        };
        if (formerType is not null)
        {
            tombstone["formerType"] = formerType;
        }

        return FleetJson.ToBytes(tombstone);
    }

    private void PublishActor() => PublishSigned(ActorId, _documents.SignActor(Profile), Profile.Updated);

    private void PublishService(HostedServiceEntry service) => PublishSigned(ServiceUrl(service.Slug), _documents.SignService(service), service.Updated);

    private void PublishServicesCollection() => PublishSigned(ServicesUrl, _documents.SignServices(_services), _servicesListChanged);

    private void PublishAttestation() => PublishSigned(AttestationUrl, _documents.SignAttestation(Declaration, Profile.Name), Declaration.Updated);

    private void PublishSigned(Uri url, JsonObject document, DateTimeOffset lastModified) =>
        _fleet.Publish(new FleetDocument(url.AbsolutePath, FleetJson.ToBytes(document), lastModified));

    private void PublishPaged(PagedCollectionKind kind, IReadOnlyList<string> items, DateTimeOffset lastModified)
    {
        var size = _fleet.Options.PageSize;
        var head = _documents.BuildCollection(kind, items.Count, size);
        _fleet.Publish(new FleetDocument(new Uri(head.Id!).PathAndQuery, ActivityStreamsJson.SerializeToUtf8Bytes(head), lastModified));
        for (var page = 1; page <= NodeDocuments.PageCount(items.Count, size); page++)
        {
            var built = _documents.BuildCollectionPage(kind, page, items.Skip((page - 1) * size).Take(size), items.Count, size);
            _fleet.Publish(new FleetDocument(new Uri(built.Id!).PathAndQuery, ActivityStreamsJson.SerializeToUtf8Bytes(built), lastModified));
        }
    }

    /// <summary>Signs the activities of <paramref name="change"/>, serves them (and the note) at their ids and in the outbox.</summary>
    private List<SignedActivity> Announce(NodeChange change)
    {
        var activities = _documents.SignActivities(change, new NodeState(Profile, _services, Declaration));
        foreach (var activity in activities)
        {
            var published = _fleet.Time.GetUtcNow();
            _fleet.Publish(new FleetDocument(activity.Id.AbsolutePath, FleetJson.ToBytes(activity.Json), published));
            if (activity.EmbeddedObject is { } embedded && embedded["type"] is JsonValue type && type.TryGetValue<string>(out var typeName) && typeName == "Note"
                && embedded["id"] is JsonValue id && id.TryGetValue<string>(out var noteId))
            {
                _fleet.Publish(new FleetDocument(new Uri(noteId).AbsolutePath, FleetJson.ToBytes(embedded), published));
            }

            _outbox.Insert(0, activity.Id.AbsoluteUri);
            _outboxChanged = published;
        }

        PublishPaged(PagedCollectionKind.Outbox, [.. _outbox], _outboxChanged);
        return [.. activities];
    }

    private async Task<FleetChange> DeliverAsync(IReadOnlyList<SignedActivity> activities, IEnumerable<Uri>? deliverTo, CancellationToken cancellationToken)
    {
        var deliveries = new List<FleetDelivery>();
        foreach (var inbox in deliverTo ?? [])
        {
            foreach (var activity in activities)
            {
                var result = await _fleet.Client.PostActivityAsync(inbox, FleetJson.ToBytes(activity.Json), SigningKey, cancellationToken).ConfigureAwait(false);
                deliveries.Add(new FleetDelivery(inbox, activity, result));
            }
        }

        return new FleetChange(activities, deliveries);
    }

    private int IndexOfService(string slug)
    {
        var at = _services.FindIndex(s => s.Slug == slug);
        return at >= 0 ? at : throw new ArgumentException($"{Handle} has no service \"{slug}\"", nameof(slug));
    }

    // Whole seconds, and always later than the previous value even when the test clock stands still.
    private DateTimeOffset NextStamp(DateTimeOffset previous)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(_fleet.Time.GetUtcNow().ToUnixTimeSeconds());
        return now > previous ? now : previous.AddSeconds(1);
    }

    private static DateTimeOffset Earlier(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private sealed record Fault(FleetOutage? Outage, int? Status);
}
