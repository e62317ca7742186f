using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Proofs;
using ChatonsFed.Protocol.Vocabulary;
using ChatonsFed.Server.Hosting;
using ChatonsFed.Server.Storage;

namespace ChatonsFed.Server.Documents;

/// <summary>Builds the node's documents and activities from its records, each signed with the actor's Ed25519 key.</summary>
public sealed class NodeDocumentBuilder(NodeUrls urls, TimeProvider time)
{
    public const string PublicAudience = "https://www.w3.org/ns/activitystreams#Public";

    public NodeUrls Urls { get; } = urls;

    public static string FormatInstant(DateTimeOffset instant) => ProofSigner.FormatCreated(instant);

    public JsonObject Sign(JsonObject document, NodeKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return new ProofSigner(keys.Ed25519, Urls.Ed25519KeyId, time).Sign(document);
    }

    public JsonObject Actor(ProfileRecord profile, NodeKeys keys)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(keys);
        var actor = new JsonObject
        {
            ["@context"] = ChatonsContext.ToJsonNode(),
            ["id"] = Urls.Actor,
            ["type"] = "Organization",
            ["preferredUsername"] = profile.Handle,
            ["name"] = profile.Name,
            ["summary"] = Paragraph(profile.Summary ?? profile.Name),
        };
        if (profile.Website is not null)
        {
            actor["url"] = profile.Website;
        }

        actor["inbox"] = Urls.Inbox;
        actor["outbox"] = Urls.Outbox;
        actor["followers"] = Urls.Followers;
        actor["following"] = Urls.Following;
        actor["endpoints"] = new JsonObject { ["sharedInbox"] = Urls.SharedInbox };
        actor["manuallyApprovesFollowers"] = false;
        actor["discoverable"] = true;
        actor["indexable"] = true;
        actor["published"] = FormatInstant(profile.Published);
        actor["updated"] = FormatInstant(profile.Updated);
        actor["publicKey"] = new JsonObject
        {
            ["id"] = Urls.RsaKeyId,
            ["owner"] = Urls.Actor,
            ["publicKeyPem"] = keys.Rsa.PublicKey.ToPem(),
        };
        actor["assertionMethod"] = new JsonArray(new JsonObject
        {
            ["id"] = Urls.Ed25519KeyId,
            ["type"] = "Multikey",
            ["controller"] = Urls.Actor,
            ["publicKeyMultibase"] = keys.Ed25519.PublicKey.ToMultibase(),
        });
        SetIfPresent(actor, "structureType", profile.StructureType);
        if (profile.MembershipStatus is not null)
        {
            var membership = new JsonObject { ["status"] = profile.MembershipStatus };
            SetIfPresent(membership, "since", profile.MemberSince);
            SetIfPresent(membership, "until", profile.MemberUntil);
            actor["membership"] = membership;
        }

        SetIfPresent(actor, "country", profile.Country);
        actor["services"] = Urls.Services;
        actor["charterAttestation"] = Urls.Attestation;
        SetIfPresent(actor, "contact", profile.Contact);
        SetIfPresent(actor, "legalNotice", profile.LegalNotice);
        if (profile.Latitude is double latitude && profile.Longitude is double longitude)
        {
            var place = new JsonObject { ["type"] = "Place" };
            SetIfPresent(place, "name", profile.PlaceName);
            place["latitude"] = latitude;
            place["longitude"] = longitude;
            actor["location"] = place;
        }

        if (profile.Icon is not null)
        {
            actor["icon"] = new JsonObject { ["type"] = "Image", ["url"] = profile.Icon };
        }

        var attachments = new JsonArray();
        if (profile.Website is not null)
        {
            attachments.Add(PropertyValue("Site web", profile.Website));
        }

        if (profile.Contact is not null)
        {
            attachments.Add(PropertyValue("Contact", profile.Contact));
        }

