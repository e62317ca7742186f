using System.Globalization;
using ChatonsFed.Aggregator.Api;
using ChatonsFed.Aggregator.Search;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace ChatonsFed.Aggregator.Website;

/// <summary>
/// The search form's fields, read from the page's URL: the same names as the directory API's (so that a search can be
/// shared, and the map asks the API for the same hits), with what a form sends forgiven: empty fields, a radius without
/// a centre, a distance sort without a centre.
/// </summary>
internal sealed class WebsiteQuery
{
    public const int PageSize = 30;
    public const string DefaultRadius = "50";

    // Not carried into the map's API query nor into page links: the paging, and the source, which the page chooses
    // itself (verified hits in the list and on the map, unsigned entries in their own section).
    private static readonly HashSet<string> NotCarried = new(StringComparer.Ordinal) { "limit", "offset", "cursor", "source" };

    private readonly Dictionary<string, StringValues> _fields;

    private WebsiteQuery(Dictionary<string, StringValues> fields, SearchQuery? search, string? error)
    {
        _fields = fields;
        Search = search;
        Error = error;
    }

    /// <summary>The search to run, or null when a field is wrong (<see cref="Error"/> says which).</summary>
    public SearchQuery? Search { get; }

    public string? Error { get; }

    public int Offset => Search?.Offset ?? 0;

    /// <summary>The query string of the directory API's search for every hit of this search (the map's markers).</summary>
    public string ApiQuery => QueryString.Create(_fields.Where(f => !NotCarried.Contains(f.Key))).ToUriComponent();

    public string Value(string name) => _fields.TryGetValue(name, out var values) ? values.ToString() : string.Empty;

    public bool Has(string name, string value) =>
        _fields.TryGetValue(name, out var values) && values.SelectMany(v => (v ?? string.Empty).Split(',')).Contains(value, StringComparer.OrdinalIgnoreCase);

    /// <summary>The page's URL with another offset (or the page's own, with <paramref name="offset"/> null).</summary>
    public string PagePath(SiteLanguage lang, int offset)
    {
        var fields = _fields.Where(f => !NotCarried.Contains(f.Key)).ToList();
        if (offset > 0)
        {
            fields.Add(new("offset", offset.ToString(CultureInfo.InvariantCulture)));
        }

        return SiteLayout.Link(lang, "/" + QueryString.Create(fields).ToUriComponent());
    }

    public static WebsiteQuery Read(IQueryCollection query)
    {
        var fields = new Dictionary<string, StringValues>(StringComparer.Ordinal);
        foreach (var name in SearchParameters.Names)
        {
            var values = query[name].Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToArray();
            if (values.Length > 0 && name is not "limit" and not "cursor")
            {
                fields[name] = values;
            }
        }

        if (!fields.ContainsKey("near"))
        {
            fields.Remove("radius");
            if (fields.TryGetValue("sort", out var sort) && sort == "distance")
            {
                fields.Remove("sort");
            }
        }
        else if (!fields.ContainsKey("radius"))
        {
            fields["radius"] = DefaultRadius;
        }

        var parameters = new Dictionary<string, StringValues>(fields, StringComparer.Ordinal) { ["limit"] = PageSize.ToString(CultureInfo.InvariantCulture) };
        return SearchParameters.TryParse(new QueryCollection(parameters), out var search, out var error)
            ? new WebsiteQuery(fields, search, null)
            : new WebsiteQuery(fields, null, error);
    }
}
