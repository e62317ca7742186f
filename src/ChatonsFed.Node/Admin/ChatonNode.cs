using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatonsFed.Directory.Node;
using ChatonsFed.Directory.Text;
using ChatonsFed.Federation.Delivery;
using ChatonsFed.Hosting;
using ChatonsFed.Hosting.Endpoints;
using ChatonsFed.Hosting.Storage;
using ChatonsFed.Node.Documents;
using ChatonsFed.Node.Storage;

namespace ChatonsFed.Node.Admin;

/// <summary>
/// The owner's operations on the chaton: each change bumps <c>updated</c>, re-signs the documents concerned,
/// appends the activities to the outbox and queues their delivery to every follower, all in one LiteDB
/// transaction and without any network I/O (the delivery worker sends them).
/// </summary>
public sealed partial class ChatonNode : ISigningIdentity, IDisposable
{
    public const string DefaultCharterUrl = "https://chatons.org/fr/charte";
    public const string DefaultCharterVersion = "2016-v1";

    private static readonly string[] StructureTypes = ["ASSOCIATION", "INFORMAL", "COOPERATIVE", "MICROCOMPANY", "COMPANY", "INDIVIDUAL", "OTHER"];
    private static readonly string[] MembershipStatuses = ["ACTIVE", "IDLE", "AWAY"];
    private static readonly string[] Registrations = ["none", "free", "member", "client"];
    private static readonly string[] Capacities = ["open", "full"];
    private static readonly string[] ServiceStatuses = ["ok", "degraded", "down", "closed"];
    private static readonly string[] ServerTypes = ["NANO", "PHYSICAL", "VIRTUAL", "SHARED", "CLOUD"];
    private static readonly string[] ProviderTypes = ["HOME", "HOSTEDBAY", "HOSTEDSERVER", "OUTSOURCED"];

    private readonly string _keysFolder;
    private readonly TimeProvider _time;

    public ChatonNode(NodeStore store, HostKeys keys, NodeDocumentBuilder builder, string keysFolder, TimeProvider time)
    {
        Store = store;
        Keys = keys;
        Builder = builder;
        _keysFolder = keysFolder;
        _time = time;
    }

    public NodeStore Store { get; }

    public HostKeys Keys { get; private set; }

    public NodeDocumentBuilder Builder { get; }

    string ISigningIdentity.BaseUrl => Builder.Urls.BaseUrl;

    string ISigningIdentity.RsaKeyId => Builder.Urls.RsaKeyId;

    (DateTimeOffset Published, DateTimeOffset Updated) ISigningIdentity.ActorDates()
    {
        var profile = GetProfile();
        return (profile.Published, profile.Updated);
    }

