using System.Text;
using ChatonsFed.Hosting.Configuration;

namespace ChatonsFed.Aggregator.Website;

/// <summary>The website's settings as its pages use them: the map's data attributes and the content security policy.</summary>
internal sealed class WebsiteSettings
{
    public WebsiteSettings(AggregatorWebsiteOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        TileUrl = string.IsNullOrWhiteSpace(options.TileUrl) ? null : options.TileUrl.Trim();
        TileAttribution = options.TileAttribution ?? string.Empty;

        // Only the aggregator itself, and the tile server when one is set: no other request is allowed, by design.
        var tiles = TileUrl is null ? string.Empty : " " + TileOrigin(TileUrl);
        ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:" + tiles +
            "; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    public string? TileUrl { get; }

    public string TileAttribution { get; }

    public string ContentSecurityPolicy { get; }

    /// <summary>The map's settings and labels, as data attributes of its element, for site.js.</summary>
    public void AppendMapData(StringBuilder html, SiteLanguage lang)
    {
        ArgumentNullException.ThrowIfNull(html);
        html.Append(" data-lang=\"").Append(lang.Code).Append("\" data-outlines=\"/assets/countries.geojson\"");
        if (TileUrl is not null)
        {
            html.Append(" data-tiles=\"").Encoded(TileUrl).Append("\" data-attribution=\"").Encoded(TileAttribution).Append('"');
        }

        html.Append(" aria-label=\"").Append(lang.T("Carte des chatons", "Map of the chatons")).Append('"');
    }

    /// <summary>The scheme and host of a tile template, its <c>{s}</c> subdomains allowed with a wildcard.</summary>
    private static string TileOrigin(string template)
    {
        var authority = template[(template.IndexOf("://", StringComparison.Ordinal) + 3)..];
        authority = authority[..(authority.IndexOf('/', StringComparison.Ordinal) is >= 0 and var slash ? slash : authority.Length)];
        return template[..template.IndexOf("://", StringComparison.Ordinal)] + "://" + authority.Replace("{s}", "*", StringComparison.Ordinal);
    }
}
