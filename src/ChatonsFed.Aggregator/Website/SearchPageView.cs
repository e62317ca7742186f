using System.Globalization;
using System.Text;
using ChatonsFed.Aggregator.Api;
using ChatonsFed.Aggregator.Listing;
using ChatonsFed.Aggregator.Trust;
using ChatonsFed.Aggregator.Search;
using ChatonsFed.Directory.Node;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Aggregator.Website;

/// <summary>
/// The home page: the search form, the hits as a list, and the map (filled by site.js, an enhancement); after the
/// verified hits, in a section of their own, the unsigned entries read from ChatonsInfos files that the same search finds.
/// </summary>
internal static class SearchPageView
{
    /// <summary>How many unsigned entries the search page shows at most; more are reached by narrowing the search.</summary>
    public const int UnsignedShown = 50;

    private static readonly string[] Radii = ["10", "25", "50", "100", "200", "500"];
    private static readonly string[] Criteria = ["structure", "registration", "membership", "admission", "charter", "open", "observed", "thirdParty"];

    public static string Render(HttpRequest request, SiteLanguage lang, WebsiteQuery query, SearchPage? page, SearchPage? unsigned, string? error, ServiceCategoryCatalog categories, WebsiteSettings settings, AdmissionBook admission)
    {
        var html = new StringBuilder(32 * 1024);
        SiteLayout.Begin(html, lang, request, lang.T("Annuaire des CHATONS — trouver un chaton", "CHATONS directory — find a chaton"), map: true);
        html.Append("<h1>").Append(lang.T("Trouver un chaton", "Find a chaton")).Append("</h1>\n<p class=\"lead\">")
            .Append(lang.T(
                "Les CHATONS sont de petits hébergeurs éthiques et solidaires. Cherchez-en un par service, près de chez vous ou selon d'autres critères.",
                "CHATONS are small ethical hosting providers. Find one by service, near you, or by other criteria."))
            .Append("</p>\n<div class=\"layout\">\n");
        Form(html, lang, query, categories, admission.Enabled);
        Map(html, lang, query, settings);
        html.Append("<div class=\"lists\">\n");
        Results(html, lang, query, page, error, categories, admission);
        if (page is not null && unsigned is { Total: > 0 })
        {
            Unsigned(html, lang, unsigned, categories);
        }

        html.Append("</div>\n</div>\n");
        // With unsigned entries on the page, the footer does not say that every entry is signed.
        SiteLayout.End(html, lang, unsigned: page is not null && unsigned is { Total: > 0 });
        return html.ToString();
    }

