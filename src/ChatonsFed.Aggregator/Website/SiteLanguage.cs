using System.Globalization;
using ChatonsFed.Directory.Node;
using ChatonsFed.Hosting.Endpoints;

namespace ChatonsFed.Aggregator.Website;

/// <summary>The language of a page: French unless English is asked for (<c>?lang=en</c> or Accept-Language).</summary>
internal readonly record struct SiteLanguage(bool English)
{
    public string Code => English ? "en" : "fr";

    public string Other => English ? "fr" : "en";

    /// <summary>True when the visitor chose the language in the URL: links then carry it on.</summary>
    public bool Explicit { get; init; }

    public string T(string french, string english) => English ? english : french;

    public string Label(ServiceFamily family) => English ? family.LabelEn : family.LabelFr;

    public string Label(ServiceCategory category) => English ? category.LabelEn : category.LabelFr;

    public string Label(CharterPart part) => English ? part.LabelEn : part.LabelFr;

    public string Label(CharterCriterion criterion) => English ? criterion.LabelEn : criterion.LabelFr;

    /// <summary>A moment as UTC, the same in both languages (ISO order, minutes).</summary>
    public static string Moment(DateTimeOffset moment) => moment.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Day(DateTimeOffset moment) => moment.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public string StructureType(string? wire) => wire switch
    {
        "ASSOCIATION" => T("Association", "Association"),
        "INFORMAL" => T("Collectif informel", "Informal group"),
        "COOPERATIVE" => T("Coopérative", "Co-operative"),
        "MICROCOMPANY" => T("Micro-entreprise", "Sole trader"),
        "COMPANY" => T("Entreprise", "Company"),
        "INDIVIDUAL" => T("Particulier", "Individual"),
        "OTHER" => T("Autre structure", "Other structure"),
        null => T("Structure non précisée", "Structure not given"),
        _ => wire,
    };

    public string Membership(string? wire) => wire switch
    {
        "ACTIVE" => T("Membre actif du collectif", "Active member of the collective"),
        "IDLE" => T("Membre en sommeil", "Idle member"),
        "AWAY" => T("A quitté le collectif", "Has left the collective"),
        null => T("Statut de membre non précisé", "Membership not given"),
        _ => wire,
    };

    public string Registration(string? wire) => wire switch
    {
        "none" => T("Sans inscription", "No account needed"),
        "free" => T("Inscription libre", "Open registration"),
        "member" => T("Réservé aux membres", "Members only"),
        "client" => T("Réservé aux clients", "Customers only"),
        null => T("Inscription non précisée", "Registration not given"),
        _ => wire,
    };

    public string Status(string? wire) => wire switch
    {
        "ok" => T("En service", "Running"),
        "degraded" => T("Perturbé", "Degraded"),
        "down" => T("En panne", "Down"),
        "closed" => T("Fermé", "Closed"),
        null => T("État non précisé", "Status not given"),
        _ => wire,
    };

    public string Capacity(string? wire) => wire switch
    {
        "open" => T("ouvert aux nouveaux comptes", "open to new accounts"),
        "full" => T("complet", "full"),
        _ => string.Empty,
    };

    /// <summary>Reads the page's language from <c>?lang=</c>, else Accept-Language (see <see cref="Negotiation"/>).</summary>
    public static SiteLanguage Of(Microsoft.AspNetCore.Http.HttpRequest request) =>
        new(Negotiation.Language(request) == "en") { Explicit = request.Query.ContainsKey("lang") };
}
