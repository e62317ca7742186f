using System.Globalization;
using System.Text;
using ChatonsFed.Aggregator.Api;
using ChatonsFed.Aggregator.ChatonsInfosSource;
using ChatonsFed.Aggregator.Listing;
using ChatonsFed.Aggregator.Observatory;
using ChatonsFed.Aggregator.Storage;
using ChatonsFed.Directory.Node;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Aggregator.Website;

/// <summary>A chaton's page: profile, services, charter declaration criterion by criterion, verification, follow.</summary>
internal static class ChatonPageView
{
    public static string Render(HttpRequest request, SiteLanguage lang, ChatonListing chaton, IReadOnlyList<WebsiteConflict> conflicts, ServiceCategoryCatalog categories, CharterCriteriaCatalog criteria, WebsiteSettings settings,
        EntryAdmission? admission, DirectoryStore store, ObservationViews? observed = null)
    {
        var html = new StringBuilder(24 * 1024);
        SiteLayout.Begin(html, lang, request, chaton.Name + lang.T(" — Annuaire des CHATONS", " — CHATONS directory"), map: chaton.Location is not null);
        html.Append("<p class=\"back\"><a href=\"").Encoded(SiteLayout.Link(lang, "/")).Append("\">← ").Append(lang.T("Retour à la recherche", "Back to the search")).Append("</a></p>\n")
            .Append("<h1>").Encoded(chaton.Name).Append("</h1>\n");
        if (Handle(chaton) is { } handle)
        {
            html.Append("<p class=\"handle\">").Encoded(handle).Append("</p>\n");
        }

        if (admission is not null)
        {
            html.Append("<p class=\"admission-mark\">").Append(AdmissionView.Mark(lang, admission)).Append("</p>\n");
        }

        if (chaton.Summary.Length > 0)
        {
            html.Append("<p class=\"lead\">").Encoded(chaton.Summary).Append("</p>\n");
        }

        UnsignedPageView.Conflicts(html, lang, conflicts, onChatonPage: true);
        html.Append("<div class=\"chaton\">\n");
        Profile(html, lang, chaton, settings);
        if (admission is not null)
        {
            AdmissionView.Section(html, lang, admission, store);
        }

        Services(html, lang, chaton, categories, observed);
        if (observed is not null)
        {
            ObservationPages.Section(html, lang, chaton, observed);
        }

        Charter(html, lang, chaton, criteria);
        Verification(html, lang, chaton);
        Follow(html, lang, chaton);
        html.Append("</div>\n");
        SiteLayout.End(html, lang);
        return html.ToString();
    }

    /// <summary><c>@name@host</c>, when the chaton gives a preferred username.</summary>
    public static string? Handle(ChatonListing chaton) =>
        chaton.PreferredUsername is { Length: > 0 } name && Uri.TryCreate(chaton.ActorId, UriKind.Absolute, out var id) ? $"@{name}@{id.Authority}" : null;

    private static void Profile(StringBuilder html, SiteLanguage lang, ChatonListing chaton, WebsiteSettings settings)
    {
        html.Append("<section aria-labelledby=\"profile\"><h2 id=\"profile\">").Append(lang.T("Le chaton", "The chaton")).Append("</h2>\n<dl class=\"facts\">\n");
        Fact(html, lang.T("Structure", "Structure"), SiteLayout.Encode(lang.StructureType(chaton.StructureType)));
        var membership = lang.Membership(chaton.MembershipStatus);
        if (chaton.MemberSince is { } since)
        {
            membership += lang.T($", depuis le {since:yyyy-MM-dd}", $", since {since:yyyy-MM-dd}");
        }

        Fact(html, lang.T("Collectif", "Collective"), SiteLayout.Encode(membership));
        if (chaton.Website is not null)
        {
            Fact(html, lang.T("Site web", "Website"), new StringBuilder().ExternalLink(chaton.Website, chaton.Website).ToString());
        }

        if (chaton.Contact is not null)
        {
            Fact(html, lang.T("Contact", "Contact"), new StringBuilder().ExternalLink(chaton.Contact, chaton.Contact.Replace("mailto:", string.Empty, StringComparison.Ordinal)).ToString());
        }

        if (chaton.LegalNotice is not null)
        {
            Fact(html, lang.T("Mentions légales", "Legal notice"), new StringBuilder().ExternalLink(chaton.LegalNotice, chaton.LegalNotice).ToString());
        }

        Place(html, lang, chaton);

        html.Append("</dl>\n");
        if (chaton.Location is { } location)
        {
            html.Append("<div id=\"map\" class=\"map small\" hidden").Append(string.Create(CultureInfo.InvariantCulture, $" data-point=\"{location.Latitude},{location.Longitude}\""))
                .Append(" data-name=\"").Encoded(chaton.Name).Append('"');
            settings.AppendMapData(html, lang);
            html.Append("></div>\n");
        }

        html.Append("</section>\n");
    }

