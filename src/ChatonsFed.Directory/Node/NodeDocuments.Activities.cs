using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Json;
using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Directory.Node;

/// <summary>An activity the node signed, ready to store in its outbox and deliver to its followers.</summary>
public sealed record SignedActivity(Uri Id, string Type, JsonObject Json)
{
    /// <summary>The embedded object (a signed document, a tombstone or a received follow), if any.</summary>
    public JsonObject? EmbeddedObject => Json["object"] as JsonObject;
}

public sealed partial class NodeDocuments
{
    /// <summary>The public collection, written out in full (Fedify signs and compares the full URL).</summary>
    public const string PublicAddress = "https://www.w3.org/ns/activitystreams#Public";

    public JsonObject SignActor(ChatonProfile profile) => Sign(BuildActor(profile));

    public JsonObject SignService(HostedServiceEntry entry) => Sign(BuildService(entry));

    public JsonObject SignServices(IEnumerable<HostedServiceEntry> services) => Sign(BuildServices(services));

    /// <summary>
    /// The services collection signed at <paramref name="created"/>. It has no <c>updated</c>: its proof's time, to the
    /// second, is its version, so a node signs each new list later than the previous one.
    /// </summary>
    public JsonObject SignServices(IEnumerable<HostedServiceEntry> services, DateTimeOffset created) =>
        Sign(ActivityStreamsJson.ToJsonObject(BuildServices(services)), created);

    public JsonObject SignAttestation(CharterDeclaration declaration, string chatonName) => Sign(BuildAttestation(declaration, chatonName));

    /// <summary>
    /// The activities that announce <paramref name="change"/>, given the node's state after it: the
    /// <c>Create</c>, <c>Update</c> or <c>Delete</c> of the object, then a <c>Create</c> of a short French note
    /// for people who follow the chaton from the fediverse.
    /// </summary>
    public IReadOnlyList<SignedActivity> SignActivities(NodeChange change, NodeState state)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(state);
        var name = state.Profile.Name;
        var (activity, text, link) = change switch
        {
            ProfileChanged c => (SignUpdate(SignActor(c.Profile)), NodeNotes.ProfileUpdated(), c.Profile.Website),
            ServiceAdded c => (SignCreate(SignService(c.Service)), NodeNotes.ServiceAdded(c.Service), c.Service.Url),
            ServiceChanged c => (SignUpdate(SignService(c.After)), NodeNotes.ServiceUpdated(c.Before, c.After), c.After.Url),
            ServiceRemoved c => (SignDeleteService(c.Service.Slug), NodeNotes.ServiceRemoved(c.Service), null),
            AttestationChanged c => (SignUpdate(SignAttestation(c.Declaration, name)), NodeNotes.AttestationUpdated(c.Declaration), Address.Attestation),
            AttestationWithdrawn => (SignDeleteAttestation(), NodeNotes.AttestationWithdrawn(), null),
            _ => throw new ArgumentException($"Unknown change {change.GetType().Name}.", nameof(change)),
        };