    private static void Form(StringBuilder html, SiteLanguage lang, WebsiteQuery query, ServiceCategoryCatalog categories, bool admission)
    {
        html.Append("<form id=\"search\" class=\"search\" method=\"get\" action=\"/\" role=\"search\" aria-labelledby=\"search-title\">\n")
            .Append("<h2 id=\"search-title\">").Append(lang.T("Rechercher", "Search")).Append("</h2>\n");
        if (lang.Explicit)
        {
            html.Append("<input type=\"hidden\" name=\"lang\" value=\"").Append(lang.Code).Append("\">\n");
        }

        html.Append("<p class=\"field\"><label for=\"q\">").Append(lang.T("Mots-clés (nom, ville, logiciel…)", "Keywords (name, town, software…)"))
            .Append("</label><input type=\"search\" id=\"q\" name=\"q\" value=\"").Encoded(query.Value("q")).Append("\"></p>\n");

        html.Append("<p class=\"field\"><label for=\"category\">").Append(lang.T("Service", "Service")).Append("</label><select id=\"category\" name=\"category\">\n<option value=\"\">")
            .Append(lang.T("Tous les services", "Any service")).Append("</option>\n");
        foreach (var family in categories.Families)
        {
            html.Append("<optgroup label=\"").Encoded(lang.Label(family)).Append("\">\n");
            foreach (var category in categories.InFamily(family.Id))
            {
                Option(html, category.Id, lang.Label(category), query.Has("category", category.Id));
            }

            html.Append("</optgroup>\n");
        }

        html.Append("</select></p>\n");

        html.Append("<fieldset class=\"near\"><legend>").Append(lang.T("Près de chez moi", "Near me")).Append("</legend>\n")
            .Append("<p class=\"field\"><label for=\"near\">").Append(lang.T("Position (latitude, longitude)", "Position (latitude, longitude)"))
            .Append("</label><input type=\"text\" id=\"near\" name=\"near\" inputmode=\"decimal\" autocomplete=\"off\" placeholder=\"45.76, 4.84\" aria-describedby=\"near-help\" value=\"")
            .Encoded(query.Value("near")).Append("\"></p>\n<p id=\"near-help\" class=\"help\">")
            .Append(lang.T(
                "Utilisez votre position ou cliquez sur la carte pour la choisir.",
                "Use your position, or click on the map to choose it."))
            .Append("</p>\n<p class=\"field\"><label for=\"radius\">").Append(lang.T("Dans un rayon de", "Within")).Append("</label><select id=\"radius\" name=\"radius\">\n");
        var radius = query.Value("radius") is { Length: > 0 } given ? given : WebsiteQuery.DefaultRadius;
        foreach (var km in Radii)
        {
            Option(html, km, km + " km", km == radius);
        }

        html.Append("</select></p>\n</fieldset>\n");

        // Folded away until used, so that on a phone the results come soon after the form.
        var chosen = Criteria.Any(f => query.Value(f).Length > 0);
        html.Append("<details class=\"criteria\"").Append(chosen ? " open" : string.Empty).Append("><summary>").Append(lang.T("Autres critères", "Other criteria")).Append("</summary>\n");
        Select(html, "structure", lang.T("Type de structure", "Type of structure"), lang.T("Toutes", "Any"), query,
            WireNames.AllowedValues<StructureType>().Select(v => (v, lang.StructureType(v))));
        Select(html, "registration", lang.T("Inscription", "Registration"), lang.T("Toutes", "Any"), query,
            WireNames.AllowedValues<Registration>().Select(v => (v, lang.Registration(v))));
        Select(html, "membership", lang.T("Statut dans le collectif", "Membership of the collective"), lang.T("Tous", "Any"), query,
            WireNames.AllowedValues<MembershipStatus>().Select(v => (v, lang.Membership(v))));
        if (admission)
        {
            Select(html, "admission", lang.T("Admission dans cet annuaire", "Admission in this directory"), lang.T("Peu importe", "Any"), query,
                [("admitted", lang.T("Membres admis·es", "Admitted members")), ("candidate", lang.T("Candidat·es", "Candidates")),
                 ("lapsed", lang.T("Admission échue", "Admission lapsed")), ("revoked", lang.T("Admission révoquée", "Admission revoked"))]);
        }

        Select(html, "charter", lang.T("Charte", "Charter"), lang.T("Peu importe", "Any"), query,
            [("all", lang.T("Déclare remplir tous les critères obligatoires", "Declares every required criterion met")),
             ("notall", lang.T("Ne déclare pas tous les critères obligatoires", "Does not declare every required criterion"))]);
        Select(html, "observed", lang.T("Vu par cet annuaire", "Seen by this directory"), lang.T("Peu importe", "Any"), query,
            [("up", lang.T("Tous ses services en ligne à la dernière vérification", "All its services up at the last check"))]);
        Select(html, "thirdParty", lang.T("Hôtes tiers", "Third-party hosts"), lang.T("Peu importe", "Any"), query,
            [("none", lang.T("Site et services sans hôte tiers", "Website and services load no third-party host"))]);
        html.Append("<p class=\"check\"><input type=\"checkbox\" id=\"open\" name=\"open\" value=\"true\"").Append(query.Value("open") is "true" or "1" or "yes" ? " checked" : string.Empty)
            .Append("><label for=\"open\">").Append(lang.T("Ouvert aux nouveaux comptes", "Open to new accounts")).Append("</label></p>\n</details>\n");

        Select(html, "sort", lang.T("Trier par", "Sort by"), null, query,
            [("name", lang.T("Nom", "Name")), ("distance", lang.T("Distance (avec une position)", "Distance (with a position)")), ("updated", lang.T("Dernière mise à jour", "Last update"))]);
        html.Append("<p class=\"actions\"><button type=\"submit\">").Append(lang.T("Rechercher", "Search")).Append("</button> <a href=\"")
            .Append(SiteLayout.Encode(SiteLayout.Link(lang, "/"))).Append("\">").Append(lang.T("Tout effacer", "Clear all")).Append("</a></p>\n</form>\n");
    }