    /// <summary>Where the chaton is (town, country, coordinates), or its country alone.</summary>
    public static void Place(StringBuilder html, SiteLanguage lang, ChatonListing chaton)
    {
        if (chaton.Location is { } place)
        {
            var where = (place.Name is null ? string.Empty : place.Name + (chaton.Country is null ? string.Empty : " (" + chaton.Country + ")") + " — ")
                + string.Create(CultureInfo.InvariantCulture, $"{place.Latitude:0.####}, {place.Longitude:0.####}");
            Fact(html, lang.T("Lieu", "Place"), SiteLayout.Encode(where));
        }
        else if (chaton.Country is not null)
        {
            Fact(html, lang.T("Pays", "Country"), SiteLayout.Encode(chaton.Country));
        }
    }

    public static void Fact(StringBuilder html, string term, string valueHtml) =>
        html.Append("<dt>").Encoded(term).Append("</dt><dd>").Append(valueHtml).Append("</dd>\n");

    private static void Services(StringBuilder html, SiteLanguage lang, ChatonListing chaton, ServiceCategoryCatalog categories, ObservationViews? observed) =>
        Services(html, lang, lang.T("Services hébergés", "Hosted services"), lang.T("Aucun service publié.", "No service published."),
            chaton.Services.OrderBy(s => s.Category is { } c ? categories.Describe(c).FamilyId : "~", StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.CurrentCultureIgnoreCase), categories, observed);

    /// <summary>The services section: <paramref name="heading"/>, then each service, or <paramref name="none"/>.</summary>
    public static void Services(StringBuilder html, SiteLanguage lang, string heading, string none, IEnumerable<ServiceListing> services, ServiceCategoryCatalog categories, ObservationViews? observed = null)
    {
        html.Append("<section aria-labelledby=\"services\"><h2 id=\"services\">").Append(heading).Append("</h2>\n");
        var list = services.ToList();
        if (list.Count == 0)
        {
            html.Append("<p>").Append(none).Append("</p>\n</section>\n");
            return;
        }

        html.Append("<ul class=\"services-list\">\n");
        foreach (var service in list)
        {
            Service(html, lang, service, categories, observed);
        }

        html.Append("</ul>\n</section>\n");
    }

    /// <summary>One service as a list item: name (linked), category, software, conditions, and what this directory observed of it.</summary>
    public static void Service(StringBuilder html, SiteLanguage lang, ServiceListing service, ServiceCategoryCatalog categories, ObservationViews? observed = null)
    {
        var category = service.Category is { } id ? lang.Label(categories.Describe(id)) : lang.T("Autre", "Other");
        html.Append("<li class=\"service\"><h3>").ExternalLink(service.Url, service.Name.Length > 0 ? service.Name : category).Append("</h3>\n<p class=\"meta\">").Encoded(category);
        if (service.SoftwareName is not null)
        {
            html.Append(" · ").Append(lang.T("logiciel ", "software ")).Append("<span class=\"software\">").Encoded(service.SoftwareName);
            if (service.SoftwareVersion is not null)
            {
                html.Append(' ').Encoded(service.SoftwareVersion);
            }

            html.Append("</span>");
            if (service.License is not null)
            {
                html.Append(" (").Encoded(service.License).Append(')');
            }
        }

        html.Append("</p>\n");
        if (service.Summary.Length > 0)
        {
            html.Append("<p>").Encoded(service.Summary).Append("</p>\n");
        }

        html.Append("<p class=\"conditions\">").Encoded(lang.Registration(service.Registration)).Append(" · ").Encoded(lang.Status(service.Status));
        if (lang.Capacity(service.Capacity) is { Length: > 0 } capacity)
        {
            html.Append(" · ").Encoded(capacity);
        }

        html.Append("</p>\n");
        if (observed is not null && service.Url is not null)
        {
            ObservationPages.Observation(html, lang, observed.Of(service.Url), observed.Time.GetUtcNow());
        }

        html.Append("</li>\n");
    }

