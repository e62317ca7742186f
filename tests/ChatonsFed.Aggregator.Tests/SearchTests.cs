using ChatonsFed.Aggregator.Listing;
using ChatonsFed.Aggregator.Search;
using ChatonsFed.Directory.Node;
using CsCheck;

namespace ChatonsFed.Aggregator.Tests;

public sealed class SearchTests
{
    private readonly DirectoryIndex _index = new();

    [Fact]
    public void Categories_families_and_unknown_categories()
    {
        _index.Upsert(Listings.Chaton(1, services: [Listings.Service("s1", "collaborative-writing"), Listings.Service("s2", "email")]));
        _index.Upsert(Listings.Chaton(2, services: [Listings.Service("s3", "video-conference")]));
        _index.Upsert(Listings.Chaton(3, services: [Listings.Service("s4", "knitting-circle")]));

        Assert.Equal([1], Found(new SearchQuery { Categories = ["collaborative-writing"] }));
        Assert.Equal([1, 2], Found(new SearchQuery { Categories = ["email", "video-conference"] }));
        Assert.Equal([1, 2], Found(new SearchQuery { Families = ["communication"] }));
        Assert.Equal([3], Found(new SearchQuery { Categories = ["other"] }));
        Assert.Equal([3], Found(new SearchQuery { Families = ["other"] }));
        Assert.Empty(Found(new SearchQuery { Categories = ["maps"] }));
        Assert.Equal(["s1"], _index.Search(new SearchQuery { Categories = ["collaborative-writing"] }).Hits[0].MatchingServiceIds);
    }

    [Fact]
    public void Service_criteria_hold_for_one_and_the_same_service()
    {
        _index.Upsert(Listings.Chaton(1, services: [Listings.Service("s1", "collaborative-writing", registration: "member"), Listings.Service("s2", "email", registration: "free")]));
        _index.Upsert(Listings.Chaton(2, services: [Listings.Service("s3", "collaborative-writing", registration: "free", capacity: "full")]));

        Assert.Equal([2], Found(new SearchQuery { Categories = ["collaborative-writing"], Registrations = [Registration.Free] }));
        Assert.Equal([1, 2], Found(new SearchQuery { Registrations = [Registration.Free] }));
        Assert.Equal([1], Found(new SearchQuery { Registrations = [Registration.Free], OpenToNewAccounts = true }));
        Assert.Empty(Found(new SearchQuery { Categories = ["collaborative-writing"], Registrations = [Registration.Free], OpenToNewAccounts = true }));
        Assert.Equal([1, 2], Found(new SearchQuery { Registrations = [Registration.Member, Registration.Free] }));
        Assert.Empty(Found(new SearchQuery { Registrations = [Registration.None, Registration.Client] }));
    }

    [Fact]
    public void Software_is_matched_without_case_or_accents()
    {
        _index.Upsert(Listings.Chaton(1, services: [Listings.Service("s1", "collaborative-writing", "Etherpad")]));
        _index.Upsert(Listings.Chaton(2, services: [Listings.Service("s2", "video-conference", "Jitsi Meet")]));
        _index.Upsert(Listings.Chaton(3, services: [Listings.Service("s3", "notes", "Carnét")]));

        Assert.Equal([1], Found(new SearchQuery { Software = ["etherpad"] }));
        Assert.Equal([2], Found(new SearchQuery { Software = ["JITSI MEET"] }));
        Assert.Equal([3], Found(new SearchQuery { Software = ["carnet"] }));
        Assert.Empty(Found(new SearchQuery { Software = ["jitsi"] }));
    }

