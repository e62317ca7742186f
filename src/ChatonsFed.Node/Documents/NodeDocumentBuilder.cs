using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Directory.Node;
using ChatonsFed.Hosting;
using ChatonsFed.Node.Storage;
using ChatonsFed.Protocol.Membership;
using ChatonsFed.Protocol.Proofs;
using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Node.Documents;

/// <summary>
/// Turns the node's stored records into the directory domain and has <see cref="NodeDocuments"/> build and
/// sign the wire documents and activities, with whichever keys are current (they change on rotation).
/// </summary>
public sealed class NodeDocumentBuilder(NodeUrls urls, string handle, TimeProvider time)
{
    private static readonly Lazy<string> DefaultCharterDigest = new(ComputeDefaultCharterDigest);

    public NodeUrls Urls { get; } = urls;

    public NodeAddress Address { get; } = new(new Uri(urls.BaseUrl + "/"), handle);

    public static CharterCriteriaCatalog Criteria => CharterCriteriaCatalog.LoadDefault();

    public static ServiceCategoryCatalog Categories => ServiceCategoryCatalog.LoadDefault();

    /// <summary>The digest an attestation carries when the owner gave none: SHA-256 of the criteria list it answers.</summary>
    public static string CharterDigest => DefaultCharterDigest.Value;

    public static string FormatInstant(DateTimeOffset instant) => ProofSigner.FormatCreated(instant);

    public JsonObject Actor(ProfileRecord profile, HostKeys keys) => Documents(keys).SignActor(ToDomain(profile));

    public JsonObject Service(ServiceRecord service, HostKeys keys) => Documents(keys).SignService(ToDomain(service));

    /// <summary>The services collection signed at <paramref name="created"/>, its version.</summary>
    public JsonObject ServicesCollection(IReadOnlyList<ServiceRecord> services, HostKeys keys, DateTimeOffset created) =>
        Documents(keys).SignServices(services.Select(ToDomain), created);

    public JsonObject Attestation(AttestationRecord attestation, string chatonName, HostKeys keys) =>
        Documents(keys).SignAttestation(ToDomain(attestation), chatonName);

    /// <summary>The document served at a removed object's URL (410 Gone).</summary>
    public static JsonObject Tombstone(string id, string formerType, DateTimeOffset deleted) => new()
    {
        ["@context"] = ChatonsContext.ActivityStreams,
        ["id"] = id,
        ["type"] = "Tombstone",
        ["formerType"] = formerType,
        ["deleted"] = FormatInstant(deleted),
    };

    public JsonObject Create(JsonObject signedObject, HostKeys keys) => Documents(keys).SignCreate(signedObject).Json;

    public JsonObject Update(JsonObject signedObject, HostKeys keys) => Documents(keys).SignUpdate(signedObject).Json;

    public JsonObject DeleteService(string slug, HostKeys keys) => Documents(keys).SignDeleteService(slug).Json;

    public JsonObject DeleteActor(HostKeys keys) => Documents(keys).SignDeleteActor().Json;