    private static void Charter(StringBuilder html, SiteLanguage lang, ChatonListing chaton, CharterCriteriaCatalog criteria)
    {
        html.Append("<section aria-labelledby=\"charter\"><h2 id=\"charter\">").Append(lang.T("Déclaration sur la charte", "Charter declaration")).Append("</h2>\n");
        if (chaton.Attestation is not { } attestation)
        {
            html.Append("<p>").Append(lang.T("Ce chaton n'a pas publié de déclaration sur la charte.", "This chaton has published no charter declaration.")).Append("</p>\n</section>\n");
            return;
        }

        var all = chaton.DeclaresAllRequiredCriteria(criteria);
        html.Append("<p class=\"").Append(all ? "met" : "unmet").Append("\">")
            .Append(all
                ? lang.T("Déclare remplir tous les critères obligatoires.", "Declares every required criterion met.")
                : lang.T("Ne déclare pas remplir tous les critères obligatoires.", "Does not declare every required criterion met."))
            .Append("</p>\n<p>").Append(lang.T("Ce que le chaton déclare lui-même, critère par critère", "What the chaton itself declares, criterion by criterion"));
        if (attestation.CharterVersion is not null)
        {
            html.Append(lang.T(" (charte ", " (charter ")).Encoded(attestation.CharterVersion).Append(')');
        }

        html.Append(".</p>\n");
        var met = attestation.Met.ToHashSet(StringComparer.Ordinal);
        var notMet = attestation.NotMet.ToHashSet(StringComparer.Ordinal);
        foreach (var part in criteria.Parts)
        {
            html.Append("<table class=\"criteria\"><caption>").Encoded(lang.Label(part)).Append("</caption>\n<thead><tr><th scope=\"col\">").Append(lang.T("Critère", "Criterion"))
                .Append("</th><th scope=\"col\">").Append(lang.T("Niveau", "Level")).Append("</th><th scope=\"col\">").Append(lang.T("Déclaré", "Declared")).Append("</th></tr></thead>\n<tbody>\n");
            foreach (var criterion in criteria.InPart(part.Id))
            {
                var (css, text) = met.Contains(criterion.Id) ? ("met", lang.T("✓ rempli", "✓ met"))
                    : notMet.Contains(criterion.Id) ? ("unmet", lang.T("✗ non rempli", "✗ not met"))
                    : ("unknown", lang.T("— non déclaré", "— not declared"));
                html.Append("<tr><td>").Encoded(lang.Label(criterion)).Append("</td><td>")
                    .Append(criterion.Level == CriterionLevel.Required ? lang.T("obligatoire", "required") : lang.T("recommandé", "recommended"))
                    .Append("</td><td class=\"").Append(css).Append("\">").Append(text).Append("</td></tr>\n");
            }

            html.Append("</tbody></table>\n");
        }

        html.Append("</section>\n");
    }

    private static void Verification(StringBuilder html, SiteLanguage lang, ChatonListing chaton)
    {
        var seen = chaton.Observation;
        html.Append("<section aria-labelledby=\"verification\"><h2 id=\"verification\">").Append(lang.T("Vérification et fraîcheur", "Verification and freshness")).Append("</h2>\n<ul class=\"verification\">\n<li class=\"")
            .Append(seen.State == VerificationState.Verified ? "met" : "unmet").Append("\">");
        var at = SiteLayout.Time(SiteLanguage.Moment(seen.LastSeen), seen.LastSeen);
        html.Append(seen.State switch
        {
            VerificationState.Verified => lang.T($"Signé par sa propre clé, vérifié le {at}.", $"Signed by its own key, checked at {at}."),
            VerificationState.PartlyRejected => lang.T(
                $"Signé par sa propre clé, vérifié le {at} ; certains documents ont été refusés, leur version vérifiée auparavant est affichée.",
                $"Signed by its own key, checked at {at}; some documents were refused, their version verified before is shown."),
            _ => lang.T(
                $"La dernière vérification ({at}) a refusé son profil ; ce qui est affiché avait été vérifié auparavant.",
                $"The last check ({at}) refused its profile; what is shown was verified before."),
        }).Append("</li>\n");
        if (seen.Stale)
        {
            html.Append("<li class=\"unmet\">").Append(lang.T("Son serveur ne répond plus depuis un moment.", "Its server has not answered for a while.")).Append("</li>\n");
        }

        if (chaton.LastUpdated is { } updated)
        {
            var day = SiteLayout.Time(SiteLanguage.Day(updated), updated);
            html.Append("<li>").Append(lang.T($"Dernière modification publiée par le chaton : {day}.", $"Last change published by the chaton: {day}.")).Append("</li>\n");
        }

        var first = SiteLayout.Time(SiteLanguage.Day(seen.FirstSeen), seen.FirstSeen);
        html.Append("<li>").Append(lang.T($"Dans cet annuaire depuis le {first}.", $"In this directory since {first}.")).Append("</li>\n</ul>\n</section>\n");
    }

