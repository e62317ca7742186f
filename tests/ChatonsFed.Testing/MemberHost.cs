using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Directory.Node;
using ChatonsFed.Federation.Signing;
using ChatonsFed.Protocol.HttpSignatures;
using ChatonsFed.Protocol.Keys;
using ChatonsFed.Protocol.Membership;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Testing;

/// <summary>
/// One host of its own (127.0.0.N, a free port) serving the signed documents of one or more <see cref="Member"/>s
/// under it, as a node serves them: actor, services, attestation, WebFinger, and the membership documents (the
/// <c>endorsements</c> and <c>issuedEndorsements</c> collections, each credential at its id, the status list). Actors
/// on one host share its host name, as the chatons of a multi-tenant node do: they count as one host.
/// </summary>
public sealed class MemberHost : IAsyncDisposable
{
    // Generating an RSA-2048 key takes tens of milliseconds: the members of one process share one.
    private static readonly Lazy<RsaKeyPair> SharedRsa = new(() => RsaKeyPair.Generate());

    private readonly ConcurrentDictionary<string, Member> _members = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);
    private LoopbackServer _server = null!;

    private MemberHost(TimeProvider time)
    {
        Time = time;
    }

    /// <summary>The clock the members sign with (the aggregator's, in tests that move it).</summary>
    public TimeProvider Time { get; }

    /// <summary><c>http://127.0.0.N:PORT</c>.</summary>
    public string Url => _server.Url;

    /// <summary>Requests received so far, whatever their path.</summary>
    public int RequestCount => _server.RequestCount;

    internal static string RsaPublicKeyPem => SharedRsa.Value.PublicKey.ToPem();

    /// <summary>Starts a host at 127.0.0.<paramref name="number"/> (2 to 254; 1 is the aggregator's).</summary>
    public static async Task<MemberHost> StartAsync(int number, TimeProvider? time = null)
    {
        var host = new MemberHost(time ?? TimeProvider.System);
        host._server = await LoopbackServer.StartAsync(host.AnswerAsync, $"127.0.0.{number}");
        return host;
    }

    /// <summary>
    /// A member at <c>{Url}{path}/actor</c>: a chaton (an <c>Organization</c> the aggregator lists), or with
    /// <paramref name="chaton"/> false an actor that is not one (an <c>Application</c>, as a collective's own actor may be).
    /// </summary>
    public Member Add(string handle, string name, string path = "", bool chaton = true)
    {
        var member = new Member(this, new NodeAddress(new Uri($"{Url}{path}/"), handle), name, chaton, SharedRsa.Value);
        _members[member.Root] = member;
        return member;
    }

    /// <summary>How many requests asked for <paramref name="url"/> (a path and query, or an absolute URL on this host).</summary>
    public int Requests(string url) => _requests.GetValueOrDefault(url.StartsWith(Url, StringComparison.Ordinal) ? url[Url.Length..] : url);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task AnswerAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        _requests.AddOrUpdate(path, 1, (_, n) => n + 1);
        if (path == "/.well-known/webfinger")
        {
            var resource = context.Request.Query["resource"].ToString();
            var member = _members.Values.FirstOrDefault(m => resource == m.AcctUri);
            if (member is null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            var jrd = new JsonObject
            {
                ["subject"] = resource,
                ["links"] = new JsonArray(new JsonObject { ["rel"] = "self", ["type"] = LoopbackServer.ActivityJson, ["href"] = member.ActorId }),
            };
            await LoopbackServer.WriteJsonAsync(context, jrd.ToJsonString(), contentType: "application/jrd+json");
            return;
        }

        var owner = _members.Values.Where(m => path.StartsWith(new Uri(m.Root).AbsolutePath.TrimEnd('/') + "/", StringComparison.Ordinal))
            .OrderByDescending(m => m.Root.Length).FirstOrDefault();
        if (owner is null || owner.Answer(Url + path) is not { } answer)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        // An ETag from the bytes, as a node gives one: a conditional GET of what did not change answers 304.
        var etag = "\"" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(answer.Json)))[..24] + "\"";
        if (answer.Status == StatusCodes.Status200OK)
        {
            context.Response.Headers.ETag = etag;
            if (context.Request.Headers.IfNoneMatch.ToString() == etag)
            {
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
        }

        await LoopbackServer.WriteJsonAsync(context, answer.Json, answer.Status, answer.ContentType);
    }

    /// <summary>The RSA key every member signs its HTTP requests with.</summary>
    internal static RsaKeyPair Rsa => SharedRsa.Value;
}

