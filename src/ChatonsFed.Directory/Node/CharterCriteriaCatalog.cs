namespace ChatonsFed.Directory.Node;

/// <summary>
/// The criteria of the CHATONS charter, grouped by the charter's parts, each required or recommended.
/// <see cref="LoadDefault"/> gives the list this build embeds; <see cref="Load"/> reads a newer one.
/// </summary>
public sealed class CharterCriteriaCatalog
{
    private const string ResourceName = "ChatonsFed.Directory.charter-criteria.json";
    private const string What = "charter criteria list";

    private static readonly Lazy<CharterCriteriaCatalog> Default = new(() =>
    {
        using var stream = CatalogJson.OpenResource(ResourceName);
        return Load(stream);
    });

    private readonly Dictionary<string, CharterCriterion> _byId;

    private CharterCriteriaCatalog(CharterInfo charter, IReadOnlyList<CharterPart> parts, IReadOnlyList<CharterCriterion> criteria)
    {
        Charter = charter;
        Parts = parts;
        Criteria = criteria;
        _byId = criteria.ToDictionary(c => c.Id, StringComparer.Ordinal);
    }

    /// <summary>The charter version the list describes.</summary>
    public CharterInfo Charter { get; }

    public IReadOnlyList<CharterPart> Parts { get; }

    /// <summary>The criteria in the list's order, which is the order of an attestation's entries.</summary>
    public IReadOnlyList<CharterCriterion> Criteria { get; }

    /// <summary>The list embedded at build time from the shared <c>charter-criteria.json</c>.</summary>
    public static CharterCriteriaCatalog LoadDefault() => Default.Value;

    /// <summary>Reads a list in the shared file's format; throws a <see cref="FormatException"/> naming what is wrong.</summary>
    public static CharterCriteriaCatalog Load(Stream stream)
    {
        using var document = CatalogJson.Parse(stream, What);
        var root = document.RootElement;

        if (!root.TryGetProperty("charter", out var charterElement))
        {
            throw new FormatException($"The {What} has no \"charter\" object.");
        }

        var charterWhere = $"{What}, charter";
        var url = CatalogJson.String(charterElement, "url", charterWhere);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var charterUrl))
        {
            throw new FormatException($"{charterWhere}: url \"{url}\" is not an absolute URL.");
        }

        var charter = new CharterInfo(
            CatalogJson.OptionalString(charterElement, "id") ?? "chatons-charter",
            CatalogJson.String(charterElement, "version", charterWhere),
            charterUrl,
            CatalogJson.OptionalString(charterElement, "licence"));

        var parts = new List<CharterPart>();
        foreach (var item in CatalogJson.Array(root, "parts", What))
        {
            var id = CatalogJson.String(item, "id", $"{What}, part #{parts.Count + 1}");
            var where = $"{What}, part \"{id}\"";
            if (parts.Any(p => p.Id == id))
            {
                throw new FormatException($"{where}: the id appears twice.");
            }

            parts.Add(new CharterPart(id, CatalogJson.String(item, "fr", where), CatalogJson.String(item, "en", where)));
        }

        var criteria = new List<CharterCriterion>();
        foreach (var item in CatalogJson.Array(root, "criteria", What))
        {
            var id = CatalogJson.String(item, "id", $"{What}, criterion #{criteria.Count + 1}");
            var where = $"{What}, criterion \"{id}\"";
            if (criteria.Any(c => c.Id == id))
            {
                throw new FormatException($"{where}: the id appears twice.");
            }

            var part = CatalogJson.String(item, "part", where);
            if (parts.All(p => p.Id != part))
            {
                throw new FormatException($"{where}: part \"{part}\" is not among the parts.");
            }

            var level = CatalogJson.String(item, "level", where) switch
            {
                "required" => CriterionLevel.Required,
                "recommended" => CriterionLevel.Recommended,
                var other => throw new FormatException($"{where}: level \"{other}\" is not required or recommended."),
            };

            criteria.Add(new CharterCriterion(id, part, level, CatalogJson.String(item, "fr", where), CatalogJson.String(item, "en", where)));
        }

        return new CharterCriteriaCatalog(charter, parts, criteria);
    }

    public CharterCriterion? Find(string id) => _byId.GetValueOrDefault(id);

    public IEnumerable<CharterCriterion> InPart(string partId) => Criteria.Where(c => c.PartId == partId);
}

/// <summary>The charter a criteria list describes.</summary>
public sealed record CharterInfo(string Id, string Version, Uri Url, string? Licence);

/// <summary>One of the charter's parts, such as "Transparent".</summary>
public sealed record CharterPart(string Id, string LabelFr, string LabelEn);

/// <summary>Whether the charter requires a criterion or only recommends it.</summary>
public enum CriterionLevel
{
    Required,
    Recommended,
}

/// <summary>One criterion of the charter, such as <c>open.free-software</c>.</summary>
public sealed record CharterCriterion(string Id, string PartId, CriterionLevel Level, string LabelFr, string LabelEn);