    private static void Select(StringBuilder html, string name, string label, string? any, WebsiteQuery query, IEnumerable<(string Value, string Label)> options)
    {
        html.Append("<p class=\"field\"><label for=\"").Append(name).Append("\">").Encoded(label).Append("</label><select id=\"").Append(name).Append("\" name=\"").Append(name).Append("\">\n");
        if (any is not null)
        {
            Option(html, string.Empty, any, false);
        }

        foreach (var (value, text) in options)
        {
            Option(html, value, text, query.Has(name, value));
        }

        html.Append("</select></p>\n");
    }

    private static void Option(StringBuilder html, string value, string label, bool selected) =>
        html.Append("<option value=\"").Encoded(value).Append('"').Append(selected ? " selected" : string.Empty).Append('>').Encoded(label).Append("</option>\n");

    private static void Map(StringBuilder html, SiteLanguage lang, WebsiteQuery query, WebsiteSettings settings)
    {
        html.Append("<section class=\"map-panel\" aria-labelledby=\"map-title\" hidden>\n<h2 id=\"map-title\">").Append(lang.T("Carte", "Map")).Append("</h2>\n")
            .Append("<div id=\"map\" class=\"map\" data-api=\"").Encoded("/api/directory/search" + query.ApiQuery).Append('"');
        settings.AppendMapData(html, lang);
        if (query.Search?.Near is { } near)
        {
            html.Append(" data-near=\"").Append(string.Create(CultureInfo.InvariantCulture, $"{near.Latitude},{near.Longitude},{near.RadiusKm}")).Append('"');
        }

        html.Append("></div>\n<p id=\"map-status\" class=\"help\" role=\"status\" aria-live=\"polite\"></p>\n</section>\n");
    }

    private static void Results(StringBuilder html, SiteLanguage lang, WebsiteQuery query, SearchPage? page, string? error, ServiceCategoryCatalog categories, AdmissionBook admission)
    {
        html.Append("<section class=\"results\" aria-labelledby=\"results-title\">\n<h2 id=\"results-title\">");
        if (page is null)
        {
            html.Append(lang.T("Recherche incorrecte", "Search not understood")).Append("</h2>\n<p class=\"error\" role=\"alert\">").Encoded(error).Append("</p>\n</section>\n");
            return;
        }

        html.Append(page.Total switch
        {
            0 => lang.T("Aucun chaton trouvé", "No chaton found"),
            1 => lang.T("1 chaton trouvé", "1 chaton found"),
            var n => lang.T($"{n} chatons trouvés", $"{n} chatons found"),
        }).Append("</h2>\n");
        if (page.Hits.Count > 0)
        {
            var first = query.Offset + 1;
            html.Append("<p class=\"help\">").Append(lang.T($"Résultats {first} à {query.Offset + page.Hits.Count}", $"Results {first} to {query.Offset + page.Hits.Count}")).Append("</p>\n");
        }

        html.Append("<ol id=\"hits\" class=\"hits\" start=\"").Append(query.Offset + 1).Append("\">\n");
        foreach (var hit in page.Hits)
        {
            Hit(html, lang, hit, categories, admission.For(hit.Chaton.ActorId));
        }

        html.Append("</ol>\n");
        Pager(html, lang, query, page);
        html.Append("</section>\n");
    }

