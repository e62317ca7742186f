using System.Globalization;
using ChatonsFed.Aggregator.Listing;
using ChatonsFed.Directory.Node;

namespace ChatonsFed.Aggregator.Tests;

/// <summary>Listings made directly, for index tests that need many chatons and exact values.</summary>
internal static class Listings
{
    public static ChatonListing Chaton(int number, double? latitude = null, double? longitude = null, string? name = null, params ServiceListing[] services) => new()
    {
        ActorId = $"https://c{number.ToString("D5", CultureInfo.InvariantCulture)}.example/actor",
        Name = name ?? $"Chaton {number}",
        StructureType = "ASSOCIATION",
        MembershipStatus = "ACTIVE",
        Country = "FR",
        Location = latitude is { } lat && longitude is { } lon ? new PlaceListing(null, lat, lon) : null,
        ActorUpdated = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(number),
        Services = services,
    };

    public static ServiceListing Service(string id, string category, string? software = null, string registration = "free", string capacity = "open", string name = "Service") => new()
    {
        Id = id,
        Name = name,
        Category = category,
        SoftwareName = software,
        Registration = registration,
        Capacity = capacity,
        Status = "ok",
    };

    public static AttestationListing AllMet(string id) => new()
    {
        Id = id,
        Met = [.. CharterCriteriaCatalog.LoadDefault().Criteria.Select(c => c.Id)],
    };

    public static AttestationListing RequiredOnly(string id, bool missOne) => new()
    {
        Id = id,
        Met = [.. CharterCriteriaCatalog.LoadDefault().Criteria.Where(c => c.Level == CriterionLevel.Required).Skip(missOne ? 1 : 0).Select(c => c.Id)],
    };
}
