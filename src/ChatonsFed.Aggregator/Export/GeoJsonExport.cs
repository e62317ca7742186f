using System.Buffers;
using System.Text.Json.Nodes;
using ChatonsFed.Aggregator.Api;
using ChatonsFed.Aggregator.Listing;
using ChatonsFed.Directory.Node;

namespace ChatonsFed.Aggregator.Export;

/// <summary>
/// The directory as a GeoJSON (RFC 7946) <c>FeatureCollection</c>: one <c>Feature</c> per chaton, <c>id</c> its actor id,
/// a <c>Point</c> [longitude, latitude] or a null geometry, and its directory fields as properties. Features are ordered
/// by actor id and written in JSON canonical form (RFC 8785), so that the same listings give the same bytes anywhere.
/// </summary>
public static class GeoJsonExport
{
    /// <param name="admission">This aggregator's view of each chaton's membership (<c>admission_status</c>, <c>admission_endorsements</c>); left out without it.</param>
    public static void Write(Stream output, IEnumerable<ChatonListing> listings, CharterCriteriaCatalog? criteria = null, Func<string, EntryAdmission?>? admission = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(listings);
        criteria ??= CharterCriteriaCatalog.LoadDefault();
        var buffer = new ArrayBufferWriter<byte>();
        ExportFormat.WriteAscii(output, "{\"features\":[");
        var first = true;
        foreach (var listing in listings.OrderBy(l => l.ActorId, StringComparer.Ordinal))
        {
            if (!first)
            {
                output.WriteByte((byte)',');
            }

            ExportFormat.WriteCanonical(output, Feature(listing, criteria, admission?.Invoke(listing.ActorId)), buffer);
            first = false;
        }

        ExportFormat.WriteAscii(output, "],\"type\":\"FeatureCollection\"}");
    }

    internal static JsonObject Feature(ChatonListing listing, CharterCriteriaCatalog criteria, EntryAdmission? admission = null)
    {
        var services = listing.Services.OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
        var properties = new JsonObject();
        Add(properties, "name", listing.Name);
        Add(properties, "preferredUsername", listing.PreferredUsername);
        Add(properties, "summary", listing.Summary.Length > 0 ? listing.Summary : null);
        Add(properties, "url", listing.Website);
        Add(properties, "structureType", listing.StructureType);
        Add(properties, "membershipStatus", listing.MembershipStatus);
        Add(properties, "memberSince", listing.MemberSince is { } since ? ExportFormat.Date(since) : null);
        Add(properties, "memberUntil", listing.MemberUntil is { } until ? ExportFormat.Date(until) : null);
        Add(properties, "country", listing.Country);
        Add(properties, "placeName", listing.Location?.Name);
        Add(properties, "contact", listing.Contact);
        Add(properties, "icon", listing.Icon);
        properties["serviceCategories"] = Sorted(services.Select(s => s.Category));
        properties["software"] = Sorted(services.Select(s => s.SoftwareName));
        properties["openToNewAccounts"] = services.Any(s => s.OpenToNewAccounts);
        properties["declaresAllRequiredCriteria"] = listing.DeclaresAllRequiredCriteria(criteria);
        Add(properties, "charterVersion", listing.Attestation?.CharterVersion);
        Add(properties, "updated", listing.LastUpdated is { } updated ? ExportFormat.Instant(updated) : null);
        properties["services"] = new JsonArray([.. services.Select(Service)]);
        if (admission is not null)
        {
            properties["admission_status"] = admission.Status;
            properties["admission_endorsements"] = admission.Endorsements;
        }

        return new JsonObject
        {
            ["type"] = "Feature",
            ["id"] = listing.ActorId,
            ["geometry"] = listing.Location is { } place
                ? new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(place.Longitude, place.Latitude) }
                : null,
            ["properties"] = properties,
        };
    }

    private static JsonObject Service(ServiceListing service)
    {
        var json = new JsonObject { ["id"] = service.Id, ["name"] = service.Name };
        Add(json, "url", service.Url);
        Add(json, "category", service.Category);
        Add(json, "software", service.SoftwareName);
        Add(json, "softwareVersion", service.SoftwareVersion);
        Add(json, "license", service.License);
        Add(json, "registration", service.Registration);
        Add(json, "capacity", service.Capacity);
        Add(json, "status", service.Status);
        return json;
    }

    private static JsonArray Sorted(IEnumerable<string?> values) =>
        new([.. values.OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(v => (JsonNode)v)]);

    private static void Add(JsonObject json, string name, string? value)
    {
        if (value is not null)
        {
            json[name] = value;
        }
    }
}