/// <summary>
/// One actor of a <see cref="MemberHost"/>, with its own Ed25519 key: it endorses others (signed credentials it lists in
/// its <c>issuedEndorsements</c>, and its subjects in their <c>endorsements</c>), revokes (its status list), and can
/// deliver a signed activity to an inbox. Every document is built and signed by the library's own code.
/// </summary>
public sealed class Member
{
    private readonly Lock _gate = new();
    private readonly MemberHost _host;
    private readonly Ed25519KeyPair _key;
    private readonly NodeDocuments _documents;
    private readonly Dictionary<string, JsonObject> _credentials = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Status, string Json)> _overrides = new(StringComparer.Ordinal);
    private readonly List<JsonNode> _issued = [];
    private readonly List<JsonNode> _held = [];
    private readonly List<HostedServiceEntry> _serviceEntries = [];
    private readonly Dictionary<string, JsonObject> _serviceDocuments = new(StringComparer.Ordinal);
    private readonly ActorSigningKey _signingKey;
    private StatusListBits _bits = StatusListBits.CreateEmpty();
    private JsonObject _statusList;
    private int _nextIndex = 7;
    private JsonObject? _actor;
    private JsonObject? _services;
    private string? _issuedJson;
    private string? _heldJson;
    private bool _listIds;

    internal Member(MemberHost host, NodeAddress address, string name, bool chaton, RsaKeyPair rsa)
    {
        _host = host;
        Address = address;
        _key = Ed25519KeyPair.Generate();
        _documents = new NodeDocuments(address, _key, MemberHost.RsaPublicKeyPem, host.Time);
        _signingKey = new ActorSigningKey(address.MainKeyId, HttpSignatureKey.ImportPem(rsa.ExportPkcs8Pem()));
        Profile = new ChatonProfile
        {
            Name = name,
            Summary = $"{name}, hébergeur d'essai.",
            Website = new Uri(address.Root + "/site"),
            StructureType = StructureType.Association,
            Country = "FR",
            Published = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
            Updated = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
        };
        IsChaton = chaton;
        Attestation = _documents.SignAttestation(new CharterDeclaration
        {
            Charter = new CharterReference(new Uri("https://chatons.org/fr/charte"), "2016-v1", "sha256-" + Convert.ToBase64String(new byte[32])),
            Criteria = [.. CharterCriteriaCatalog.LoadDefault().Criteria.Select(c => new CriterionAnswer(c.Id, true))],
            Published = Profile.Published,
            Updated = Profile.Updated,
        }, name);
        _statusList = SignList(host.Time.GetUtcNow());
    }

    public NodeAddress Address { get; }

    /// <summary>The host that serves this member.</summary>
    public MemberHost Host => _host;

    public string Root => Address.Root;

    public string ActorId => Address.ActorId.AbsoluteUri;

    public string AcctUri => Address.AcctUri;

    /// <summary><c>@handle@host:port</c>.</summary>
    public string Handle => $"@{Address.Handle}@{Address.BaseUrl.Authority}";

    public bool IsChaton { get; }

    public ChatonProfile Profile { get; }

    public JsonObject Attestation { get; }

    public string StatusListUrl => Root + "/membership/status";

    public string IssuedUrl => Root + "/membership/issued";

    public string EndorsementsUrl => Root + "/membership/endorsements";

    /// <summary>Collections list the credentials' ids instead of embedding them.</summary>
    public bool ListIds
    {
        get => _listIds;
        set
        {
            lock (_gate)
            {
                _listIds = value;
                _issuedJson = _heldJson = null;
            }
        }
    }

    /// <summary>The credentials this member issued, as signed, by id.</summary>
    public IReadOnlyDictionary<string, JsonObject> Credentials
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, JsonObject>(_credentials, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>
    /// Signs a credential about <paramref name="subject"/>, valid from <paramref name="validFrom"/> (now less a day by
    /// default) for <paramref name="days"/>; lists it in this member's <c>issuedEndorsements</c> and, unless
    /// <paramref name="listAtSubject"/> is false, in the subject's <c>endorsements</c>. Returns it as signed.
    /// </summary>
    public JsonObject Endorse(Member subject, DateTimeOffset? validFrom = null, int days = 365, bool listAtSubject = true)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var from = validFrom ?? _host.Time.GetUtcNow().AddDays(-1);
        var signed = SignCredential(Draft(subject.ActorId, AttestationDigest.Compute(subject.Attestation), subject.Address.Attestation.AbsoluteUri, from, from.AddDays(days)));
        Issue(signed);
        if (listAtSubject)
        {
            subject.Hold(signed);
        }

        return signed;
    }

    /// <summary>A credential draft from this member about <paramref name="subjectId"/>, with the next free status index.</summary>
    public CredentialDraft Draft(string subjectId, string attestationDigest, string attestationId, DateTimeOffset validFrom, DateTimeOffset validUntil)
    {
        lock (_gate)
        {
            return new CredentialDraft($"{Root}/membership/issued/{Guid.NewGuid():N}", ActorId, subjectId, validFrom, validUntil, "2016-v1", null,
                attestationId, attestationDigest, [new CriterionCheck("hoster.control", true, null)], "Candidature examinée.", StatusListUrl, _nextIndex++);
        }
    }

    /// <summary>Signs <paramref name="draft"/> (or, edited by <paramref name="edit"/> first, any object) with this member's key.</summary>
    public JsonObject SignCredential(CredentialDraft draft, Action<JsonObject>? edit = null, string? verificationMethod = null)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var unsigned = MembershipCredentialBuilder.Build(draft);
        edit?.Invoke(unsigned);
        return MembershipCredentialBuilder.Signer(_key, verificationMethod ?? Address.Ed25519KeyId, _host.Time).Sign(unsigned);
    }

    /// <summary>Serves <paramref name="credential"/> at its id and lists it (or <paramref name="item"/>, as given) in <c>issuedEndorsements</c>.</summary>
    public void Issue(JsonObject credential, JsonNode? item = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        lock (_gate)
        {
            if (credential["id"]?.GetValue<string>() is { } id)
            {
                _credentials[id] = credential;
            }

            _issued.Add(item ?? credential);
            _issuedJson = null;
        }
    }

    /// <summary>Lists <paramref name="credential"/> (or any item) in this member's <c>endorsements</c>.</summary>
    public void Hold(JsonNode credential)
    {
        lock (_gate)
        {
            _held.Add(credential);
            _heldJson = null;
        }
    }

    /// <summary>Serves <paramref name="json"/> with <paramref name="status"/> at <paramref name="url"/> instead of what would be there.</summary>
    public void Override(string url, int status, string json = "{}")
    {
        lock (_gate)
        {
            _overrides[url] = (status, json);
        }
    }

    public void ClearOverride(string url)
    {
        lock (_gate)
        {
            _overrides.Remove(url);
        }
    }

    /// <summary>Sets the bit of <paramref name="credential"/> in the status list, signed again (the credential stays listed).</summary>
    public void Revoke(JsonObject credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var index = int.Parse(credential["credentialStatus"]!["statusListIndex"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        lock (_gate)
        {
            _bits = _bits.Union(StatusListBits.CreateEmpty());
            _bits.Set(index);
            _statusList = SignList(_host.Time.GetUtcNow());
        }
    }

    /// <summary>The status list as served now.</summary>
    public JsonObject StatusList()
    {
        lock (_gate)
        {
            return _statusList.DeepClone().AsObject();
        }
    }

    /// <summary>
    /// Lists a service of <paramref name="category"/>, signed now, in the member's services collection (signed again now
    /// too: move the clock between two changes, since a collection signed in the same second is not newer).
    /// </summary>
    public void AddService(string slug, string category, string name)
    {
        lock (_gate)
        {
            var now = _host.Time.GetUtcNow();
            var entry = new HostedServiceEntry { Slug = slug, Name = name, Url = new Uri($"{Root}/{slug}-site"), Category = category, Published = now, Updated = now };
            _serviceEntries.Add(entry);
            _serviceDocuments[Address.ServiceId(slug).AbsoluteUri] = _documents.SignService(entry);
            _services = null;
        }
    }

    /// <summary>The actor as served: with <c>endorsements</c> and <c>issuedEndorsements</c>, signed by its own key (once: the same bytes at every fetch).</summary>
    public JsonObject ActorJson()
    {
        lock (_gate)
        {
            return (_actor ??= SignActor()).DeepClone().AsObject();
        }
    }

    private JsonObject SignActor()
    {
        var actor = _documents.SignActor(Profile);
        actor.Remove("proof");
        actor["endorsements"] = EndorsementsUrl;
        actor["issuedEndorsements"] = IssuedUrl;
        if (!IsChaton)
        {
            actor["type"] = "Application";
        }

        return _documents.Sign(actor);
    }

    /// <summary>Posts <paramref name="activity"/> to <paramref name="inbox"/>, HTTP-signed by this member; returns the status and the reason.</summary>
    public async Task<(int Status, string Reason)> DeliverAsync(string inbox, JsonObject activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var body = Encoding.UTF8.GetBytes(activity.ToJsonString());
        using var http = new HttpClient();
        using var message = new HttpRequestMessage(HttpMethod.Post, inbox) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue(LoopbackServer.ActivityJson);
        RequestSigner.Sign(message, body, _signingKey, HttpSignatureFlavour.Rfc9421, _host.Time.GetUtcNow());
        using var response = await http.SendAsync(message);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The <c>Add</c> announcing <paramref name="credential"/> (its id, to this member's <c>issuedEndorsements</c>).</summary>
    public JsonObject Add(JsonObject credential, string? target = null) => Activity("Add", credential["id"]!.GetValue<string>(), target ?? IssuedUrl);

    /// <summary>The <c>Update</c> of this member's status list (by id).</summary>
    public JsonObject UpdateStatusList() => Activity("Update", StatusListUrl, null);

    /// <summary>The signed <c>Delete</c> of this member's actor, sent when it leaves the network.</summary>
    public JsonObject DeleteActor() => _documents.SignDeleteActor().Json;

    private JsonObject Activity(string type, string objectId, string? target)
    {
        var activity = new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = $"{Root}/activities/{Guid.NewGuid():N}",
            ["type"] = type,
            ["actor"] = ActorId,
            ["object"] = objectId,
            ["to"] = new JsonArray("https://www.w3.org/ns/activitystreams#Public"),
        };
        if (target is not null)
        {
            activity["target"] = target;
        }

        return activity;
    }

    private JsonObject SignList(DateTimeOffset validFrom) =>
        MembershipCredentialBuilder.Signer(_key, Address.Ed25519KeyId, _host.Time).Sign(StatusListDocument.Build(StatusListUrl, ActorId, validFrom, _bits));

    /// <summary>The answer at <paramref name="url"/>, or null for 404.</summary>
    internal (int Status, string Json, string ContentType)? Answer(string url)
    {
        lock (_gate)
        {
            if (_overrides.TryGetValue(url, out var forced))
            {
                return (forced.Status, forced.Json, "application/ld+json");
            }

            return url switch
            {
                _ when url == ActorId => (200, (_actor ??= SignActor()).ToJsonString(), LoopbackServer.ActivityJson),
                _ when url == Address.Services.AbsoluteUri && IsChaton => (200, (_services ??= _documents.SignServices(_serviceEntries)).ToJsonString(), LoopbackServer.ActivityJson),
                _ when _serviceDocuments.TryGetValue(url, out var service) => (200, service.ToJsonString(), LoopbackServer.ActivityJson),
                _ when url == Address.Attestation.AbsoluteUri && IsChaton => (200, Attestation.ToJsonString(), LoopbackServer.ActivityJson),
                _ when url == IssuedUrl => (200, _issuedJson ??= Collection(IssuedUrl, _issued).ToJsonString(), LoopbackServer.ActivityJson),
                _ when url == EndorsementsUrl => (200, _heldJson ??= Collection(EndorsementsUrl, _held).ToJsonString(), LoopbackServer.ActivityJson),
                _ when url == StatusListUrl => (200, _statusList.ToJsonString(), "application/ld+json"),
                _ when _credentials.TryGetValue(url, out var credential) => (200, credential.ToJsonString(), "application/ld+json"),
                _ => null,
            };
        }
    }

    private JsonObject Collection(string id, List<JsonNode> items) => new()
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = id,
        ["type"] = "OrderedCollection",
        ["totalItems"] = items.Count,
        ["orderedItems"] = new JsonArray([.. items.Select(i => _listIds && i is JsonObject credential && credential["id"] is { } itemId ? JsonValue.Create(itemId.GetValue<string>()) : i.DeepClone())]),
    };
}