    /// <summary>Known service category ids; an unknown one is accepted with a warning. Empty means no check.</summary>
    public IReadOnlySet<string> KnownCategories { get; init; } = NodeDocumentBuilder.Categories.Categories.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);

    /// <summary>Ids of the charter's required criteria, for <see cref="AttestationChanges.AllRequiredMet"/>.</summary>
    public IReadOnlyList<string> RequiredCriteria { get; init; } =
        [.. NodeDocumentBuilder.Criteria.Criteria.Where(c => c.Level == ChatonsFed.Directory.Node.CriterionLevel.Required).Select(c => c.Id)];

    /// <summary>Human labels of the charter criteria, shown on the profile page; an id without one is shown as is.</summary>
    public IReadOnlyDictionary<string, CriterionLabel> CriterionLabels { get; init; } =
        NodeDocumentBuilder.Criteria.Criteria.ToDictionary(c => c.Id, c => new CriterionLabel(c.LabelFr, c.LabelEn), StringComparer.Ordinal);

    /// <summary>Creates the records and documents of a new node in an empty store.</summary>
    public void Initialize(string handle, string name)
    {
        var now = Now();
        var profile = new ProfileRecord { Handle = handle, Name = name, Published = now, Updated = now };
        var attestation = new AttestationRecord { CharterUrl = DefaultCharterUrl, CharterVersion = DefaultCharterVersion, Published = now, Updated = now };
        Store.InTransaction(() =>
        {
            Store.Profiles.Upsert(profile);
            Store.Attestations.Upsert(attestation);
            SaveDocument(NodeUrls.ActorPath, Builder.Actor(profile, Keys), now);
            SaveServicesCollection(now);
            SaveDocument(NodeUrls.AttestationPath, Builder.Attestation(attestation, name, Keys), now);
        });
    }

    /// <summary>Creates a new admin credential, stores its hash and returns it (shown once).</summary>
    public string CreateAdminCredential()
    {
        var token = "cf_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        Store.AdminCredentials.Upsert(new AdminCredentialRecord { TokenHash = HashToken(token), Created = Now() });
        return token;
    }

    public static string HashToken(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public ProfileRecord GetProfile() => Store.Profile ?? throw new InvalidOperationException("the store holds no profile; was the data folder made by 'chatonsfed init'?");

    public IReadOnlyList<ServiceRecord> ListServices() =>
        [.. Store.Services.Find(s => s.Removed == null).OrderBy(s => s.Position).ThenBy(s => s.Id, StringComparer.Ordinal)];

    public AttestationRecord GetAttestation() => Store.Attestation ?? throw new InvalidOperationException("the store holds no attestation");

    public async Task<ChangeResult> SetProfileAsync(ProfileChanges changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var profile = GetProfile();
        EnsureActive(profile);
        Apply(profile, changes);
        return await PublishAsync(now =>
        {
            profile.Updated = Bump(profile.Updated, now);
            Store.Profiles.Upsert(profile);
            var actor = Builder.Actor(profile, Keys);
            SaveDocument(NodeUrls.ActorPath, actor, now);
            return [Builder.Update(actor, Keys), NoteActivity($"Profil mis à jour : {profile.Name}", Builder.Urls.Actor)];
        }, cancellationToken);
    }

    public async Task<ChangeResult> AddServiceAsync(ServiceChanges changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        EnsureActive(GetProfile());
        var warnings = new List<string>();
        var name = Required(changes.Name, "--name", "the service's name");
        var slug = changes.Slug is null ? Slugify(name) : CheckSlug(changes.Slug);
        var existing = Store.Services.FindById(slug);
        if (existing is not null && existing.Removed is null)
        {
            throw new NodeInputException($"a service with slug '{slug}' already exists; choose another with --slug, or use 'service update {slug}'");
        }

        var service = new ServiceRecord
        {
            Id = slug,
            Name = name,
            Category = Required(changes.Category, "--category", "a service category id such as collaborative-writing"),
            Url = CheckUrl(Required(changes.Url, "--url", "the address where people use the service"), "--url")!,
            Position = Store.Services.Count(),
        };
        Apply(service, changes, warnings);
        return await PublishAsync(now =>
        {
            service.Published = now;
            service.Updated = existing is null ? now : Bump(existing.Updated, now);
            Store.Services.Upsert(service);
            var document = Builder.Service(service, Keys);
            SaveDocument(NodeUrls.ServicePath(slug), document, now);
            SaveServicesCollection(now);
            return [Builder.Create(document, Keys), NoteActivity($"Nouveau service : {service.Name} ({service.Url})", service.Url)];
        }, cancellationToken, warnings, slug);
    }

    public async Task<ChangeResult> UpdateServiceAsync(string slug, ServiceChanges changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        EnsureActive(GetProfile());
        var service = FindService(slug);
        var warnings = new List<string>();
        if (changes.Name is not null)
        {
            service.Name = Required(changes.Name, "--name", "the service's name");
        }

        if (changes.Category is not null)
        {
            service.Category = Required(changes.Category, "--category", "a service category id");
        }

        if (changes.Url is not null)
        {
            service.Url = CheckUrl(changes.Url, "--url")!;
        }

        Apply(service, changes, warnings);
        return await PublishAsync(now =>
        {
            service.Updated = Bump(service.Updated, now);
            Store.Services.Upsert(service);
            var document = Builder.Service(service, Keys);
            SaveDocument(NodeUrls.ServicePath(service.Id), document, now);
            return [Builder.Update(document, Keys), NoteActivity($"Service mis à jour : {service.Name}", service.Url)];
        }, cancellationToken, warnings, service.Id);
    }

    public async Task<ChangeResult> RemoveServiceAsync(string slug, CancellationToken cancellationToken = default)
    {
        EnsureActive(GetProfile());
        var service = FindService(slug);
        return await PublishAsync(now =>
        {
            service.Removed = now;
            service.Updated = Bump(service.Updated, now);
            Store.Services.Upsert(service);
            var id = Builder.Urls.Service(service.Id);
            var tombstone = NodeDocumentBuilder.Tombstone(id, "HostedService", now);
            SaveDocument(NodeUrls.ServicePath(service.Id), tombstone, now, gone: true);
            SaveServicesCollection(now);
            return [Builder.DeleteService(service.Id, Keys), NoteActivity($"Service retiré : {service.Name}", null)];
        }, cancellationToken, [], service.Id);
    }

    public async Task<ChangeResult> SetAttestationAsync(AttestationChanges changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var profile = GetProfile();
        EnsureActive(profile);
        var attestation = GetAttestation();
        var criteria = attestation.Criteria.ToDictionary(c => c.Id, StringComparer.Ordinal);
        CriterionRecord Entry(string id)
        {
            var checkedId = CheckCriterionId(id);
            if (!criteria.TryGetValue(checkedId, out var entry))
            {
                entry = new CriterionRecord { Id = checkedId };
                criteria[checkedId] = entry;
                attestation.Criteria.Add(entry);
            }

            return entry;
        }

        if (changes.AllRequiredMet)
        {
            if (RequiredCriteria.Count == 0)
            {
                throw new NodeInputException("the charter's criteria list is not available; list the criteria with --met instead");
            }

            foreach (var id in RequiredCriteria)
            {
                Entry(id).Met = true;
            }
        }

        foreach (var id in changes.Met)
        {
            Entry(id).Met = true;
        }

        foreach (var id in changes.NotMet)
        {
            if (changes.Met.Contains(id, StringComparer.Ordinal))
            {
                throw new NodeInputException($"criterion '{id}' is given both as met and as not met; give it once");
            }

            Entry(id).Met = false;
        }

        foreach (var (id, note) in changes.Notes)
        {
            Entry(id).Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        }

        return await PublishAsync(now =>
        {
            attestation.Updated = Bump(attestation.Updated, now);
            Store.Attestations.Upsert(attestation);
            var document = Builder.Attestation(attestation, profile.Name, Keys);
            SaveDocument(NodeUrls.AttestationPath, document, now);
            var met = attestation.Criteria.Count(c => c.Met);
            return [Builder.Update(document, Keys), NoteActivity($"Déclaration sur la charte mise à jour : {met} critère(s) sur {attestation.Criteria.Count} rempli(s)", Builder.Urls.Attestation)];
        }, cancellationToken);
    }

    /// <summary>New key pairs published in the actor; the announcing Update is signed with the old keys.</summary>
    public async Task<ChangeResult> RotateKeysAsync(CancellationToken cancellationToken = default)
    {
        var profile = GetProfile();
        EnsureActive(profile);
        await Store.WriteLock.WaitAsync(cancellationToken);
        var old = Keys;
        try
        {
            var fresh = HostKeys.Rotate(_keysFolder, _time);
            var now = Now();
            profile.Updated = Bump(profile.Updated, now);
            var actor = Builder.Actor(profile, fresh);
            var update = Builder.Update(actor, old);
            var queued = 0;
            Store.InTransaction(() =>
            {
                Store.Profiles.Upsert(profile);
                SaveDocument(NodeUrls.ActorPath, actor, now);
                // The other documents are re-signed with the new key so that they verify against the published actor.
                foreach (var service in ListServices())
                {
                    SaveDocument(NodeUrls.ServicePath(service.Id), Builder.Service(service, fresh), now);
                }

                SaveDocument(NodeUrls.AttestationPath, Builder.Attestation(GetAttestation(), profile.Name, fresh), now);
                SaveServicesCollection(now, fresh);
                queued = Enqueue([update], now);
            });
            // The old keys are not disposed here: a delivery or a fetch may be signing with them at this moment.
            Keys = fresh;
            return new ChangeResult { DeliveriesQueued = queued, Activities = [update["id"]!.GetValue<string>()] };
        }
        finally
        {
            Store.WriteLock.Release();
        }
    }

    /// <summary>
    /// The chaton leaves the network: every document answers 410 Gone from now on, follows are refused, and followers
    /// get a signed <c>Delete</c> of the actor. The keys and the delivery queue stay, so that the Delete still goes out.
    /// </summary>
    public async Task<ChangeResult> LeaveAsync(CancellationToken cancellationToken = default)
    {
        var profile = GetProfile();
        EnsureActive(profile);
        return await PublishAsync(now =>
        {
            profile.Updated = Bump(profile.Updated, now);
            profile.Deleted = profile.Updated;
            Store.Profiles.Upsert(profile);
            return [Builder.DeleteActor(Keys)];
        }, cancellationToken);
    }

    public async Task BlockAsync(string domain, CancellationToken cancellationToken = default)
    {
        var name = CheckDomain(domain);
        await Store.WriteLock.WaitAsync(cancellationToken);
        try
        {
            Store.InTransaction(() =>
            {
                Store.BlockedDomains.Upsert(new BlockedDomainRecord { Id = name, Since = Now() });
                foreach (var follower in Store.Followers.FindAll().Where(f => IsInDomain(f.Id, name)).ToList())
                {
                    Store.Followers.Delete(follower.Id);
                }
            });
        }
        finally
        {
            Store.WriteLock.Release();
        }
    }

    public async Task<bool> UnblockAsync(string domain, CancellationToken cancellationToken = default)
    {
        var name = CheckDomain(domain);
        await Store.WriteLock.WaitAsync(cancellationToken);
        try
        {
            return Store.BlockedDomains.Delete(name);
        }
        finally
        {
            Store.WriteLock.Release();
        }
    }

    public IReadOnlyList<string> ListBlockedDomains() => [.. Store.BlockedDomains.FindAll().Select(b => b.Id).Order(StringComparer.Ordinal)];

    /// <summary>Whether an actor id's host is a blocked domain or under one.</summary>
    public bool IsBlocked(string actorId)
    {
        if (!Uri.TryCreate(actorId, UriKind.Absolute, out var uri))
        {
            return false;
        }

        var host = uri.IdnHost.ToLowerInvariant();
        for (var candidate = host; candidate.Length > 0;)
        {
            if (Store.BlockedDomains.FindById(candidate) is not null)
            {
                return true;
            }

            var dot = candidate.IndexOf('.', StringComparison.Ordinal);
            candidate = dot < 0 ? string.Empty : candidate[(dot + 1)..];
        }

        return false;
    }

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
    private void SaveServicesCollection(DateTimeOffset now, HostKeys? keys = null)
    {
        var created = Store.Documents.FindById(NodeUrls.ServicesPath) is { } previous ? Bump(previous.Modified, now) : now;
        SaveDocument(NodeUrls.ServicesPath, Builder.ServicesCollection(ListServices(), keys ?? Keys, created), created);
    }

    /// <summary>Queues <paramref name="activities"/> (already in the outbox) for every follower's inbox; returns the number of jobs.</summary>
    public int Enqueue(IReadOnlyList<JsonObject> activities, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(activities);
        var recipients = Store.Followers.FindAll()
            .Select(f => Uri.TryCreate(f.Inbox, UriKind.Absolute, out var inbox)
                ? new DeliveryRecipient(inbox, Uri.TryCreate(f.SharedInbox, UriKind.Absolute, out var shared) ? shared : null)
                : null)
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

    public void Dispose() => Keys.Dispose();

    private async Task<ChangeResult> PublishAsync(Func<DateTimeOffset, IReadOnlyList<JsonObject>> change, CancellationToken cancellationToken, IReadOnlyList<string>? warnings = null, string? slug = null)
    {
        await Store.WriteLock.WaitAsync(cancellationToken);
        try
        {
            var now = Now();
            IReadOnlyList<JsonObject> activities = [];
            var queued = 0;
            Store.InTransaction(() =>
            {
                activities = change(now);
                queued = Enqueue(activities, now);
            });
            return new ChangeResult
            {
                Warnings = warnings ?? [],
                Slug = slug,
                DeliveriesQueued = queued,
                Activities = [.. activities.Select(a => a["id"]!.GetValue<string>())],
            };
        }
        finally
        {
            Store.WriteLock.Release();
        }
    }

    private JsonObject NoteActivity(string text, string? link) => Builder.Create(Builder.Note(text, link, Keys), Keys);

    private DateTimeOffset Now()
    {
        var now = _time.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    /// <summary>The new <c>updated</c>: now, but always later than the previous value, since receivers refuse roll-backs.</summary>
    private static DateTimeOffset Bump(DateTimeOffset previous, DateTimeOffset now) => now > previous ? now : previous.AddSeconds(1);

    private static void EnsureActive(ProfileRecord profile)
    {
        if (profile.Deleted is not null)
        {
            throw new NodeInputException("this chaton has left the network; its documents can no longer change");
        }
    }

    private ServiceRecord FindService(string slug)
    {
        var service = Store.Services.FindById(slug ?? string.Empty);
        return service is null || service.Removed is not null
            ? throw new NodeInputException($"no service '{slug}'; 'chatonsfed service list' shows the slugs")
            : service;
    }

    private static void Apply(ProfileRecord profile, ProfileChanges changes)
    {
        if (changes.Name is not null)
        {
            profile.Name = Required(changes.Name, "--name", "the chaton's display name");
        }

        profile.Summary = Text(changes.Summary, profile.Summary);
        profile.Website = changes.Website is null ? profile.Website : CheckUrl(changes.Website, "--website");
        if (changes.Latitude is not null || changes.Longitude is not null)
        {
            var latitude = changes.Latitude ?? profile.Latitude;
            var longitude = changes.Longitude ?? profile.Longitude;
            if (latitude is null || longitude is null)
            {
                throw new NodeInputException("--latitude and --longitude go together; give both, e.g. --latitude 44.93 --longitude 4.89");
            }

            if (latitude is < -90 or > 90 || double.IsNaN(latitude.Value))
            {
                throw new NodeInputException($"--latitude {latitude.Value.ToString(CultureInfo.InvariantCulture)} is out of range; use a value from -90 to 90");
            }

            if (longitude is < -180 or > 180 || double.IsNaN(longitude.Value))
            {
                throw new NodeInputException($"--longitude {longitude.Value.ToString(CultureInfo.InvariantCulture)} is out of range; use a value from -180 to 180");
            }

            profile.Latitude = latitude;
            profile.Longitude = longitude;
        }

        profile.PlaceName = Text(changes.PlaceName, profile.PlaceName);
        profile.StructureType = changes.StructureType is null ? profile.StructureType : OneOf(changes.StructureType.ToUpperInvariant(), StructureTypes, "--structure-type");
        profile.Country = changes.Country is null ? profile.Country : CheckCountry(changes.Country, "--country");

        profile.MembershipStatus = changes.MembershipStatus is null ? profile.MembershipStatus : OneOf(changes.MembershipStatus.ToUpperInvariant(), MembershipStatuses, "--membership-status");
        profile.MemberSince = changes.MemberSince is null ? profile.MemberSince : CheckDate(changes.MemberSince, "--member-since");
        profile.MemberUntil = changes.MemberUntil is null ? profile.MemberUntil : CheckDate(changes.MemberUntil, "--member-until");
        profile.Contact = changes.Contact is null ? profile.Contact : CheckContact(changes.Contact);
        profile.LegalNotice = changes.LegalNotice is null ? profile.LegalNotice : CheckUrl(changes.LegalNotice, "--legal-notice");
        profile.Icon = changes.Icon is null ? profile.Icon : CheckUrl(changes.Icon, "--icon");
    }

    private void Apply(ServiceRecord service, ServiceChanges changes, List<string> warnings)
    {
        if (!CategoryPattern().IsMatch(service.Category))
        {
            throw new NodeInputException($"--category '{service.Category}' is not a category id; use lower-case words joined by '-', e.g. collaborative-writing");
        }

        if (KnownCategories.Count > 0 && !KnownCategories.Contains(service.Category))
        {
            warnings.Add($"category '{service.Category}' is not in the shared list; it is kept, and aggregators show it as 'other'");
        }

        service.Summary = Text(changes.Summary, service.Summary);
        service.Software = Text(changes.Software, service.Software);
        service.SoftwareVersion = Text(changes.SoftwareVersion, service.SoftwareVersion);
        service.License = Text(changes.License, service.License);
        service.SourceCode = changes.SourceCode is null ? service.SourceCode : CheckUrl(changes.SourceCode, "--source-code");
        service.Registration = changes.Registration is null ? service.Registration : OneOf(changes.Registration.ToLowerInvariant(), Registrations, "--registration");
        service.Capacity = changes.Capacity is null ? service.Capacity : OneOf(changes.Capacity.ToLowerInvariant(), Capacities, "--capacity");
        service.Status = changes.Status is null ? service.Status : OneOf(changes.Status.ToLowerInvariant(), ServiceStatuses, "--status");
        service.ServerType = changes.ServerType is null ? service.ServerType : OneOf(changes.ServerType.ToUpperInvariant(), ServerTypes, "--server-type");
        service.ProviderType = changes.ProviderType is null ? service.ProviderType : OneOf(changes.ProviderType.ToUpperInvariant(), ProviderTypes, "--provider-type");
        service.HostCountry = changes.HostCountry is null ? service.HostCountry : CheckCountry(changes.HostCountry, "--host-country");
        if (service.License is not null && !HostedServiceEntry.IsLicenseExpression(service.License))
        {
            throw new NodeInputException($"--license '{service.License}' is not an SPDX licence id or expression; use e.g. AGPL-3.0-or-later or MIT OR Apache-2.0");
        }

        if ((service.SoftwareVersion is not null || service.License is not null || service.SourceCode is not null) && service.Software is null)
        {
            throw new NodeInputException("--software-version, --license and --source-code describe the software; give its name with --software too");
        }
    }

    private static string Required(string? value, string option, string what) =>
        string.IsNullOrWhiteSpace(value) ? throw new NodeInputException($"{option} is required: {what}") : value.Trim();

    private static string? Text(string? value, string? current) =>
        value is null ? current : value.Trim().Length == 0 ? null : value.Trim();

    private static string? OneOf(string value, string[] allowed, string option) =>
        value.Length == 0 ? null
        : allowed.Contains(value, StringComparer.Ordinal) ? value
        : throw new NodeInputException($"{option} '{value}' is not one of {string.Join(", ", allowed)}");

    private static string? CheckUrl(string value, string option)
    {
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            return null;
        }

        return Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri.AbsoluteUri
            : throw new NodeInputException($"{option} '{value}' is not an http(s) URL; use e.g. https://chaton.example/");
    }

    private static string? CheckCountry(string value, string option)
    {
        var country = value.Trim().ToUpperInvariant();
        return country.Length == 0 ? null
            : CountryCodes.IsAssigned(country) ? country
            : throw new NodeInputException($"{option} '{value}' is not an ISO 3166-1 alpha-2 code; use two letters such as FR or BE");
    }

    private static string? CheckContact(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            return trimmed.Contains('@', StringComparison.Ordinal) ? trimmed
                : throw new NodeInputException($"--contact '{value}' is not a mailto: address; use e.g. mailto:contact@chaton.example");
        }

        if (trimmed.Contains('@', StringComparison.Ordinal) && !trimmed.Contains('/', StringComparison.Ordinal))
        {
            return "mailto:" + trimmed;
        }

        return CheckUrl(trimmed, "--contact");
    }

    private static string? CheckDate(string value, string option) =>
        value.Trim().Length == 0 ? null
        : DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : throw new NodeInputException($"{option} '{value}' is not a date; use YYYY-MM-DD, e.g. 2020-01-01");

    private static string CheckSlug(string slug) =>
        SlugPattern().IsMatch(slug) ? slug : throw new NodeInputException($"--slug '{slug}' is not a slug; use lower-case letters, digits and '-', e.g. pad");

    private string CheckCriterionId(string id) =>
        !CriterionPattern().IsMatch(id)
            ? throw new NodeInputException($"'{id}' is not a criterion id; use the ids of the charter criteria list, e.g. open.free-software")
            : CriterionLabels.Count > 0 && !CriterionLabels.ContainsKey(id)
                ? throw new NodeInputException($"'{id}' is not in the charter criteria list; known ids: {string.Join(", ", CriterionLabels.Keys)}")
                : id;

    private static string CheckDomain(string domain)
    {
        var name = (domain ?? string.Empty).Trim().TrimEnd('.').ToLowerInvariant();
        return Uri.CheckHostName(name) is UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6 && !name.Contains('/', StringComparison.Ordinal)
            ? name
            : throw new NodeInputException($"'{domain}' is not a domain name; give a host such as spam.example");
    }

    private static bool IsInDomain(string actorId, string domain) =>
        Uri.TryCreate(actorId, UriKind.Absolute, out var uri)
        && (uri.IdnHost.Equals(domain, StringComparison.OrdinalIgnoreCase) || uri.IdnHost.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase));

    private string Slugify(string name)
    {
        // Accents are folded by the directory's table (string.Normalize does nothing under InvariantGlobalization).
        var builder = new StringBuilder();
        foreach (var c in TextFolding.Fold(name))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(c);
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        var slug = builder.ToString().Trim('-');
        if (slug.Length == 0)
        {
            slug = "service";
        }

        if (slug.Length > 48)
        {
            slug = slug[..48].TrimEnd('-');
        }

        var candidate = slug;
        for (var n = 2; Store.Services.FindById(candidate) is { Removed: null }; n++)
        {
            candidate = $"{slug}-{n}";
        }

        return candidate;
    }

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex CategoryPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{0,127}$")]
    private static partial Regex CriterionPattern();
}