    [Fact]
    public void Free_text_ignores_case_and_accents_and_finds_word_starts_in_french_and_english_labels()
    {
        _index.Upsert(Listings.Chaton(1, services: [Listings.Service("s1", "collaborative-writing", "Etherpad", name: "Écriture collaborative")]));
        _index.Upsert(Listings.Chaton(2, name: "Les Œuvres Libres", services: [Listings.Service("s2", "video-conference", "Jitsi Meet")]));
        _index.Upsert(Listings.Chaton(3, services: [Listings.Service("s3", "spreadsheet")]) with { Summary = "Hébergement à Montréal, Québec." });

        Assert.Equal([1], Found(new SearchQuery { Text = "ecriture" }));
        Assert.Equal([1], Found(new SearchQuery { Text = "ÉCRI collab" }));
        Assert.Equal([1], Found(new SearchQuery { Text = "rédaction" }));
        Assert.Equal([2], Found(new SearchQuery { Text = "visioconference" }));
        Assert.Equal([2], Found(new SearchQuery { Text = "oeuvres" }));
        Assert.Equal([2], Found(new SearchQuery { Text = "video conferencing" }));
        Assert.Equal([3], Found(new SearchQuery { Text = "spreadsheet" }));
        Assert.Equal([3], Found(new SearchQuery { Text = "quebec montreal" }));
        Assert.Empty(Found(new SearchQuery { Text = "ecriture spreadsheet" }));
        Assert.Empty(Found(new SearchQuery { Text = "criture" }));
        Assert.Equal([1, 3, 2], Found(new SearchQuery { Text = " ,;! " }));
    }

    [Fact]
    public void Near_a_point_within_a_radius()
    {
        _index.Upsert(Listings.Chaton(1, 44.9334, 4.8924));   // Valence
        _index.Upsert(Listings.Chaton(2, 45.7640, 4.8357));   // Lyon, about 93 km north
        _index.Upsert(Listings.Chaton(3, 48.8566, 2.3522));   // Paris
        _index.Upsert(Listings.Chaton(4));                     // no location

        Assert.Equal([1], Found(new SearchQuery { Near = new GeoCircle(44.9334, 4.8924, 50) }));
        Assert.Equal([1, 2], Found(new SearchQuery { Near = new GeoCircle(44.9334, 4.8924, 100) }));
        var page = _index.Search(new SearchQuery { Near = new GeoCircle(45.7640, 4.8357, 1000), Sort = SearchSort.Distance });
        Assert.Equal([2, 1, 3], page.Hits.Select(h => Number(h.Chaton)));
        Assert.Equal(0, page.Hits[0].DistanceKm);
        Assert.InRange(page.Hits[1].DistanceKm!.Value, 92, 94);
        Assert.Empty(Found(new SearchQuery { Near = new GeoCircle(44.9334, 4.8924, 50), Text = "lyon" }));
    }

    [Fact]
    public void A_zero_radius_finds_only_the_point_itself()
    {
        _index.Upsert(Listings.Chaton(1, 44.9334, 4.8924));
        _index.Upsert(Listings.Chaton(2, 44.9334, 4.89241));

        Assert.Equal([1], Found(new SearchQuery { Near = new GeoCircle(44.9334, 4.8924, 0) }));
    }

    [Fact]
    public void Near_a_pole_every_longitude_counts()
    {
        _index.Upsert(Listings.Chaton(1, 89.5, 0));
        _index.Upsert(Listings.Chaton(2, 89.5, 180));
        _index.Upsert(Listings.Chaton(3, 86, -120));
        _index.Upsert(Listings.Chaton(4, 80, 10));
        _index.Upsert(Listings.Chaton(5, -89.9, 45));

        Assert.Equal([1, 2, 3], Found(new SearchQuery { Near = new GeoCircle(90, 0, 500) }));
        Assert.Equal([1, 2], Found(new SearchQuery { Near = new GeoCircle(89.9, 90, 100) }));
        Assert.Equal([5], Found(new SearchQuery { Near = new GeoCircle(-90, 0, 20) }));
        Assert.Equal([1, 2, 3, 4, 5], Found(new SearchQuery { Near = new GeoCircle(0, 0, 30_000) }));
    }

