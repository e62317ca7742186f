using System.Text;
using ChatonsFed.Aggregator.ChatonsInfosSource;
using ChatonsFed.Aggregator.Listing;
using ChatonsFed.Directory.Node;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Aggregator.Website;

/// <summary>
/// The page of an unsigned entry: what an organization file of the collective's ChatonsInfos files says (name, website,
/// place, services with their software), under a notice that names the federation file and the organization file.
/// There is no actor: no signature, no charter declaration, no follow form.
/// </summary>
internal static class UnsignedPageView
{
    public static string Render(HttpRequest request, SiteLanguage lang, ChatonListing entry, UnsignedOrigin origin, IReadOnlyList<WebsiteConflict> conflicts, ServiceCategoryCatalog categories)
    {
        var html = new StringBuilder(12 * 1024);
        SiteLayout.Begin(html, lang, request, entry.Name + lang.T(" (non signé) — Annuaire des CHATONS", " (unsigned) — CHATONS directory"), map: false);
        html.Append("<p class=\"back\"><a href=\"").Encoded(SiteLayout.Link(lang, "/")).Append("\">← ").Append(lang.T("Retour à la recherche", "Back to the search")).Append("</a></p>\n")
            .Append("<h1>").Encoded(entry.Name).Append(' ').Append(SearchPageView.Badge(lang)).Append("</h1>\n");
        Notice(html, lang, origin);
        Conflicts(html, lang, conflicts, onChatonPage: false);
        if (entry.Summary.Length > 0)
        {
            html.Append("<p class=\"lead\">").Encoded(entry.Summary).Append("</p>\n");
        }

        html.Append("<div class=\"chaton\">\n");
        Profile(html, lang, entry);
        Services(html, lang, entry, categories);
        html.Append("</div>\n");
        SiteLayout.End(html, lang, unsigned: true);
        return html.ToString();
    }

    private static void Notice(StringBuilder html, SiteLanguage lang, UnsignedOrigin origin)
    {
        var read = SiteLayout.Time(SiteLanguage.Moment(origin.Read), origin.Read);
        html.Append("<section class=\"unsigned-notice\" aria-labelledby=\"unsigned-notice\">\n<h2 id=\"unsigned-notice\">")
            .Append(lang.T("Non signé, d'après ChatonsInfos", "Unsigned, from ChatonsInfos")).Append("</h2>\n<p>")
            .Append(lang.T(
                "Cette structure ne publie pas de profil signé pour cet annuaire. Ce qui suit est ce que dit son fichier ChatonsInfos, listé par le collectif : ce n'est pas signé par la clé du chaton lui-même, et cet annuaire ne l'a pas vérifié.",
                "This organization publishes no signed profile for this directory. What follows is what its ChatonsInfos file says, as listed by the collective: it is not signed with the chaton's own key, and this directory has not verified it."))
            .Append("</p>\n<dl class=\"facts\">\n");
        ChatonPageView.Fact(html, lang.T("Fichier de fédération", "Federation file"), Source(origin.Federation));
        ChatonPageView.Fact(html, lang.T("Fichier de la structure", "Organization file"), Source(origin.OrganizationFile));
        ChatonPageView.Fact(html, lang.T("Lu le", "Read at"), read);
        html.Append("</dl>\n</section>\n");
    }

    /// <summary>
    /// One line per website conflict: on a verified chaton's page, the unsigned entry that gives the same website; on an
    /// unsigned entry's page, the verified chaton. Each links to the other's page.
    /// </summary>
    public static void Conflicts(StringBuilder html, SiteLanguage lang, IReadOnlyList<WebsiteConflict> conflicts, bool onChatonPage)
    {
        foreach (var conflict in conflicts)
        {
            html.Append("<p class=\"notice conflict\">");
            if (onChatonPage)
            {
                html.Append(lang.T("Ce site web est aussi celui de ", "This website is also that of "))
                    .Append("<a href=\"").Encoded(SiteLayout.UnsignedPath(lang, conflict.OrganizationFile)).Append("\">").Encoded(conflict.OrganizationName).Append("</a>")
                    .Append(lang.T(
                        ", une entrée non signée d'après ChatonsInfos : son fichier ne nomme pas ce chaton, qui n'est pas hébergé sur le domaine du site. Rien ne prouve que ce soit la même structure : les deux sont listés.",
                        ", an unsigned entry from ChatonsInfos: its file does not name this chaton, which is not hosted on the website's domain. Nothing proves they are the same organization: both are listed."));
            }
            else
            {
                html.Append(lang.T("Ce site web est aussi celui du chaton vérifié ", "This website is also that of the verified chaton "))
                    .Append("<a href=\"").Encoded(SiteLayout.ChatonPath(lang, conflict.Chaton)).Append("\">").Encoded(conflict.ChatonName).Append("</a>")
                    .Append(lang.T(
                        " : ce fichier ne le nomme pas, et il n'est pas hébergé sur le domaine du site. Rien ne prouve que ce soit la même structure : les deux sont listés.",
                        ": this file does not name it, and it is not hosted on the website's domain. Nothing proves they are the same organization: both are listed."));
            }

            html.Append("</p>\n");
        }
    }

    /// <summary>A file named in full: a link when it is a web address, else its path as text.</summary>
    private static string Source(string file) => "<span class=\"file\">" + new StringBuilder().ExternalLink(file, file) + "</span>";

    private static void Profile(StringBuilder html, SiteLanguage lang, ChatonListing entry)
    {
        html.Append("<section aria-labelledby=\"profile\"><h2 id=\"profile\">").Append(lang.T("D'après son fichier", "As its file says")).Append("</h2>\n<dl class=\"facts\">\n");
        if (entry.Website is not null)
        {
            ChatonPageView.Fact(html, lang.T("Site web", "Website"), new StringBuilder().ExternalLink(entry.Website, entry.Website).ToString());
        }

        ChatonPageView.Fact(html, lang.T("Structure", "Structure"), SiteLayout.Encode(lang.StructureType(entry.StructureType)));
        if (entry.MembershipStatus is not null || entry.MemberSince is not null)
        {
            var membership = lang.Membership(entry.MembershipStatus);
            if (entry.MemberSince is { } since)
            {
                membership += lang.T($", depuis le {since:yyyy-MM-dd}", $", since {since:yyyy-MM-dd}");
            }

            ChatonPageView.Fact(html, lang.T("Collectif", "Collective"), SiteLayout.Encode(membership));
        }

        if (entry.Contact is not null)
        {
            ChatonPageView.Fact(html, lang.T("Contact", "Contact"), new StringBuilder().ExternalLink(entry.Contact, entry.Contact.Replace("mailto:", string.Empty, StringComparison.Ordinal)).ToString());
        }

        ChatonPageView.Place(html, lang, entry);
        html.Append("</dl>\n</section>\n");
    }

    private static void Services(StringBuilder html, SiteLanguage lang, ChatonListing entry, ServiceCategoryCatalog categories) =>
        ChatonPageView.Services(html, lang, lang.T("Services, d'après le fichier", "Services, as the file says"), lang.T("Le fichier ne nomme aucun service.", "The file names no service."),
            entry.Services.OrderBy(s => s.Name, StringComparer.CurrentCultureIgnoreCase), categories);
}