    private static void Follow(StringBuilder html, SiteLanguage lang, ChatonListing chaton)
    {
        html.Append("<section aria-labelledby=\"follow\"><h2 id=\"follow\">").Append(lang.T("Suivre sur le fédivers", "Follow on the fediverse")).Append("</h2>\n<p>")
            .Append(lang.T(
                "Suivez ce chaton depuis votre compte Mastodon (ou autre) pour voir ses nouveaux services et changements. Indiquez votre instance :",
                "Follow this chaton from your Mastodon (or other) account to see its new services and changes. Enter your instance:"))
            .Append("</p>\n<form class=\"follow\" method=\"get\" action=\"/follow\">\n<input type=\"hidden\" name=\"id\" value=\"").Encoded(chaton.ActorId).Append("\">\n");
        if (lang.Explicit)
        {
            html.Append("<input type=\"hidden\" name=\"lang\" value=\"").Append(lang.Code).Append("\">\n");
        }

        html.Append("<p class=\"field\"><label for=\"instance\">").Append(lang.T("Votre instance", "Your instance")).Append("</label>")
            .Append("<input type=\"text\" id=\"instance\" name=\"instance\" required autocomplete=\"off\" autocapitalize=\"none\" spellcheck=\"false\" placeholder=\"mastodon.example\"></p>\n")
            .Append("<p class=\"actions\"><button type=\"submit\">").Append(lang.T("Suivre", "Follow")).Append("</button></p>\n</form>\n");
        if (Handle(chaton) is { } handle)
        {
            html.Append("<p class=\"help\">").Append(lang.T("Ou cherchez ", "Or search for ")).Append("<code>").Encoded(handle).Append("</code>")
                .Append(lang.T(" depuis votre compte.", " from your account.")).Append("</p>\n");
        }

        html.Append("</section>\n");
    }

    /// <summary>The hand-off page: a link to the visitor's instance, which asks them to confirm the follow.</summary>
    public static string RenderFollow(HttpRequest request, SiteLanguage lang, ChatonListing chaton, string? instance)
    {
        var html = new StringBuilder(4 * 1024);
        SiteLayout.Begin(html, lang, request, lang.T("Suivre ", "Follow ") + chaton.Name, map: false);
        html.Append("<h1>").Append(lang.T("Suivre ", "Follow ")).Encoded(chaton.Name).Append("</h1>\n");
        if (instance is null)
        {
            html.Append("<p class=\"error\" role=\"alert\">")
                .Append(lang.T("Ce nom d'instance n'est pas valide ; écrivez son adresse, par exemple mastodon.example.", "This instance name is not valid; write its address, e.g. mastodon.example."))
                .Append("</p>\n");
        }
        else
        {
            var target = $"https://{instance}/authorize_interaction?uri={Uri.EscapeDataString(chaton.ActorId)}";
            html.Append("<p>").Append(lang.T("Votre instance va vous demander de confirmer l'abonnement.", "Your instance will ask you to confirm the follow.")).Append("</p>\n")
                .Append("<p class=\"actions\"><a class=\"button\" id=\"follow-link\" href=\"").Encoded(target).Append("\" rel=\"nofollow noopener noreferrer\">")
                .Append(lang.T("Continuer sur ", "Continue on ")).Encoded(instance).Append("</a></p>\n");
        }

        html.Append("<p><a href=\"").Encoded(SiteLayout.ChatonPath(lang, chaton.ActorId)).Append("\">← ").Append(lang.T("Retour au chaton", "Back to the chaton")).Append("</a></p>\n");
        SiteLayout.End(html, lang);
        return html.ToString();
    }

    /// <summary>The host (and port) of the visitor's instance from what they typed: a host, a URL or a handle; null when it is none.</summary>
    public static string? Instance(string? typed)
    {
        var text = (typed ?? string.Empty).Trim();
        if (text.Contains('@', StringComparison.Ordinal))
        {
            text = text[(text.LastIndexOf('@') + 1)..];
        }

        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "https://" + text;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps && url.HostNameType == UriHostNameType.Dns
            && url.Host.Contains('.', StringComparison.Ordinal) && string.IsNullOrEmpty(url.UserInfo)
            ? url.IsDefaultPort ? url.IdnHost : $"{url.IdnHost}:{url.Port}"
            : null;
    }
}
