using System.Globalization;
using ChatonsFed.Aggregator.Listing;
using ChatonsFed.Directory.Node;

namespace ChatonsFed.Benchmarks;

/// <summary>Reproducible made-up chatons spread over metropolitan France, five services each, for the aggregator benchmarks.</summary>
internal static class SyntheticChatons
{
    public const double South = 42.3;
    public const double North = 51.1;
    public const double West = -4.8;
    public const double East = 8.2;

    private static readonly string[] Registrations = ["none", "free", "member", "client"];
    private static readonly string[] Structures = ["ASSOCIATION", "INFORMAL", "COOPERATIVE", "MICROCOMPANY", "INDIVIDUAL"];

    public static ChatonListing[] Listings(int count, int seed = 42)
    {
        var random = new Random(seed);
        var categories = ServiceCategoryCatalog.LoadDefault().Categories;
        var all = CharterCriteriaCatalog.LoadDefault().Criteria.Select(c => c.Id).ToArray();
        var listings = new ChatonListing[count];
        for (var i = 0; i < count; i++)
        {
            var number = i.ToString("D5", CultureInfo.InvariantCulture);
            var actorId = $"https://chaton-{number}.example/actor";
            var services = new ServiceListing[5];
            for (var s = 0; s < services.Length; s++)
            {
                var category = categories[random.Next(categories.Count)];
                var software = category.Software.Count > 0 ? category.Software[random.Next(category.Software.Count)] : null;
                services[s] = new ServiceListing
                {
                    Id = $"https://chaton-{number}.example/services/s{s}",
                    Name = $"{category.LabelFr} ({software})",
                    Summary = $"{category.LabelFr} hébergé par le chaton n° {number}.",
                    Category = category.Id,
                    SoftwareName = software,
                    Registration = Registrations[random.Next(Registrations.Length)],
                    Capacity = random.Next(5) == 0 ? "full" : "open",
                    Status = "ok",
                    Updated = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(500_000)),
                };
            }

            listings[i] = new ChatonListing
            {
                ActorId = actorId,
                PreferredUsername = "chaton" + number,
                Name = $"Chaton n° {number} — Hébergeur éthique",
                Summary = "Association d'hébergement libre et solidaire.",
                StructureType = Structures[random.Next(Structures.Length)],
                MembershipStatus = random.Next(10) == 0 ? "AWAY" : "ACTIVE",
                Country = "FR",
                Location = new PlaceListing("Ville " + number, South + (random.NextDouble() * (North - South)), West + (random.NextDouble() * (East - West))),
                ActorUpdated = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(900_000)),
                Services = [.. services.OrderBy(s => s.Id, StringComparer.Ordinal)],
                Attestation = new AttestationListing { Id = $"https://chaton-{number}.example/attestation", Met = [.. all.Where(_ => random.Next(8) != 0)] },
            };
        }

        return listings;
    }

    /// <summary>Category-near-a-point queries: a common category, a centre in the same area, 50 km.</summary>
    public static Aggregator.Search.SearchQuery[] CategoryNearQueries(int count, int seed = 7)
    {
        var random = new Random(seed);
        string[] categories = ["email", "collaborative-writing", "video-conference", "file-storage", "social-network", "calendar"];
        return [.. Enumerable.Range(0, count).Select(_ => new Aggregator.Search.SearchQuery
        {
            Categories = [categories[random.Next(categories.Length)]],
            Near = new Aggregator.Search.GeoCircle(South + (random.NextDouble() * (North - South)), West + (random.NextDouble() * (East - West)), 50),
            Sort = Aggregator.Search.SearchSort.Distance,
            Limit = 20,
        })];
    }
}
