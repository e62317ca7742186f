using System.Globalization;
using System.Text;
using ChatonsFed.Node.Admin;
using ChatonsFed.Node.Storage;
using static System.Net.WebUtility;

namespace ChatonsFed.Node.Pages;

/// <summary>
/// The small page a browser gets instead of JSON: the chaton, its services and its charter declaration,
/// in French (default) or English. Self-contained: inline style only, no script, font or image from elsewhere.
/// </summary>
public static class ProfilePage
{
    private const string Style =
        "body{font-family:system-ui,sans-serif;max-width:48rem;margin:0 auto;padding:1rem;line-height:1.5;color:#1a1a1a;background:#fff}" +
        "h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem}a{color:#0b5394}" +
        "ul{padding-left:1.2rem}.met{color:#1e6b1e}.unmet{color:#8a1c1c}dt{font-weight:bold}" +
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}";

    /// <summary>Nothing may load from anywhere; only the inline style above applies.</summary>
    public static string ContentSecurityPolicy { get; } =
        "default-src 'none'; style-src 'sha256-" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Style))) +
        "'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static string Render(ProfileRecord profile, IReadOnlyList<ServiceRecord> services, AttestationRecord attestation, string language, IReadOnlyDictionary<string, CriterionLabel> labels)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(attestation);
        ArgumentNullException.ThrowIfNull(labels);
        var en = language == "en";
        string T(string fr, string english) => en ? english : fr;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"").Append(en ? "en" : "fr").Append("\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(HtmlEncode(profile.Name)).Append("</title>\n<style>").Append(Style).Append("</style>\n</head>\n<body>\n")
            .Append("<header><h1>").Append(HtmlEncode(profile.Name)).Append("</h1>\n");
        if (profile.Summary is not null)
        {
            html.Append("<p>").Append(HtmlEncode(profile.Summary)).Append("</p>\n");
        }

        html.Append("<p><a href=\"?lang=").Append(en ? "fr" : "en").Append("\" hreflang=\"").Append(en ? "fr" : "en").Append("\">")
            .Append(en ? "Version française" : "English version").Append("</a></p>\n</header>\n<main>\n");

        html.Append("<section aria-labelledby=\"about\"><h2 id=\"about\">").Append(T("Le chaton", "The chaton")).Append("</h2>\n<dl>\n");
        Item(html, T("Site web", "Website"), profile.Website, link: true);
        Item(html, T("Contact", "Contact"), profile.Contact, link: true);
        Item(html, T("Structure", "Structure"), profile.StructureType);
        Item(html, T("Pays", "Country"), profile.Country);
        Item(html, T("Lieu", "Place"), profile.PlaceName);
        if (profile.Latitude is double lat && profile.Longitude is double lon)
        {
            Item(html, T("Coordonnées", "Coordinates"), string.Create(CultureInfo.InvariantCulture, $"{lat}, {lon}"));
        }

        if (profile.MembershipStatus is not null)
        {
            var since = profile.MemberSince is null ? string.Empty : T($" depuis le {profile.MemberSince}", $" since {profile.MemberSince}");
            Item(html, T("Membre du collectif", "Member of the collective"), profile.MembershipStatus + since);
        }

        Item(html, T("Mentions légales", "Legal notice"), profile.LegalNotice, link: true);
        html.Append("</dl></section>\n");

        html.Append("<section aria-labelledby=\"services\"><h2 id=\"services\">").Append(T("Services hébergés", "Hosted services")).Append("</h2>\n");
        if (services.Count == 0)
        {
            html.Append("<p>").Append(T("Aucun service publié pour l'instant.", "No service published yet.")).Append("</p>\n");
        }
        else
        {
            html.Append("<ul>\n");
            foreach (var service in services)
            {
                html.Append("<li id=\"service-").Append(HtmlEncode(service.Id)).Append("\"><a href=\"").Append(HtmlEncode(service.Url)).Append("\">")
                    .Append(HtmlEncode(service.Name)).Append("</a> — ").Append(HtmlEncode(service.Category));
                if (service.Software is not null)
                {
                    html.Append(" (").Append(HtmlEncode(service.Software));
                    if (service.SoftwareVersion is not null)
                    {
                        html.Append(' ').Append(HtmlEncode(service.SoftwareVersion));
                    }

                    html.Append(')');
                }

                if (service.Status is not null)
                {
                    html.Append(" — ").Append(T("état", "status")).Append(" : ").Append(HtmlEncode(service.Status));
                }

                html.Append("</li>\n");
            }

            html.Append("</ul>\n");
        }

        html.Append("</section>\n");

        html.Append("<section aria-labelledby=\"charter\"><h2 id=\"charter\">").Append(T("Déclaration sur la charte CHATONS", "Declaration on the CHATONS charter")).Append("</h2>\n")
            .Append("<p>").Append(T("Ce que le chaton déclare lui-même, critère par critère (charte ", "What the chaton itself declares, criterion by criterion (charter "))
            .Append(HtmlEncode(attestation.CharterVersion)).Append(").</p>\n");
        if (attestation.Criteria.Count == 0)
        {
            html.Append("<p>").Append(T("Aucun critère déclaré pour l'instant.", "No criterion declared yet.")).Append("</p>\n");
        }
        else
        {
            html.Append("<table>\n<thead><tr><th scope=\"col\">").Append(T("Critère", "Criterion")).Append("</th><th scope=\"col\">")
                .Append(T("Déclaré", "Declared")).Append("</th><th scope=\"col\">").Append(T("Note", "Note")).Append("</th></tr></thead>\n<tbody>\n");
            foreach (var criterion in attestation.Criteria)
            {
                var label = labels.TryGetValue(criterion.Id, out var known) ? (en ? known.English : known.French) : criterion.Id;
                html.Append("<tr><td>").Append(HtmlEncode(label)).Append("</td><td class=\"").Append(criterion.Met ? "met" : "unmet").Append("\">")
                    .Append(criterion.Met ? T("✓ rempli", "✓ met") : T("✗ non rempli", "✗ not met")).Append("</td><td>")
                    .Append(HtmlEncode(criterion.Note ?? string.Empty)).Append("</td></tr>\n");
            }

            html.Append("</tbody>\n</table>\n");
        }

        html.Append("</section>\n</main>\n<footer><p>").Append(T("Mis à jour le ", "Updated on "))
            .Append(profile.Updated.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("</p></footer>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Item(StringBuilder html, string term, string? value, bool link = false)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        html.Append("<dt>").Append(HtmlEncode(term)).Append("</dt><dd>");
        if (link)
        {
            html.Append("<a href=\"").Append(HtmlEncode(value)).Append("\" rel=\"nofollow noopener\">").Append(HtmlEncode(value)).Append("</a>");
        }
        else
        {
            html.Append(HtmlEncode(value));
        }

        html.Append("</dd>\n");
    }
}
