using System.Globalization;
using System.Text;
using ChatonsFed.Aggregator.Listing;
using ChatonsFed.Aggregator.Website;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Aggregator.Observatory;

/// <summary>
/// The observatory on the website: a badge per service ("en ligne · 99,8 % sur 30 jours · vérifié il y a 12 min"), the
/// third-party hosts and trackers a page loads, a certificate about to end; the website and legal notice on a
/// chaton's page with the discrepancies; and the Method page, which says what is checked, from where and how often.
/// </summary>
internal static class ObservationPages
{
    /// <summary>Certificates ending within this many days are shown.</summary>
    public const int CertificateWarningDays = 14;

    /// <summary>The Method page's paths: French, and English.</summary>
    public const string MethodPath = ObservatorySettings.MethodPath;

    public const string MethodPathEnglish = "/method";

    /// <summary>A state in words.</summary>
    public static string StateText(SiteLanguage lang, string state) => state switch
    {
        ObservedState.Up => lang.T("en ligne", "up"),
        ObservedState.Down => lang.T("hors ligne", "down"),
        _ => lang.T("erreur", "error"),
    };

    /// <summary>A share (0 to 1) as a percentage with one decimal: "99,8 %" in French, "99.8 %" in English.</summary>
    public static string Percent(SiteLanguage lang, double share)
    {
        var text = (Math.Floor(share * 1000) / 10).ToString("0.0", CultureInfo.InvariantCulture);
        return (lang.English ? text : text.Replace('.', ',')) + " %";
    }

    /// <summary>How long ago: "il y a 12 min" / "12 min ago".</summary>
    public static string Ago(SiteLanguage lang, TimeSpan elapsed)
    {
        if (elapsed < TimeSpan.FromMinutes(1))
        {
            return lang.T("il y a moins d'une minute", "less than a minute ago");
        }

        if (elapsed < TimeSpan.FromHours(1))
        {
            var minutes = (int)elapsed.TotalMinutes;
            return lang.T($"il y a {minutes} min", $"{minutes} min ago");
        }

        if (elapsed < TimeSpan.FromHours(48))
        {
            var hours = (int)elapsed.TotalHours;
            return lang.T($"il y a {hours} h", $"{hours} h ago");
        }

        var days = (int)elapsed.TotalDays;
        return lang.T($"il y a {days} jours", $"{days} days ago");
    }

    /// <summary>The badge's text: state (and reason), uptime over 30 days, when it was checked.</summary>
    public static string BadgeText(SiteLanguage lang, ObservationView view, DateTimeOffset now)
    {
        var parts = new List<string> { StateText(lang, view.State) + (view.Reason is { } reason ? " (" + reason + ")" : string.Empty) };
        if (view.Uptime.Days30 is { } days30)
        {
            parts.Add(lang.T($"{Percent(lang, days30)} sur 30 jours", $"{Percent(lang, days30)} over 30 days"));
        }

        parts.Add(lang.T("vérifié ", "checked ") + Ago(lang, now - view.CheckedAt));
        return string.Join(" · ", parts);
    }