    private static void Hit(StringBuilder html, SiteLanguage lang, SearchHit hit, ServiceCategoryCatalog categories, EntryAdmission? admission)
    {
        var chaton = hit.Chaton;
        html.Append("<li class=\"hit\" data-id=\"").Encoded(chaton.ActorId).Append('"');
        if (chaton.Location is { } place)
        {
            html.Append(string.Create(CultureInfo.InvariantCulture, $" data-lat=\"{place.Latitude}\" data-lon=\"{place.Longitude}\""));
        }

        html.Append(">\n<h3><a href=\"").Encoded(SiteLayout.ChatonPath(lang, chaton.ActorId)).Append("\">").Encoded(chaton.Name).Append("</a>");
        if (admission is not null)
        {
            html.Append(' ').Append(AdmissionView.Mark(lang, admission));
        }

        html.Append("</h3>\n<p class=\"meta\">");
        var meta = new List<string>();
        if (chaton.Location?.Name is { } town)
        {
            meta.Add(SiteLayout.Encode(town));
        }

        if (hit.DistanceKm is { } km)
        {
            meta.Add("<span class=\"distance\">" + lang.T($"à {km.ToString("0.#", CultureInfo.InvariantCulture).Replace('.', ',')} km", $"{km.ToString("0.#", CultureInfo.InvariantCulture)} km away") + "</span>");
        }

        meta.Add(SiteLayout.Encode(lang.StructureType(chaton.StructureType)));
        html.AppendJoin(" · ", meta).Append("</p>\n");
        if (chaton.Summary.Length > 0)
        {
            html.Append("<p>").Encoded(Shorten(chaton.Summary, 220)).Append("</p>\n");
        }

        var matching = hit.MatchingServiceIds.ToHashSet(StringComparer.Ordinal);
        var services = matching.Count > 0 && matching.Count < chaton.Services.Count ? chaton.Services.Where(s => matching.Contains(s.Id)) : chaton.Services;
        if (chaton.Services.Count > 0)
        {
            html.Append("<p class=\"services\"><span class=\"label\">").Append(matching.Count > 0 && matching.Count < chaton.Services.Count ? lang.T("Services trouvés : ", "Matching services: ") : lang.T("Services : ", "Services: "))
                .Append("</span>").AppendJoin(", ", services.Select(s => SiteLayout.Encode(ServiceLabel(lang, s, categories)))).Append("</p>\n");
        }

        html.Append("</li>\n");
    }

    /// <summary>
    /// The unsigned entries the same search finds, apart from the verified hits and after them: a heading and an
    /// explanation of their own, a badge on each, a link to their own page (never a chaton's page), no place on the map.
    /// </summary>
    private static void Unsigned(StringBuilder html, SiteLanguage lang, SearchPage unsigned, ServiceCategoryCatalog categories)
    {
        html.Append("<section id=\"unsigned\" class=\"unsigned-results\" aria-labelledby=\"unsigned-title\" aria-describedby=\"unsigned-about\">\n<h2 id=\"unsigned-title\">")
            .Append(lang.T("Non signés, d'après ChatonsInfos", "Unsigned, from ChatonsInfos")).Append("</h2>\n<p id=\"unsigned-about\" class=\"notice\">")
            .Append(lang.T(
                "Ces structures sont listées d'après les fichiers ChatonsInfos du collectif. Ce qui en est dit n'est pas signé par la clé du chaton lui-même : cet annuaire ne l'a pas vérifié. Elles ne sont pas sur la carte.",
                "These organizations are listed from the collective's ChatonsInfos files. What is said of them is not signed with the chaton's own key: this directory has not verified it. They are not on the map."))
            .Append("</p>\n<p class=\"help\">").Append(unsigned.Total switch
            {
                1 => lang.T("1 entrée non signée", "1 unsigned entry"),
                var n when n > unsigned.Hits.Count => lang.T($"{n} entrées non signées, dont les {unsigned.Hits.Count} premières ; précisez la recherche pour les autres", $"{n} unsigned entries, the first {unsigned.Hits.Count} shown; narrow the search for the others"),
                var n => lang.T($"{n} entrées non signées", $"{n} unsigned entries"),
            }).Append("</p>\n<ol id=\"unsigned-hits\" class=\"hits\">\n");
        foreach (var hit in unsigned.Hits)
        {
            var entry = hit.Chaton;
            html.Append("<li class=\"hit unsigned\" data-id=\"").Encoded(entry.ActorId).Append("\">\n<h3><a href=\"").Encoded(SiteLayout.UnsignedPath(lang, entry.ActorId)).Append("\">")
                .Encoded(entry.Name).Append("</a> ").Append(Badge(lang)).Append("</h3>\n<p class=\"meta\">");
            var meta = new List<string>();
            if (entry.Location?.Name is { } town)
            {
                meta.Add(SiteLayout.Encode(town));
            }

            if (hit.DistanceKm is { } km)
            {
                meta.Add(lang.T($"à {km.ToString("0.#", CultureInfo.InvariantCulture).Replace('.', ',')} km", $"{km.ToString("0.#", CultureInfo.InvariantCulture)} km away"));
            }

            meta.Add(SiteLayout.Encode(lang.StructureType(entry.StructureType)));
            html.AppendJoin(" · ", meta).Append("</p>\n");
            if (entry.Services.Count > 0)
            {
                html.Append("<p class=\"services\"><span class=\"label\">").Append(lang.T("Services d'après le fichier : ", "Services, as the file says: "))
                    .Append("</span>").AppendJoin(", ", entry.Services.Select(s => SiteLayout.Encode(ServiceLabel(lang, s, categories)))).Append("</p>\n");
            }

            html.Append("</li>\n");
        }

        html.Append("</ol>\n</section>\n");
    }

    /// <summary>The badge of an unsigned entry, in words (not a colour alone).</summary>
    public static string Badge(SiteLanguage lang) =>
        "<span class=\"badge unsigned\">" + lang.T("Non signé", "Unsigned") + "</span>";

    /// <summary>"Pad (Etherpad)" or the category's label when the service has no name.</summary>
    public static string ServiceLabel(SiteLanguage lang, ServiceListing service, ServiceCategoryCatalog categories)
    {
        var name = service.Name.Length > 0 ? service.Name : service.Category is { } id ? lang.Label(categories.Describe(id)) : service.Id;
        return service.SoftwareName is { } software && !string.Equals(software, name, StringComparison.OrdinalIgnoreCase) ? $"{name} ({software})" : name;
    }

    private static void Pager(StringBuilder html, SiteLanguage lang, WebsiteQuery query, SearchPage page)
    {
        var hasPrevious = query.Offset > 0;
        var hasNext = query.Offset + page.Hits.Count < page.Total;
        if (!hasPrevious && !hasNext)
        {
            return;
        }

        html.Append("<nav class=\"pager\" aria-label=\"").Append(lang.T("Pages de résultats", "Result pages")).Append("\">");
        if (hasPrevious)
        {
            html.Append("<a rel=\"prev\" href=\"").Encoded(query.PagePath(lang, Math.Max(0, query.Offset - WebsiteQuery.PageSize))).Append("\">← ").Append(lang.T("Précédents", "Previous")).Append("</a> ");
        }

        if (hasNext)
        {
            html.Append("<a rel=\"next\" href=\"").Encoded(query.PagePath(lang, query.Offset + page.Hits.Count)).Append("\">").Append(lang.T("Suivants", "Next")).Append(" →</a>");
        }

        html.Append("</nav>\n");
    }

    private static string Shorten(string text, int length)
    {
        if (text.Length <= length)
        {
            return text;
        }

        var cut = text.LastIndexOf(' ', length - 1, length / 2);
        return text[..(cut > 0 ? cut : length)] + "…";
    }
}
