using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatonsFed.Aggregator.Export;
using ChatonsFed.Aggregator.Storage;
using ChatonsFed.Aggregator.Verification;
using ChatonsFed.Directory.Node;
using ChatonsFed.Protocol.Proofs;

namespace ChatonsFed.Aggregator.Tests;

public sealed class ExportTests : IDisposable
{
    private readonly ChatonVerifier _verifier = new();
    private readonly List<TestChaton> _chatons = [];

    public ExportTests()
    {
        for (var i = 1; i <= 6; i++)
        {
            var chaton = new TestChaton(i);
            chaton.Profile = chaton.Profile with
            {
                Name = i == 3 ? "Le \"Chat\", libre\r\net sûr" : $"Chaton {i}",
                Location = i == 4 ? null : new GeoLocation($"Ville {i}", (double)(43 + (i * 0.123456789m)), (double)(-1.5m + (i * 1.1m))),
                StructureType = i % 2 == 0 ? StructureType.Cooperative : StructureType.Association,
            };
            if (i == 5)
            {
                chaton.Charter = null;
            }

            _chatons.Add(chaton);
        }
    }

    public void Dispose()
    {
        foreach (var chaton in _chatons)
        {
            chaton.Dispose();
        }
    }

    [Fact]
    public void Two_stores_filled_in_different_orders_export_the_same_bytes()
    {
        using var first = new TestStore();
        using var second = new TestStore();
        var sets = _chatons.Select(c => c.FullSet()).ToList();
        foreach (var set in sets)
        {
            first.Store.Apply(_verifier.Verify(set));
        }

        // The second aggregator sees the chatons in another order, each twice, the services of one arriving alone first.
        second.Store.Apply(_verifier.Verify(new ChatonDocumentSet(sets[2].Actor) { Services = [sets[2].Services[1]] }));
        foreach (var set in Enumerable.Reverse(sets).Concat(sets))
        {
            second.Time.Advance(TimeSpan.FromMinutes(5));
            second.Store.Apply(_verifier.Verify(set));
        }

        Assert.Equal(Exports(first.Store), Exports(second.Store));
    }

    [Fact]
    public void A_rebuild_from_the_bundle_gives_the_same_exports()
    {
        using var origin = new TestStore();
        foreach (var chaton in _chatons)
        {
            origin.Store.Apply(_verifier.Verify(chaton.FullSet()));
        }

        var before = Exports(origin.Store);
        var bundle = Bundle(origin.Store);
        origin.Store.Clear();
        Assert.Equal(0, origin.Store.Count);

        var contents = SignedBundle.Read(bundle);
        Assert.Empty(contents.Problems);
        foreach (var entry in contents.Chatons)
        {
            // The network layer fetches each actor from its own origin; here the chaton's node answers.
            var live = _chatons.Single(c => c.ActorId == entry.ActorId).Actor();
            var result = origin.Store.Apply(_verifier.Verify(entry.Documents, keyActor: live));
            Assert.Equal(ApplyOutcome.Added, result.Outcome);
            Assert.Empty(result.Refusals);
        }

        Assert.Equal(before, Exports(origin.Store));
        Assert.Equal(before, Exports(origin.Reopen()));
    }

    [Fact]
    public void Every_document_of_the_bundle_verifies_against_its_authors_actor()
    {
        using var store = Filled();
        var bundle = JsonNode.Parse(Bundle(store.Store))!.AsObject();

        Assert.Equal(SignedBundle.BundleType, bundle["type"]!.GetValue<string>());
        var chatons = bundle["chatons"]!.AsArray();
        Assert.Equal(_chatons.Select(c => c.ActorId).Order(StringComparer.Ordinal), chatons.Select(c => c!["actor"]!["id"]!.GetValue<string>()));
        foreach (var chaton in chatons)
        {
            var actor = _chatons.Single(c => c.ActorId == chaton!["actor"]!["id"]!.GetValue<string>()).ActorJson();
            var documents = new[] { chaton!["actor"], chaton["attestation"], chaton["servicesCollection"] }.Concat(chaton["services"]!.AsArray()).OfType<JsonObject>().ToList();
            Assert.Equal(chaton["attestation"] is null ? 4 : 5, documents.Count);
            Assert.All(documents, d => Assert.True(ProofVerifier.Verify(d, actor).IsValid));
        }
    }

    [Fact]
    public void A_bundle_with_a_tampered_document_loses_that_document_only()
    {
        using var store = Filled();
        var text = Encoding.UTF8.GetString(Bundle(store.Store)).Replace("Courriel avec Postfix", "Courriel avec Exim", StringComparison.Ordinal);
        var contents = SignedBundle.Read(Encoding.UTF8.GetBytes(text));

        var first = contents.Chatons[0];
        var result = _verifier.Verify(first.Documents, keyActor: _chatons.Single(c => c.ActorId == first.ActorId).Actor());
        Assert.True(result.IsListable);
        Assert.Equal(RejectionReason.InvalidProof, Assert.Single(result.Rejections).Reason);
    }