    [Fact]
    public void Inside_a_box_including_one_across_the_antimeridian()
    {
        _index.Upsert(Listings.Chaton(1, 44.9, 4.9));
        _index.Upsert(Listings.Chaton(2, -17.5, 179.5));
        _index.Upsert(Listings.Chaton(3, -17.5, -179.5));
        _index.Upsert(Listings.Chaton(4, 50.8, 4.3));

        Assert.Equal([1], Found(new SearchQuery { Within = new GeoBox(42, -5, 48, 8) }));
        Assert.Equal([2, 3], Found(new SearchQuery { Within = new GeoBox(-20, 179, -15, -179) }));
        Assert.Equal([1, 4], Found(new SearchQuery { Within = new GeoBox(42, -5, 52, 8) }));
        Assert.Equal([1], Found(new SearchQuery { Within = new GeoBox(42, -5, 52, 8), Near = new GeoCircle(44.9, 4.9, 100) }));
    }

    [Fact]
    public void Structure_membership_country_and_charter_criteria()
    {
        _index.Upsert(Listings.Chaton(1) with { Attestation = Listings.AllMet("a1") });
        _index.Upsert(Listings.Chaton(2) with { StructureType = "COOPERATIVE", MembershipStatus = "AWAY", Country = "BE", Attestation = Listings.RequiredOnly("a2", missOne: false) });
        _index.Upsert(Listings.Chaton(3) with { StructureType = "SOMETHING-NEW", MembershipStatus = null, Attestation = Listings.RequiredOnly("a3", missOne: true) });

        Assert.Equal([2], Found(new SearchQuery { StructureTypes = [StructureType.Cooperative] }));
        Assert.Equal([1, 2], Found(new SearchQuery { StructureTypes = [StructureType.Cooperative, StructureType.Association] }));
        Assert.Equal([1], Found(new SearchQuery { MembershipStatuses = [MembershipStatus.Active] }));
        Assert.Equal([2], Found(new SearchQuery { Country = "be" }));
        Assert.Equal([1, 2], Found(new SearchQuery { DeclaresAllRequiredCriteria = true }));
        Assert.Equal([3], Found(new SearchQuery { DeclaresAllRequiredCriteria = false }));
    }

    [Fact]
    public void Sorting_is_deterministic_with_ties_broken_by_actor_id()
    {
        _index.Upsert(Listings.Chaton(3, name: "Écureuil"));
        _index.Upsert(Listings.Chaton(1, name: "ecureuil"));
        _index.Upsert(Listings.Chaton(2, name: "Abeille"));
        _index.Upsert(Listings.Chaton(4, name: "zèbre") with { ActorUpdated = null });

        Assert.Equal([2, 1, 3, 4], Found(new SearchQuery()));
        Assert.Equal([3, 2, 1, 4], Found(new SearchQuery { Sort = SearchSort.LastUpdated }));
    }

    [Fact]
    public void Pages_by_offset_and_by_cursor_give_every_hit_once_in_order()
    {
        for (var i = 1; i <= 45; i++)
        {
            _index.Upsert(Listings.Chaton(i, 45 + (i % 7 * 0.01), 5, name: $"Chaton {i % 5}"));
        }

        foreach (var sort in Enum.GetValues<SearchSort>())
        {
            var all = Found(new SearchQuery { Sort = sort, Near = new GeoCircle(45, 5, 100), Limit = 100 });
            var byOffset = Enumerable.Range(0, 5)
                .SelectMany(p => _index.Search(new SearchQuery { Sort = sort, Near = new GeoCircle(45, 5, 100), Limit = 10, Offset = p * 10 }).Hits)
                .Select(h => Number(h.Chaton))
                .ToList();
            var byCursor = new List<int>();
            string? cursor = null;
            do
            {
                var page = _index.Search(new SearchQuery { Sort = sort, Near = new GeoCircle(45, 5, 100), Limit = 10, Cursor = cursor });
                Assert.Equal(45, page.Total);
                byCursor.AddRange(page.Hits.Select(h => Number(h.Chaton)));
                cursor = page.NextCursor;
            }
            while (cursor is not null);

            Assert.Equal(45, all.Count);
            Assert.Equal(all, byOffset);
            Assert.Equal(all, byCursor);
        }
    }