    /// <summary>
    /// A membership credential or revocation list signed at <paramref name="created"/>, its proof without a
    /// <c>@context</c> of its own (the credentials context is not one every verifier can load).
    /// </summary>
    public JsonObject SignMembership(JsonObject document, HostKeys keys, DateTimeOffset created)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return MembershipCredentialBuilder.Signer(keys.Ed25519, Urls.Ed25519KeyId, time).Sign(document, created);
    }

    /// <summary>The <c>Add</c> that announces an issued credential to its subject and the followers.</summary>
    public JsonObject AddCredential(JsonObject signedCredential, HostKeys keys) => Documents(keys).SignAddCredential(signedCredential).Json;

    /// <summary>The <c>Update</c> that says the revocation list changed, for <paramref name="subjects"/> and the followers.</summary>
    public JsonObject UpdateStatusList(JsonObject signedList, IEnumerable<string> subjects, HostKeys keys) => Documents(keys).SignUpdateStatusList(signedList, subjects).Json;

    /// <summary>A reply to a follow request (Accept or Reject) that carries the Follow as received.</summary>
    public JsonObject FollowReply(bool accept, JsonNode follow, string follower, HostKeys keys)
    {
        ArgumentNullException.ThrowIfNull(follow);
        var documents = Documents(keys);
        SignedActivity reply = follow switch
        {
            JsonObject received when accept => documents.SignAccept(received),
            JsonObject received => documents.SignReject(received),
            _ when accept => documents.SignAccept(follow.GetValue<string>(), follower),
            _ => documents.SignReject(follow.GetValue<string>(), follower),
        };
        return reply.Json;
    }

    /// <summary>A short signed note in French for fediverse followers, e.g. "Nouveau service : Pad".</summary>
    public JsonObject Note(string text, string? link, HostKeys keys)
    {
        Uri? target = link is not null && Uri.TryCreate(link, UriKind.Absolute, out var parsed) ? parsed : null;
        // The note id is derived from its content and time, so two identical texts at different times stay distinct.
        var key = text + "|" + FormatInstant(time.GetUtcNow());
        return Documents(keys).SignNote(text, target, key);
    }

    public static ChatonProfile ToDomain(ProfileRecord profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return new ChatonProfile
        {
            Name = profile.Name,
            Summary = profile.Summary ?? string.Empty,
            Website = AbsoluteUri(profile.Website),
            StructureType = profile.StructureType is null ? StructureType.Other : WireNames.Parse<StructureType>(profile.StructureType),
            Membership = profile.MembershipStatus is null
                ? null
                : new ChatonsFed.Directory.Node.Membership(WireNames.Parse<MembershipStatus>(profile.MembershipStatus), Date(profile.MemberSince), Date(profile.MemberUntil)),
            Country = profile.Country,
            Location = profile.Latitude is double latitude && profile.Longitude is double longitude
                ? new GeoLocation(profile.PlaceName, latitude, longitude)
                : null,
            Contact = profile.Contact,
            LegalNotice = AbsoluteUri(profile.LegalNotice),
            Icon = AbsoluteUri(profile.Icon),
            Published = profile.Published,
            Updated = profile.Updated,
        };
    }

    public static HostedServiceEntry ToDomain(ServiceRecord service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return new HostedServiceEntry
        {
            Slug = service.Id,
            Name = service.Name,
            Summary = service.Summary ?? string.Empty,
            Url = new Uri(service.Url, UriKind.Absolute),
            Category = service.Category,
            Software = service.Software is null
                ? null
                : new ServiceSoftwareInfo(service.Software, service.SoftwareVersion, service.License, AbsoluteUri(service.SourceCode)),
            Registration = service.Registration is null ? Registration.Free : WireNames.Parse<Registration>(service.Registration),
            Capacity = service.Capacity is null ? Capacity.Open : WireNames.Parse<Capacity>(service.Capacity),
            Status = service.Status is null ? ServiceStatus.Ok : WireNames.Parse<ServiceStatus>(service.Status),
            Hosting = service.ServerType is null && service.ProviderType is null && service.HostCountry is null
                ? null
                : new ServiceHostingInfo(service.ServerType, service.ProviderType, service.HostCountry),
            Published = service.Published,
            Updated = service.Updated,
        };
    }

    /// <summary>The declaration answers every criterion of the list; one the owner has not answered counts as not met.</summary>
    public static CharterDeclaration ToDomain(AttestationRecord attestation)
    {
        ArgumentNullException.ThrowIfNull(attestation);
        var answers = attestation.Criteria.ToDictionary(c => c.Id, StringComparer.Ordinal);
        return new CharterDeclaration
        {
            Charter = new CharterReference(
                new Uri(attestation.CharterUrl, UriKind.Absolute),
                attestation.CharterVersion,
                string.IsNullOrEmpty(attestation.CharterDigest) ? CharterDigest : attestation.CharterDigest),
            Criteria = [.. Criteria.Criteria.Select(c => answers.TryGetValue(c.Id, out var answer)
                ? new CriterionAnswer(c.Id, answer.Met, answer.Note)
                : new CriterionAnswer(c.Id, false))],
            Published = attestation.Published,
            Updated = attestation.Updated,
        };
    }

    private NodeDocuments Documents(HostKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return new NodeDocuments(Address, keys.Ed25519, keys.Rsa.PublicKey.ToPem(), time, Criteria);
    }

    private static Uri? AbsoluteUri(string? value) =>
        value is not null && Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : null;

    private static DateOnly? Date(string? value) =>
        value is null ? null : DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string ComputeDefaultCharterDigest()
    {
        var text = new StringBuilder();
        var charter = Criteria.Charter;
        text.Append(charter.Id).Append('\n').Append(charter.Version).Append('\n');
        foreach (var criterion in Criteria.Criteria)
        {
            text.Append(criterion.Id).Append('\t').Append(criterion.Level).Append('\t').Append(criterion.LabelFr).Append('\n');
        }

        return "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
