using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Aggregator.Website;

/// <summary>What every page of the website shares: the head, the header with the language switch, the footer.</summary>
internal static class SiteLayout
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static void Begin(StringBuilder html, SiteLanguage lang, HttpRequest request, string title, bool map)
    {
        html.Append("<!DOCTYPE html>\n<html lang=\"").Append(lang.Code).Append("\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Encode(title)).Append("</title>\n<link rel=\"icon\" href=\"/assets/favicon.svg\" type=\"image/svg+xml\">\n");
        if (map)
        {
            html.Append("<link rel=\"stylesheet\" href=\"/assets/leaflet.css\">\n");
        }

        html.Append("<link rel=\"stylesheet\" href=\"/assets/site.css\">\n")
            .Append("<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/feed.atom\" hreflang=\"fr\" title=\"Nouvelles de l’annuaire (Atom)\">\n")
            .Append("<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/feed.atom?lang=en\" hreflang=\"en\" title=\"Directory news (Atom)\">\n");
        if (map)
        {
            html.Append("<script src=\"/assets/leaflet.js\" defer></script>\n<script src=\"/assets/site.js\" defer></script>\n");
        }

        html.Append("</head>\n<body>\n<a class=\"skip\" href=\"#main\">").Append(lang.T("Aller au contenu", "Skip to content")).Append("</a>\n")
            .Append("<header class=\"site\"><p class=\"brand\"><a href=\"").Append(Encode(Link(lang, "/"))).Append("\">")
            .Append(lang.T("Annuaire des CHATONS", "CHATONS directory")).Append("</a></p>\n")
            .Append("<nav aria-label=\"").Append(lang.T("À propos et langue", "About and language")).Append("\"><a id=\"about-link\" href=\"").Append(Encode(Link(lang, AdmissionView.AboutPath))).Append("\">")
            .Append(lang.T("À propos", "About")).Append("</a> <a id=\"language-switch\" href=\"").Append(Encode(SwitchLanguage(request, lang)))
            .Append("\" hreflang=\"").Append(lang.Other).Append("\" lang=\"").Append(lang.Other).Append("\">")
            .Append(lang.English ? "Français" : "English").Append("</a></nav></header>\n<main id=\"main\">\n");
    }

    /// <summary>Closes the page; <paramref name="unsigned"/> for a page that shows unsigned entries, whose footer does not say that every entry is signed.</summary>
    public static void End(StringBuilder html, SiteLanguage lang, bool unsigned = false)
    {
        html.Append("</main>\n<footer class=\"site\"><p>")
            .Append(unsigned
                ? lang.T(
                    "Cet annuaire rassemble les chatons vérifiés et, à part, ce que les fichiers ChatonsInfos du collectif disent des autres structures. Données : ",
                    "This directory gathers the verified chatons and, apart, what the collective's ChatonsInfos files say of other organizations. Data: ")
                : lang.T(
                    "Chaque chaton publie lui-même son profil, ses services et sa déclaration sur la charte, signés par sa propre clé ; cet annuaire les vérifie et les rassemble. Données : ",
                    "Each chaton publishes its own profile, services and charter declaration, signed with its own key; this directory checks and gathers them. Data: "))
            .Append("<a href=\"/api/directory/export.geojson\">GeoJSON</a>, <a href=\"/api/directory/export.csv\">CSV</a>, <a href=\"/api/directory/openapi.json\">API</a>. ")
            .Append(lang.T("Fond de carte : Natural Earth (domaine public) ; carte : Leaflet.", "Base map: Natural Earth (public domain); map: Leaflet."))
            .Append(" <a id=\"method-link\" href=\"").Append(Encode(Link(lang, lang.English ? "/method" : "/methode"))).Append("\">").Append(lang.T("Méthode de l'observatoire", "Observatory method")).Append("</a>")
            .Append("</p></footer>\n</body>\n</html>\n");
    }

    /// <summary>A site path with the language carried on when the visitor chose it.</summary>
    public static string Link(SiteLanguage lang, string path) =>
        !lang.Explicit ? path : path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "lang=" + lang.Code;

    /// <summary>The same page in the other language.</summary>
    private static string SwitchLanguage(HttpRequest request, SiteLanguage lang)
    {
        var query = request.Query.Where(p => p.Key != "lang").SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)))
            .Append(new KeyValuePair<string, string?>("lang", lang.Other));
        return request.Path + QueryString.Create(query).ToUriComponent();
    }

    /// <summary>An href for a URL the chaton published, only when it is http(s) or mailto; null otherwise.</summary>
    public static string? SafeHref(string? url) =>
        url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeMailto)
            ? uri.AbsoluteUri
            : null;

    /// <summary>A link to a URL the chaton published, or the text alone when it is not a web or mail address.</summary>
    public static StringBuilder ExternalLink(this StringBuilder html, string? url, string text)
    {
        var href = SafeHref(url);
        return href is null
            ? html.Append(Encode(text))
            : html.Append("<a href=\"").Append(Encode(href)).Append("\" rel=\"nofollow noopener noreferrer\">").Append(Encode(text)).Append("</a>");
    }

    public static StringBuilder Encoded(this StringBuilder html, string? text) => html.Append(Encode(text ?? string.Empty));

    /// <summary>Text for HTML: markup characters escaped, letters such as é kept as they are.</summary>
    public static string Encode(string? text) => Encoder.Encode(text ?? string.Empty);

    /// <summary>A <c>time</c> element: <paramref name="text"/> shown, the instant in ISO form for machines.</summary>
    public static string Time(string text, DateTimeOffset moment) =>
        "<time datetime=\"" + moment.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) + "\">" + Encode(text) + "</time>";

    public static string ChatonPath(SiteLanguage lang, string actorId) => Link(lang, "/chaton?id=" + Uri.EscapeDataString(actorId));

    /// <summary>The page of an unsigned entry, by its id (the URL of the organization file it was read from).</summary>
    public static string UnsignedPath(SiteLanguage lang, string id) => Link(lang, "/unsigned?id=" + Uri.EscapeDataString(id));
}