    [Fact]
    public void Bad_queries_say_what_is_wrong()
    {
        Assert.Throws<ArgumentException>(() => _index.Search(new SearchQuery { Sort = SearchSort.Distance }));
        Assert.Throws<ArgumentException>(() => _index.Search(new SearchQuery { Limit = 0 }));
        Assert.Throws<ArgumentException>(() => _index.Search(new SearchQuery { Limit = SearchQuery.MaxLimit + 1 }));
        Assert.Throws<ArgumentException>(() => _index.Search(new SearchQuery { Offset = -1 }));
        Assert.Throws<ArgumentException>(() => _index.Search(new SearchQuery { Near = new GeoCircle(91, 0, 1) }));
        Assert.Throws<ArgumentException>(() => _index.Search(new SearchQuery { Near = new GeoCircle(0, 0, -1) }));
        Assert.Throws<ArgumentException>(() => _index.Search(new SearchQuery { Within = new GeoBox(10, 0, 5, 1) }));
        Assert.Throws<ArgumentException>(() => _index.Search(new SearchQuery { Cursor = "not a cursor" }));
        _index.Upsert(Listings.Chaton(1));
        _index.Upsert(Listings.Chaton(2));
        var cursor = _index.Search(new SearchQuery { Limit = 1 }).NextCursor;
        Assert.Throws<ArgumentException>(() => _index.Search(new SearchQuery { Cursor = cursor, Sort = SearchSort.LastUpdated }));
    }

    [Fact]
    public void Upsert_and_remove_keep_the_index_in_step()
    {
        _index.Upsert(Listings.Chaton(1, 45, 5, services: [Listings.Service("s1", "email", name: "Courriel")]));
        _index.Upsert(Listings.Chaton(1, 10, 10, services: [Listings.Service("s1", "maps", name: "Cartes")]));

        Assert.Empty(Found(new SearchQuery { Text = "courriel" }));
        Assert.Empty(Found(new SearchQuery { Near = new GeoCircle(45, 5, 10) }));
        Assert.Equal([1], Found(new SearchQuery { Text = "cartes", Near = new GeoCircle(10, 10, 10) }));

        Assert.True(_index.Remove(Listings.Chaton(1).ActorId));
        Assert.False(_index.Remove(Listings.Chaton(1).ActorId));
        Assert.Empty(Found(new SearchQuery { Text = "cartes" }));
        _index.Upsert(Listings.Chaton(2, 10, 10));
        Assert.Equal([2], Found(new SearchQuery { Near = new GeoCircle(10, 10, 10) }));
    }

    [Fact]
    public void Circle_and_box_searches_agree_with_a_scan_of_every_chaton()
    {
        var points = Gen.Select(Gen.Double[-90, 90], Gen.Double[-180, 180]).Array[1, 60];
        var circles = Gen.Select(Gen.Double[-90, 90], Gen.Double[-180, 180], Gen.OneOf(Gen.Double[0, 500], Gen.Double[0, 20_000]));
        Gen.Select(points, circles).Sample((locations, circle) =>
        {
            var index = new DirectoryIndex();
            index.Load(locations.Select((p, i) => Listings.Chaton(i, p.Item1, p.Item2)));
            var (lat, lon, radius) = circle;

            var found = index.Search(new SearchQuery { Near = new GeoCircle(lat, lon, radius), Limit = SearchQuery.MaxLimit }).Hits.Select(h => Number(h.Chaton)).Order();
            var expected = locations.Select((p, i) => (p, i)).Where(x => GeoMath.DistanceKm(lat, lon, x.p.Item1, x.p.Item2) <= radius).Select(x => x.i);

            Assert.Equal(expected, found);
        }, iter: 300);
    }

    private static int Number(ChatonListing listing) => int.Parse(listing.ActorId[9..14], System.Globalization.CultureInfo.InvariantCulture);

    private List<int> Found(SearchQuery query) => [.. _index.Search(query with { Limit = SearchQuery.MaxLimit }).Hits.Select(h => Number(h.Chaton))];
}
