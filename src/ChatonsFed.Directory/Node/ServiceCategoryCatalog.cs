using System.Text.Json;

namespace ChatonsFed.Directory.Node;

/// <summary>
/// The collective's list of service categories, grouped in families, with French and English labels
/// and typical free software. <see cref="LoadDefault"/> gives the list this build embeds;
/// <see cref="Load"/> reads a newer one an operator provides.
/// </summary>
public sealed class ServiceCategoryCatalog
{
    /// <summary>The family and labels of a category id the list does not know.</summary>
    public const string OtherId = "other";

    private const string ResourceName = "ChatonsFed.Directory.service-categories.json";
    private const string What = "service-category list";

    private static readonly Lazy<ServiceCategoryCatalog> Default = new(() =>
    {
        using var stream = CatalogJson.OpenResource(ResourceName);
        return Load(stream);
    });

    private readonly Dictionary<string, ServiceCategory> _byId;

    private ServiceCategoryCatalog(IReadOnlyList<ServiceFamily> families, IReadOnlyList<ServiceCategory> categories)
    {
        Families = families;
        Categories = categories;
        _byId = categories.ToDictionary(c => c.Id, StringComparer.Ordinal);
    }

    public IReadOnlyList<ServiceFamily> Families { get; }

    /// <summary>The categories in the list's order.</summary>
    public IReadOnlyList<ServiceCategory> Categories { get; }

    /// <summary>The list embedded at build time from the shared <c>service-categories.json</c>.</summary>
    public static ServiceCategoryCatalog LoadDefault() => Default.Value;

    /// <summary>Reads a list in the shared file's format; throws a <see cref="FormatException"/> naming what is wrong.</summary>
    public static ServiceCategoryCatalog Load(Stream stream)
    {
        using var document = CatalogJson.Parse(stream, What);
        var root = document.RootElement;

        var families = new List<ServiceFamily>();
        foreach (var item in CatalogJson.Array(root, "families", What))
        {
            var id = CatalogJson.String(item, "id", $"{What}, family #{families.Count + 1}");
            var where = $"{What}, family \"{id}\"";
            if (families.Any(f => f.Id == id))
            {
                throw new FormatException($"{where}: the id appears twice.");
            }

            families.Add(new ServiceFamily(id, CatalogJson.String(item, "fr", where), CatalogJson.String(item, "en", where)));
        }

        var categories = new List<ServiceCategory>();
        foreach (var item in CatalogJson.Array(root, "categories", What))
        {
            var id = CatalogJson.String(item, "id", $"{What}, category #{categories.Count + 1}");
            var where = $"{What}, category \"{id}\"";
            if (categories.Any(c => c.Id == id))
            {
                throw new FormatException($"{where}: the id appears twice.");
            }

            var family = CatalogJson.String(item, "family", where);
            if (families.All(f => f.Id != family))
            {
                throw new FormatException($"{where}: family \"{family}\" is not among the families.");
            }

            var software = new List<string>();
            if (item.TryGetProperty("software", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                software.AddRange(list.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.String).Select(s => s.GetString()!));
            }

            categories.Add(new ServiceCategory(id, family, CatalogJson.String(item, "fr", where), CatalogJson.String(item, "en", where), software, IsKnown: true));
        }

        return new ServiceCategoryCatalog(families, categories);
    }

    /// <summary>Whether the list has a category with this id.</summary>
    public bool Contains(string id) => _byId.ContainsKey(id);

    /// <summary>The category with this id; an unknown id is kept and labelled "Autre" / "Other" (<see cref="ServiceCategory.IsKnown"/> false).</summary>
    public ServiceCategory Describe(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _byId.TryGetValue(id, out var category)
            ? category
            : new ServiceCategory(id, OtherId, "Autre", "Other", [], IsKnown: false);
    }

    public ServiceFamily? FindFamily(string id) => Families.FirstOrDefault(f => f.Id == id);

    public IEnumerable<ServiceCategory> InFamily(string familyId) => Categories.Where(c => c.FamilyId == familyId);
}

/// <summary>A group of service categories, such as "Communication".</summary>
public sealed record ServiceFamily(string Id, string LabelFr, string LabelEn);

/// <summary>A kind of service, such as <c>email</c>; <see cref="Software"/> lists typical free software, as examples only.</summary>
public sealed record ServiceCategory(string Id, string FamilyId, string LabelFr, string LabelEn, IReadOnlyList<string> Software, bool IsKnown);
