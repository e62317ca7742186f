using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Directory.Node;
using ChatonsFed.Protocol.Tests;

namespace ChatonsFed.Directory.Tests;

public sealed class CatalogTests
{
    [Fact]
    public void Embedded_category_list_holds_every_family_and_category_of_the_shared_file()
    {
        var shared = SharedData("service-categories.json");
        var catalog = ServiceCategoryCatalog.LoadDefault();

        Assert.Equal(shared["families"]!.AsArray().Select(f => f!["id"]!.GetValue<string>()), catalog.Families.Select(f => f.Id));
        var categories = shared["categories"]!.AsArray();
        Assert.Equal(categories.Count, catalog.Categories.Count);
        foreach (var (expected, actual) in categories.Zip(catalog.Categories))
        {
            Assert.Equal(expected!["id"]!.GetValue<string>(), actual.Id);
            Assert.Equal(expected["family"]!.GetValue<string>(), actual.FamilyId);
            Assert.Equal(expected["fr"]!.GetValue<string>(), actual.LabelFr);
            Assert.Equal(expected["en"]!.GetValue<string>(), actual.LabelEn);
            Assert.Equal(expected["software"]!.AsArray().Select(s => s!.GetValue<string>()), actual.Software);
            Assert.True(actual.IsKnown);
            Assert.True(catalog.Contains(actual.Id));
        }
    }

    [Fact]
    public void Embedded_criteria_list_holds_every_part_and_criterion_of_the_shared_file()
    {
        var shared = SharedData("charter-criteria.json");
        var catalog = CharterCriteriaCatalog.LoadDefault();

        Assert.Equal(shared["charter"]!["version"]!.GetValue<string>(), catalog.Charter.Version);
        Assert.Equal(new Uri(shared["charter"]!["url"]!.GetValue<string>()), catalog.Charter.Url);
        Assert.Equal(shared["parts"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()), catalog.Parts.Select(p => p.Id));
        var criteria = shared["criteria"]!.AsArray();
        Assert.Equal(criteria.Count, catalog.Criteria.Count);
        foreach (var (expected, actual) in criteria.Zip(catalog.Criteria))
        {
            Assert.Equal(expected!["id"]!.GetValue<string>(), actual.Id);
            Assert.Equal(expected["part"]!.GetValue<string>(), actual.PartId);
            Assert.Equal(expected["level"]!.GetValue<string>() == "required" ? CriterionLevel.Required : CriterionLevel.Recommended, actual.Level);
            Assert.Equal(expected["fr"]!.GetValue<string>(), actual.LabelFr);
            Assert.Equal(expected["en"]!.GetValue<string>(), actual.LabelEn);
            Assert.Same(actual, catalog.Find(actual.Id));
        }

        Assert.Contains(catalog.Criteria, c => c.Level == CriterionLevel.Recommended);
        Assert.Equal(catalog.Criteria.Count, catalog.Parts.Sum(p => catalog.InPart(p.Id).Count()));
    }

    [Fact]
    public void Unknown_category_is_kept_and_labelled_other()
    {
        var category = ServiceCategoryCatalog.LoadDefault().Describe("quantum-teleport");
        Assert.Equal("quantum-teleport", category.Id);
        Assert.False(category.IsKnown);
        Assert.Equal(ServiceCategoryCatalog.OtherId, category.FamilyId);
        Assert.Equal("Autre", category.LabelFr);
        Assert.Equal("Other", category.LabelEn);
    }

    [Fact]
    public void An_operator_list_replaces_the_embedded_one()
    {
        const string json = """
            { "families": [ { "id": "f", "fr": "Famille", "en": "Family" } ],
              "categories": [ { "id": "new-thing", "family": "f", "fr": "Nouveau", "en": "New", "software": ["X"] } ] }
            """;
        var catalog = ServiceCategoryCatalog.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        Assert.True(catalog.Describe("new-thing").IsKnown);
        Assert.False(catalog.Describe("email").IsKnown);
        Assert.Single(catalog.InFamily("f"));
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("""{ "families": [] }""", "\"categories\"")]
    [InlineData("""{ "families": [], "categories": [ { "id": "a", "family": "nope", "fr": "A", "en": "A" } ] }""", "family \"nope\"")]
    [InlineData("""{ "families": [ { "id": "f", "fr": "F", "en": "F" } ], "categories": [ { "id": "a", "family": "f", "en": "A" } ] }""", "\"fr\"")]
    [InlineData("""{ "families": [ { "id": "f", "fr": "F", "en": "F" }, { "id": "f", "fr": "F", "en": "F" } ], "categories": [] }""", "twice")]
    public void A_broken_category_list_is_refused_with_a_reason(string json, string reason)
    {
        var error = Assert.Throws<FormatException>(() => ServiceCategoryCatalog.Load(new MemoryStream(Encoding.UTF8.GetBytes(json))));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "parts": [], "criteria": [] }""", "\"charter\"")]
    [InlineData("""{ "charter": { "version": "v", "url": "https://c.example/" }, "parts": [ { "id": "p", "fr": "P", "en": "P" } ], "criteria": [ { "id": "p.a", "part": "p", "level": "optional", "fr": "A", "en": "A" } ] }""", "level \"optional\"")]
    [InlineData("""{ "charter": { "version": "v", "url": "https://c.example/" }, "parts": [], "criteria": [ { "id": "p.a", "part": "p", "level": "required", "fr": "A", "en": "A" } ] }""", "part \"p\"")]
    [InlineData("""{ "charter": { "version": "v", "url": "relative" }, "parts": [], "criteria": [] }""", "absolute URL")]
    public void A_broken_criteria_list_is_refused_with_a_reason(string json, string reason)
    {
        var error = Assert.Throws<FormatException>(() => CharterCriteriaCatalog.Load(new MemoryStream(Encoding.UTF8.GetBytes(json))));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    private static JsonObject SharedData(string name) =>
        JsonNode.Parse(File.ReadAllText(RepositoryFiles.Catalog(name)))!.AsObject();
}