    /// <summary>What was observed of one target, as a block: badge, third parties and trackers, a certificate about to end.</summary>
    public static void Observation(StringBuilder html, SiteLanguage lang, ObservationView? view, DateTimeOffset now)
    {
        if (view is null)
        {
            html.Append("<p class=\"observed none\">").Append(lang.T("Pas encore vérifié par cet annuaire.", "Not checked by this directory yet.")).Append("</p>\n");
            return;
        }

        html.Append("<p class=\"observed\"><span class=\"badge observed ").Append(view.State).Append("\">")
            .Append(SiteLayout.Time(BadgeText(lang, view, now), view.CheckedAt)).Append("</span></p>\n");
        if (view.ThirdPartyHosts.Count > 0)
        {
            html.Append("<p class=\"third-parties\">").Append(lang.T("Hôtes tiers chargés : ", "Third-party hosts loaded: "));
            var first = true;
            foreach (var host in view.ThirdPartyHosts)
            {
                html.Append(first ? string.Empty : ", ");
                first = false;
                var tracker = view.Trackers.Contains(host, StringComparer.Ordinal);
                html.Append(tracker ? "<strong class=\"tracker\">" : "<span class=\"host\">").Encoded(host)
                    .Append(tracker ? lang.T(" (traqueur)", " (tracker)") + "</strong>" : "</span>");
            }

            html.Append("</p>\n");
        }

        if (view.Tls is { } tls && tls.DaysLeft < CertificateWarningDays)
        {
            html.Append("<p class=\"certificate\">").Append(tls.DaysLeft < 0
                ? lang.T($"Certificat expiré le {SiteLanguage.Day(tls.ValidUntil)}.", $"Certificate expired on {SiteLanguage.Day(tls.ValidUntil)}.")
                : lang.T($"Certificat valable encore {tls.DaysLeft} jour(s), jusqu'au {SiteLanguage.Day(tls.ValidUntil)}.", $"Certificate valid {tls.DaysLeft} more day(s), until {SiteLanguage.Day(tls.ValidUntil)}."))
                .Append("</p>\n");
        }
    }

    /// <summary>The section of a chaton's page: its website and legal notice as observed, and where observation and declaration disagree.</summary>
    public static void Section(StringBuilder html, SiteLanguage lang, ChatonListing chaton, ObservationViews observed)
    {
        var now = observed.Time.GetUtcNow();
        html.Append("<section id=\"observatory\" aria-labelledby=\"observed\"><h2 id=\"observed\">").Append(lang.T("Vu par cet annuaire", "Seen by this directory")).Append("</h2>\n<p>")
            .Append(lang.T("Ce que cet annuaire constate lui-même, à côté de ce que le chaton déclare. ", "What this directory sees for itself, beside what the chaton declares. "))
            .Append("<a href=\"").Encoded(SiteLayout.Link(lang, lang.English ? MethodPathEnglish : MethodPath)).Append("\">").Append(lang.T("Méthode", "Method")).Append("</a></p>\n");
        if (chaton.Website is not null)
        {
            html.Append("<h3>").Append(lang.T("Site web", "Website")).Append("</h3>\n");
            Observation(html, lang, observed.Of(chaton.Website), now);
        }

        if (chaton.LegalNotice is not null)
        {
            html.Append("<h3>").Append(lang.T("Mentions légales", "Legal notice")).Append("</h3>\n");
            Observation(html, lang, observed.Of(chaton.LegalNotice), now);
        }

        var discrepancies = observed.Discrepancies(chaton);
        if (discrepancies.Count > 0)
        {
            html.Append("<h3>").Append(lang.T("Constaté et déclaré ne concordent pas", "Observed and declared disagree")).Append("</h3>\n<ul class=\"discrepancies\">\n");
            foreach (var discrepancy in discrepancies)
            {
                var service = chaton.Services.FirstOrDefault(s => s.Id == discrepancy.Service);
                var name = service is null ? string.Empty : service.Name.Length > 0 ? service.Name : service.Id;
                html.Append("<li class=\"discrepancy ").Append(discrepancy.Kind).Append("\">").Encoded(discrepancy.Kind switch
                {
                    ObservationViews.DeclaredOnlineButDown => lang.T($"« {name} » est déclaré en service, mais ne répond pas depuis plus d'un jour", $"\"{name}\" is declared running, but has not answered for more than a day"),
                    ObservationViews.RegistrationPage404 => lang.T($"« {name} » est déclaré ouvert à l'inscription, mais sa page répond 404", $"\"{name}\" is declared open to registration, but its page answers 404"),
                    _ => lang.T("Les mentions légales ne répondent pas", "The legal notice does not answer"),
                }).Append(lang.T(", depuis le ", ", since ")).Append(SiteLayout.Time(SiteLanguage.Moment(discrepancy.Since), discrepancy.Since)).Append("</li>\n");
            }

            html.Append("</ul>\n");
        }

        html.Append("</section>\n");
    }