    [Fact]
    public void The_bundle_reader_skips_what_it_cannot_read_and_refuses_what_is_not_a_bundle()
    {
        var contents = SignedBundle.Read("""{"chatons":[{"services":[]},{"actor":{"id":"https://a.example/actor"},"services":[1,{"id":"s"}],"attestation":"x"}],"type":"ChatonsFedBundle","version":1}"""u8.ToArray());

        var only = Assert.Single(contents.Chatons);
        Assert.Equal("https://a.example/actor", only.ActorId);
        Assert.Single(only.Documents.Services);
        Assert.Null(only.Documents.Attestation);
        Assert.Equal(3, contents.Problems.Count);

        Assert.Throws<FormatException>(() => SignedBundle.Read("{\"type\":\"FeatureCollection\"}"u8.ToArray()));
        Assert.Throws<FormatException>(() => SignedBundle.Read("{\"chatons\":[],\"type\":\"ChatonsFedBundle\",\"version\":2}"u8.ToArray()));
        Assert.Throws<FormatException>(() => SignedBundle.Read("not json"u8.ToArray()));
    }

    [Fact]
    public void GeoJson_has_one_feature_per_chaton_with_lon_lat_points()
    {
        using var store = Filled();
        var output = new MemoryStream();
        GeoJsonExport.Write(output, store.Store.Listings);
        var geoJson = JsonNode.Parse(output.ToArray())!.AsObject();

        Assert.Equal("FeatureCollection", geoJson["type"]!.GetValue<string>());
        var features = geoJson["features"]!.AsArray();
        Assert.Equal(6, features.Count);
        var first = features[0]!.AsObject();
        Assert.Equal(_chatons[0].ActorId, first["id"]!.GetValue<string>());
        Assert.Equal("Point", first["geometry"]!["type"]!.GetValue<string>());
        Assert.Equal(-0.4, first["geometry"]!["coordinates"]![0]!.GetValue<double>(), 9);
        Assert.Equal(43.123456789, first["geometry"]!["coordinates"]![1]!.GetValue<double>(), 9);
        var properties = first["properties"]!;
        Assert.Equal("Chaton 1", properties["name"]!.GetValue<string>());
        Assert.Equal("ASSOCIATION", properties["structureType"]!.GetValue<string>());
        Assert.Equal(["collaborative-writing", "email"], properties["serviceCategories"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.True(properties["declaresAllRequiredCriteria"]!.GetValue<bool>());
        Assert.Equal(2, properties["services"]!.AsArray().Count);
        Assert.Null(features[3]!["geometry"]);
        Assert.False(features[4]!["properties"]!["declaresAllRequiredCriteria"]!.GetValue<bool>());
        Assert.Contains("\"coordinates\":[-0.4,43.123456789]", Encoding.UTF8.GetString(output.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_follows_rfc_4180()
    {
        using var store = Filled();
        var output = new MemoryStream();
        CsvExport.Write(output, store.Store.Listings);
        var bytes = output.ToArray();
        var text = Encoding.UTF8.GetString(bytes);

        Assert.NotEqual(0xEF, bytes[0]);
        Assert.StartsWith(string.Join(',', CsvExport.Columns) + "\r\n", text, StringComparison.Ordinal);
        Assert.Contains(",\"Le \"\"Chat\"\", libre\r\net sûr\",", text, StringComparison.Ordinal);
        Assert.Contains($"{_chatons[0].ActorId},Chaton 1,chaton1,https://site-1.example/,ASSOCIATION,ACTIVE,2020-01-01,FR,Ville 1,43.123456789,-0.4,2,collaborative-writing;email,Etherpad;Postfix,member;none,true,true,2016-v1,2025-02-01T00:00:00Z,,\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);

        // A header, six records, and the line break quoted inside one name.
        Assert.Equal(8, text.Split("\r\n").Length - 1);
    }

    [Fact]
    public void Csv_quotes_only_fields_that_need_it()
    {
        Assert.Equal("plain", CsvExport.Escape("plain"));
        Assert.Equal("\"a,b\"", CsvExport.Escape("a,b"));
        Assert.Equal("\"say \"\"hi\"\"\"", CsvExport.Escape("say \"hi\""));
        Assert.Equal("\"two\nlines\"", CsvExport.Escape("two\nlines"));
        Assert.Equal("", CsvExport.Escape(null));
    }

    private static (string GeoJson, string Csv, string Bundle) Exports(DirectoryStore store)
    {
        var geoJson = new MemoryStream();
        GeoJsonExport.Write(geoJson, store.Listings);
        var csv = new MemoryStream();
        CsvExport.Write(csv, store.Listings);
        return (Encoding.UTF8.GetString(geoJson.ToArray()), Encoding.UTF8.GetString(csv.ToArray()), Encoding.UTF8.GetString(Bundle(store)));
    }

    private static byte[] Bundle(DirectoryStore store)
    {
        var output = new MemoryStream();
        SignedBundle.Write(output, store);
        var bytes = output.ToArray();
        using var _ = JsonDocument.Parse(bytes);
        return bytes;
    }

    private TestStore Filled()
    {
        var store = new TestStore();
        foreach (var chaton in _chatons)
        {
            store.Store.Apply(_verifier.Verify(chaton.FullSet()));
        }

        return store;
    }
}