        var note = SignNote(text, link, "note-for:" + activity.Id.AbsoluteUri);
        return [activity, SignCreate(note)];
    }

    /// <summary>A <c>Create</c> of a document this node built and signed (the object keeps its own proof).</summary>
    public SignedActivity SignCreate(JsonObject signedObject) => SignAbout<Create>(signedObject);

    /// <summary>An <c>Update</c> of a document this node built and signed (the object keeps its own proof).</summary>
    public SignedActivity SignUpdate(JsonObject signedObject) => SignAbout<Update>(signedObject);

    /// <summary>A <c>Delete</c> of a hosted service, whose object is a <c>Tombstone</c> with the service's former type.</summary>
    public SignedActivity SignDeleteService(string slug) =>
        SignDeleteOf(Address.ServiceId(slug).AbsoluteUri, new OneOrMany<string>(["Object", ChatonsTypes.HostedService], writeAsArray: true));

    /// <summary>A <c>Delete</c> of the charter attestation, whose object is a <c>Tombstone</c>.</summary>
    public SignedActivity SignDeleteAttestation() =>
        SignDeleteOf(Address.Attestation.AbsoluteUri, new OneOrMany<string>(["Document", ChatonsTypes.CharterAttestation], writeAsArray: true));

    /// <summary>A <c>Delete</c> of the actor itself, sent when the chaton leaves the network.</summary>
    public SignedActivity SignDeleteActor()
    {
        var now = _time.GetUtcNow();
        return SignActivity(new Delete(), ContentId("Delete", ActorId, Stamp(now)), JsonValue.Create(ActorId), [PublicAddress], [Address.Followers.AbsoluteUri], now);
    }

    /// <summary>
    /// The <c>Add</c> that announces a membership credential this node issued: its <c>object</c> is the credential's id
    /// (never the credential itself, which receivers fetch from its origin), its <c>target</c> the node's issued
    /// endorsements, <c>to</c> the public and the credential's subject, <c>cc</c> the followers. Its id is derived from
    /// the credential as signed, so the credential signed again (after a key rotation) is announced by a new one.
    /// </summary>
    /// <exception cref="ArgumentException">The credential is not one of this node's, or names no subject.</exception>
    public SignedActivity SignAddCredential(JsonObject signedCredential)
    {
        ArgumentNullException.ThrowIfNull(signedCredential);
        var credentialId = OwnDocumentId(signedCredential, Address.IssuedEndorsements.AbsoluteUri + "/");
        var subject = StringOrId(signedCredential["credentialSubject"])
            ?? throw new ArgumentException("The credential names no subject.", nameof(signedCredential));
        var now = _time.GetUtcNow();
        var add = new Add { Target = new OneOrMany<Reference<JsonLdNode>>(new Reference<JsonLdNode>(Address.IssuedEndorsements.AbsoluteUri)) };
        var id = ContentId("Add", credentialId, JsonCanonicalizer.CanonicalizeToString(signedCredential));
        return SignActivity(add, id, JsonValue.Create(credentialId), [PublicAddress, subject], [Address.Followers.AbsoluteUri], now);
    }

    /// <summary>
    /// The <c>Update</c> that says the node's revocation list changed: its <c>object</c> is the list's id (receivers
    /// fetch the list again), <c>to</c> the public and <paramref name="subjects"/> (those of the credentials revoked),
    /// <c>cc</c> the followers. Its id is derived from the list as signed.
    /// </summary>
    public SignedActivity SignUpdateStatusList(JsonObject signedList, IEnumerable<string> subjects)
    {
        ArgumentNullException.ThrowIfNull(signedList);
        ArgumentNullException.ThrowIfNull(subjects);
        var listId = OwnDocumentId(signedList, Address.StatusList.AbsoluteUri);
        var now = _time.GetUtcNow();
        var id = ContentId("Update", listId, JsonCanonicalizer.CanonicalizeToString(signedList));
        string[] to = [PublicAddress, .. subjects.Distinct(StringComparer.Ordinal)];
        return SignActivity(new Update(), id, JsonValue.Create(listId), to, [Address.Followers.AbsoluteUri], now);
    }

    /// <summary>An <c>Accept</c> of a received <c>Follow</c>, which it embeds as received.</summary>
    /// <exception cref="ArgumentException">The follow has no id or actor, or is not addressed to this node's actor.</exception>
    public SignedActivity SignAccept(JsonObject receivedFollow) => SignAnswer(new Accept(), receivedFollow);

    /// <summary>An <c>Accept</c> of a follow given by id, for a follower that embeds nothing.</summary>
    public SignedActivity SignAccept(string followId, string followerId) => SignAnswer(new Accept(), followId, followerId);

    /// <summary>A <c>Reject</c> of a received <c>Follow</c> (a blocked follower), which it embeds as received.</summary>
    public SignedActivity SignReject(JsonObject receivedFollow) => SignAnswer(new Reject(), receivedFollow);

    public SignedActivity SignReject(string followId, string followerId) => SignAnswer(new Reject(), followId, followerId);

    /// <summary>
    /// A public <c>Note</c> in French for the chaton's fediverse followers: <paramref name="text"/> as a
    /// paragraph, followed by <paramref name="link"/>. Its id is derived from <paramref name="key"/>.
    /// </summary>
    public JsonObject SignNote(string text, Uri? link, string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        var content = "<p>" + HtmlText.Escape(text) + (link is null ? "" : " — " + HtmlText.Link(link.AbsoluteUri)) + "</p>";
        var note = new Note
        {
            Context = ChatonsContext.Element,
            Id = Address.NoteId(ContentId("Note", key)).AbsoluteUri,
            AttributedTo = new OneOrMany<Reference<JsonLdNode>>(new Reference<JsonLdNode>(ActorId)),
            Content = content,
            ContentMap = new LanguageMap([new KeyValuePair<string, string>("fr", content)]),
            Published = new Timestamp(_time.GetUtcNow()),
            To = OneOrMany.Array(new Reference<JsonLdNode>(PublicAddress)),
            Cc = OneOrMany.Array(new Reference<JsonLdNode>(Address.Followers.AbsoluteUri)),
        };
        return Sign(note);
    }

    private SignedActivity SignAbout<TActivity>(JsonObject signedObject)
        where TActivity : Activity, new()
    {
        ArgumentNullException.ThrowIfNull(signedObject);
        var objectId = signedObject["id"]?.GetValue<string>()
            ?? throw new ArgumentException("The object has no id.", nameof(signedObject));
        if (!objectId.StartsWith(Address.Root + "/", StringComparison.Ordinal))
        {
            throw new ArgumentException($"The object {objectId} is not one of this node's documents.", nameof(signedObject));
        }

        var activity = new TActivity();
        var type = activity.Type!.First!;
        var unsigned = signedObject.DeepClone().AsObject();
        unsigned.Remove("proof");
        var id = ContentId(type, objectId, JsonCanonicalizer.CanonicalizeToString(unsigned));
        var now = _time.GetUtcNow();
        return SignActivity(activity, id, signedObject.DeepClone(), [PublicAddress], [Address.Followers.AbsoluteUri], now);
    }

    private SignedActivity SignDeleteOf(string objectId, OneOrMany<string> formerType)
    {
        var now = _time.GetUtcNow();
        var tombstone = ActivityStreamsJson.ToJsonObject(new Tombstone
        {
            Id = objectId,
            FormerType = formerType,
            Deleted = new Timestamp(now),
        });
        return SignActivity(new Delete(), ContentId("Delete", objectId, Stamp(now)), tombstone, [PublicAddress], [Address.Followers.AbsoluteUri], now);
    }

    private SignedActivity SignAnswer(Activity answer, JsonObject receivedFollow)
    {
        ArgumentNullException.ThrowIfNull(receivedFollow);
        var followId = StringOrId(receivedFollow["id"]) ?? throw new ArgumentException("The follow has no id.", nameof(receivedFollow));
        var follower = StringOrId(receivedFollow["actor"]) ?? throw new ArgumentException("The follow names no actor.", nameof(receivedFollow));
        var target = StringOrId(receivedFollow["object"]);
        if (target != ActorId)
        {
            throw new ArgumentException($"The follow is addressed to {target ?? "nobody"}, not to {ActorId}.", nameof(receivedFollow));
        }

        var now = _time.GetUtcNow();
        var id = ContentId(answer.Type!.First!, followId);
        return SignActivity(answer, id, receivedFollow.DeepClone(), [follower], [], now);
    }

    private SignedActivity SignAnswer(Activity answer, string followId, string followerId)
    {
        ArgumentException.ThrowIfNullOrEmpty(followId);
        ArgumentException.ThrowIfNullOrEmpty(followerId);
        var now = _time.GetUtcNow();
        var id = ContentId(answer.Type!.First!, followId);
        return SignActivity(answer, id, JsonValue.Create(followId), [followerId], [], now);
    }

    private SignedActivity SignActivity(Activity activity, string contentId, JsonNode @object, string[] to, string[] cc, DateTimeOffset now)
    {
        var type = activity.Type!.First!;
        var id = Address.ActivityId(contentId);

        activity.Context = ChatonsContext.Element;
        activity.Id = id.AbsoluteUri;
        activity.Actor = new OneOrMany<Reference<JsonLdNode>>(new Reference<JsonLdNode>(ActorId));
        activity.Published = new Timestamp(now);
        activity.To = OneOrMany.Array(to.Select(a => new Reference<JsonLdNode>(a)));
        if (cc.Length > 0)
        {
            activity.Cc = OneOrMany.Array(cc.Select(a => new Reference<JsonLdNode>(a)));
        }

        var json = ActivityStreamsJson.ToJsonObject(activity);
        json["object"] = @object;
        return new SignedActivity(id, type, _signer.Sign(json, now));
    }

    private static string OwnDocumentId(JsonObject document, string prefix)
    {
        var id = StringOrId(document["id"]) ?? throw new ArgumentException("The document has no id.", nameof(document));
        return id.StartsWith(prefix, StringComparison.Ordinal)
            ? id
            : throw new ArgumentException($"The document {id} is not one of this node's (under {prefix}).", nameof(document));
    }

    private static string? StringOrId(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonObject obj => StringOrId(obj["id"]),
        JsonArray { Count: 1 } array => StringOrId(array[0]),
        _ => null,
    };

    private static string Stamp(DateTimeOffset instant) => new Timestamp(instant).Text;

    // Ids are derived from what the activity says, so the same change always gets the same id and a
    // receiver that sees it twice can tell; no random source is needed, and examples are reproducible.
    private static string ContentId(params string[] parts)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts)));
        return Convert.ToHexStringLower(hash.AsSpan(0, 12));
    }
}