    /// <summary>The Method page: what is checked, from where, how often, and what is done with it.</summary>
    public static string RenderMethod(HttpRequest request, SiteLanguage lang, ObservatorySettings settings, string baseUrl, int trackers)
    {
        var html = new StringBuilder(8 * 1024);
        SiteLayout.Begin(html, lang, request, lang.T("Méthode de l'observatoire — Annuaire des CHATONS", "Observatory method — CHATONS directory"), map: false);
        var interval = Duration(lang, settings.Interval);
        html.Append("<h1>").Append(lang.T("Méthode de l'observatoire", "Observatory method")).Append("</h1>\n<p class=\"lead\">")
            .Append(lang.T(
                "Un chaton déclare ses services et les critères de la charte qu'il remplit. Cet annuaire vérifie, poliment, ce qui est réellement servi, et l'affiche à côté de ce qui est déclaré.",
                "A chaton declares its services and the charter criteria it meets. This directory checks, politely, what is actually served, and shows it beside what is declared."))
            .Append("</p>\n<section aria-labelledby=\"what\"><h2 id=\"what\">").Append(lang.T("Ce qui est vérifié", "What is checked")).Append("</h2>\n<ul>\n<li>")
            .Append(lang.T("L'adresse de chaque service listé, le site web et la page de mentions légales de chaque chaton : une requête GET, rien d'autre.", "The address of each listed service, and each chaton's website and legal notice page: one GET request, nothing else."))
            .Append("</li>\n<li>").Append(lang.T(
                "<strong>en ligne</strong> : une réponse 2xx ou 3xx, après au plus 3 redirections ; <strong>hors ligne</strong> : pas de connexion, pas de réponse en 10 secondes, ou une réponse 5xx ; <strong>erreur</strong> : une réponse 4xx, un certificat refusé (autre nom, expiré, non reconnu), une adresse refusée, trop de redirections.",
                "<strong>up</strong>: a 2xx or 3xx answer, after at most 3 redirects; <strong>down</strong>: no connection, no answer within 10 seconds, or a 5xx answer; <strong>error</strong>: a 4xx answer, a certificate refused (another name, expired, not trusted), an address refused, too many redirects."))
            .Append("</li>\n<li>").Append(lang.T(
                "Pour une page HTML : les hôtes dont elle fait charger quelque chose (scripts, feuilles de style, icônes, images, cadres, médias, formulaires, redirection automatique), lus par un analyseur HTML ; aucun script n'est exécuté. Un hôte est tiers s'il n'est ni celui de la page ni sous le domaine du site du chaton (www.chaton.example → chaton.example et ses sous-domaines). Les hôtes tiers présents sur une liste de traqueurs (",
                "For an HTML page: the hosts it makes a browser load something from (scripts, stylesheets, icons, images, frames, media, forms, automatic refresh), read by an HTML parser; no script is run. A host is a third party when it is neither the page's host nor under the chaton's website domain (www.chaton.example → chaton.example and its subdomains). Third-party hosts on a tracker list ("))
            .Append(lang.T($"{trackers} hôtes, extraits de StevenBlack/hosts, licence MIT", $"{trackers} hosts, taken from StevenBlack/hosts, MIT licence"))
            .Append(lang.T(") sont signalés comme traqueurs.", ") are flagged as trackers."))
            .Append("</li>\n<li>").Append(lang.T(
                "La date de fin du certificat (HTTPS), affichée quand il reste moins de 14 jours ; les en-têtes de sécurité (HSTS, CSP, X-Content-Type-Options, Referrer-Policy) ; le temps de réponse.",
                "The certificate's end date (HTTPS), shown when fewer than 14 days are left; the security headers (HSTS, CSP, X-Content-Type-Options, Referrer-Policy); the response time."))
            .Append("</li>\n</ul>\n</section>\n<section aria-labelledby=\"how\"><h2 id=\"how\">").Append(lang.T("D'où, et à quel rythme", "From where, and how often")).Append("</h2>\n<ul>\n<li>")
            .Append(lang.T("Depuis cet annuaire, ", "From this directory, ")).Append("<a href=\"").Encoded(baseUrl + "/").Append("\">").Encoded(baseUrl).Append("</a>")
            .Append(lang.T(", qui se présente ainsi (User-Agent) : ", ", which introduces itself so (User-Agent): ")).Append("<code id=\"user-agent\">").Encoded(settings.UserAgent).Append("</code>.</li>\n<li>")
            .Append(lang.T($"Chaque adresse est vérifiée toutes les <strong id=\"interval\">{interval}</strong> environ (à 10 % près, pour étaler les requêtes)", $"Each address is checked every <strong id=\"interval\">{interval}</strong> or so (within 10 %, to spread the requests)"))
            .Append(settings.Enabled ? "." : lang.T(" ; l'observatoire est arrêté sur cet annuaire pour l'instant.", "; the observatory is stopped on this directory for now."))
            .Append("</li>\n<li>").Append(lang.T(
                "Une seule requête à la fois par hôte, au plus 8 en tout ; au plus 2 Mio lus par page ; 10 secondes par échange. Un hôte qui répond 429 (ou 503) avec Retry-After n'est pas redemandé avant ce délai (6 heures au plus).",
                "One request at a time per host, at most 8 in all; at most 2 MiB read per page; 10 seconds per exchange. A host that answers 429 (or 503) with Retry-After is not asked again before then (6 hours at most)."))
            .Append("</li>\n<li>").Append(lang.T(
                "Les adresses privées, de lien local et de métadonnées des hébergeurs cloud ne sont jamais demandées, à aucune étape d'une redirection.",
                "Private, link-local and cloud metadata addresses are never asked, at any hop of a redirect."))
            .Append("</li>\n</ul>\n</section>\n<section aria-labelledby=\"kept\"><h2 id=\"kept\">").Append(lang.T("Ce qui en est fait", "What is done with it")).Append("</h2>\n<p>")
            .Append(lang.T(
                "La dernière vérification de chaque adresse, et un résumé par jour (nombre de vérifications, combien en ligne, temps de réponse) sur 31 jours, d'où la disponibilité sur 7 et 30 jours. Sont signalés : un service déclaré en service qui ne répond plus depuis plus d'un jour, un service déclaré ouvert à l'inscription dont la page répond 404, des mentions légales qui ne répondent pas. C'est le regard de cet annuaire, pas une déclaration du chaton : il n'entre pas dans les exports signés.",
                "The last check of each address, and a summary per day (checks, how many up, response times) over 31 days, from which uptime over 7 and 30 days. Flagged: a service declared running that has not answered for more than a day, a service declared open to registration whose page answers 404, a legal notice that does not answer. This is this directory's view, not the chaton's declaration: it is not part of the signed exports."))
            .Append("</p>\n</section>\n");
        SiteLayout.End(html, lang);
        return html.ToString();
    }

    /// <summary>A period in words: "30 minutes", "2 heures", "5 secondes".</summary>
    public static string Duration(SiteLanguage lang, TimeSpan period)
    {
        if (period.TotalHours >= 1 && period.TotalHours == Math.Floor(period.TotalHours))
        {
            var hours = (int)period.TotalHours;
            return lang.T(hours == 1 ? "heure" : $"{hours} heures", hours == 1 ? "hour" : $"{hours} hours");
        }

        if (period.TotalMinutes >= 1 && period.TotalMinutes == Math.Floor(period.TotalMinutes))
        {
            var minutes = (int)period.TotalMinutes;
            return minutes == 1 ? "minute" : lang.T($"{minutes} minutes", $"{minutes} minutes");
        }

        var seconds = (int)Math.Round(period.TotalSeconds);
        return lang.T($"{seconds} secondes", $"{seconds} seconds");
    }
}