        attachments.Add(PropertyValue("Services", Urls.Actor));
        actor["attachment"] = attachments;
        return Sign(actor, keys);
    }

    public JsonObject Service(ServiceRecord service, NodeKeys keys)
    {
        ArgumentNullException.ThrowIfNull(service);
        var document = new JsonObject
        {
            ["@context"] = ChatonsContext.ToJsonNode(),
            ["id"] = Urls.Service(service.Id),
            ["type"] = new JsonArray("Object", ChatonsTypes.HostedService),
            ["attributedTo"] = Urls.Actor,
            ["name"] = service.Name,
        };
        SetIfPresent(document, "summary", service.Summary);
        document["url"] = service.Url;
        document["category"] = service.Category;
        if (service.Software is not null)
        {
            var software = new JsonObject { ["name"] = service.Software };
            SetIfPresent(software, "version", service.SoftwareVersion);
            SetIfPresent(software, "license", service.License);
            SetIfPresent(software, "sourceCode", service.SourceCode);
            document["software"] = software;
        }

        SetIfPresent(document, "registration", service.Registration);
        SetIfPresent(document, "capacity", service.Capacity);
        SetIfPresent(document, "status", service.Status);
        document["published"] = FormatInstant(service.Published);
        document["updated"] = FormatInstant(service.Updated);
        return Sign(document, keys);
    }

    public JsonObject ServicesCollection(IReadOnlyList<ServiceRecord> services) => new()
    {
        ["@context"] = ChatonsContext.ActivityStreams,
        ["id"] = Urls.Services,
        ["type"] = "OrderedCollection",
        ["attributedTo"] = Urls.Actor,
        ["totalItems"] = services.Count,
        ["orderedItems"] = new JsonArray([.. services.Select(s => (JsonNode)JsonValue.Create(Urls.Service(s.Id))!)]),
    };

    public JsonObject Attestation(AttestationRecord attestation, string chatonName, NodeKeys keys)
    {
        ArgumentNullException.ThrowIfNull(attestation);
        var charter = new JsonObject { ["url"] = attestation.CharterUrl, ["version"] = attestation.CharterVersion };
        SetIfPresent(charter, "digest", attestation.CharterDigest);
        var criteria = new JsonArray();
        foreach (var criterion in attestation.Criteria)
        {
            var entry = new JsonObject { ["id"] = criterion.Id, ["met"] = criterion.Met };
            SetIfPresent(entry, "note", criterion.Note);
            criteria.Add(entry);
        }

        var document = new JsonObject
        {
            ["@context"] = ChatonsContext.ToJsonNode(),
            ["id"] = Urls.Attestation,
            ["type"] = new JsonArray("Document", ChatonsTypes.CharterAttestation),
            ["attributedTo"] = Urls.Actor,
            ["name"] = $"Déclaration de {chatonName} sur la charte CHATONS",
            ["charter"] = charter,
            ["criteria"] = criteria,
            ["published"] = FormatInstant(attestation.Published),
            ["updated"] = FormatInstant(attestation.Updated),
        };
        return Sign(document, keys);
    }

    public static JsonObject Tombstone(string id, string formerType, DateTimeOffset deleted) => new()
    {
        ["@context"] = ChatonsContext.ActivityStreams,
        ["id"] = id,
        ["type"] = "Tombstone",
        ["formerType"] = formerType,
        ["deleted"] = FormatInstant(deleted),
    };

    /// <summary>An activity by the actor about <paramref name="obj"/>, addressed to the public and the followers, signed.</summary>
    public JsonObject Activity(string type, JsonNode obj, NodeKeys keys, Guid? id = null)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var objectNode = obj.DeepClone();
        if (objectNode is JsonObject embedded)
        {
            // The embedded object keeps its own proof; its @context is the activity's.
            embedded.Remove("@context");
        }

        var activity = new JsonObject
        {
            ["@context"] = ChatonsContext.ToJsonNode(),
            ["id"] = Urls.Activity(id ?? Guid.NewGuid()),
            ["type"] = type,
            ["actor"] = Urls.Actor,
            ["published"] = FormatInstant(time.GetUtcNow()),
            ["to"] = new JsonArray(PublicAudience),
            ["cc"] = new JsonArray(Urls.Followers),
            ["object"] = objectNode,
        };
        return Sign(activity, keys);
    }

    /// <summary>A reply to a follow request (Accept or Reject), addressed to the requester only.</summary>
    public JsonObject FollowReply(string type, JsonNode follow, string follower, NodeKeys keys)
    {
        ArgumentNullException.ThrowIfNull(follow);
        var activity = new JsonObject
        {
            ["@context"] = ChatonsContext.ToJsonNode(),
            ["id"] = Urls.Activity(Guid.NewGuid()),
            ["type"] = type,
            ["actor"] = Urls.Actor,
            ["to"] = new JsonArray(follower),
            ["object"] = follow.DeepClone(),
        };
        return Sign(activity, keys);
    }

    /// <summary>A short human-readable note for fediverse followers, e.g. "New service: Pad".</summary>
    public JsonObject Note(string text, string? link)
    {
        var html = Paragraph(text);
        if (link is not null)
        {
            html += $"<p><a href=\"{WebUtility.HtmlEncode(link)}\">{WebUtility.HtmlEncode(link)}</a></p>";
        }

        return new JsonObject
        {
            ["id"] = Urls.Note(Guid.NewGuid()),
            ["type"] = "Note",
            ["attributedTo"] = Urls.Actor,
            ["content"] = html,
            ["published"] = FormatInstant(time.GetUtcNow()),
            ["to"] = new JsonArray(PublicAudience),
            ["cc"] = new JsonArray(Urls.Followers),
        };
    }

    private static JsonObject PropertyValue(string name, string value)
    {
        var shown = value.StartsWith("http", StringComparison.Ordinal)
            ? $"<a href=\"{WebUtility.HtmlEncode(value)}\" rel=\"me nofollow noopener\" target=\"_blank\">{WebUtility.HtmlEncode(value)}</a>"
            : WebUtility.HtmlEncode(value);
        return new JsonObject { ["type"] = "PropertyValue", ["name"] = name, ["value"] = shown };
    }

    private static string Paragraph(string text) => "<p>" + WebUtility.HtmlEncode(text) + "</p>";

    private static void SetIfPresent(JsonObject target, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            target[name] = value;
        }
    }

    internal static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
