using System.Globalization;
using System.Text;
using ChatonsFed.Aggregator.Api;
using ChatonsFed.Aggregator.Trust;
using ChatonsFed.Aggregator.Storage;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Aggregator.Website;

/// <summary>
/// Membership as the website shows it: a chaton's mark (admitted and by how many endorsements, candidate, lapsed,
/// revoked), who endorsed it on its page, and the "about" page that says what admission means here and from which
/// trust roots and quorum it is computed.
/// </summary>
internal static class AdmissionView
{
    /// <summary>The chaton's mark, in words (a colour is never the only sign).</summary>
    public static string Mark(SiteLanguage lang, EntryAdmission admission) =>
        "<span class=\"badge admission " + admission.Status + "\">" + SiteLayout.Encode(Text(lang, admission)) + "</span>";

    /// <summary>"Membre admis·e — 3 parrainages", "Candidat·e", …</summary>
    public static string Text(SiteLanguage lang, EntryAdmission admission)
    {
        ArgumentNullException.ThrowIfNull(admission);
        return admission.Status switch
        {
            "admitted" when admission.Root => lang.T("Membre admis·e — racine de confiance", "Admitted member — trust root"),
            "admitted" => lang.T("Membre admis·e — ", "Admitted member — ") + Endorsements(lang, admission.Endorsements),
            "lapsed" => lang.T("Admission échue", "Admission lapsed"),
            "revoked" => lang.T("Admission révoquée", "Admission revoked"),
            _ => lang.T("Candidat·e", "Candidate"),
        };
    }

    /// <summary>The admission section of a chaton's page: its mark, what it rests on, and every endorsement about it.</summary>
    public static void Section(StringBuilder html, SiteLanguage lang, EntryAdmission admission, DirectoryStore store)
    {
        html.Append("<section aria-labelledby=\"admission\"><h2 id=\"admission\">").Append(lang.T("Admission dans cet annuaire", "Admission in this directory")).Append("</h2>\n<p>")
            .Append(Mark(lang, admission)).Append("</p>\n<p>");
        var quorum = admission.Quorum;
        html.Append(admission.Status switch
        {
            "admitted" when admission.Root => lang.T(
                "Cet annuaire le compte parmi ses racines de confiance : il est membre admis par définition.",
                "This directory counts it among its trust roots: it is an admitted member by definition."),
            "admitted" => lang.T(
                $"Des membres admis, sur {admission.Endorsements} hôtes distincts, se portent garants de lui ; il en faut {quorum}.",
                $"Admitted members on {admission.Endorsements} distinct hosts vouch for it; {quorum} are needed."),
            "lapsed" => lang.T(
                $"Ses parrainages ne suffisent plus : certains ont expiré, ou leurs auteurs ne sont plus admis. Il en faut {quorum} de membres admis.",
                $"Its endorsements no longer suffice: some expired, or their issuers are no longer admitted. {quorum} from admitted members are needed."),
            "revoked" => lang.T(
                "Un membre qui se portait garant de lui a révoqué son parrainage.",
                "A member that vouched for it revoked its endorsement."),
            _ => lang.T(
                $"Il ne réunit pas encore {quorum} parrainages de membres admis sur des hôtes distincts.",
                $"It does not yet gather {quorum} endorsements from admitted members on distinct hosts."),
        });
        if (admission.Until is { } until)
        {
            var day = SiteLayout.Time(SiteLanguage.Day(until), until);
            html.Append(lang.T($" Ses parrainages comptés le gardent admis jusqu'au {day}.", $" The endorsements counted keep it admitted until {day}."));
        }

        html.Append(" <a href=\"").Encoded(SiteLayout.Link(lang, AboutPath)).Append("\">").Append(lang.T("Ce que l'admission veut dire ici", "What admission means here")).Append("</a></p>\n");
        if (admission.Credentials.Count == 0)
        {
            html.Append("<p>").Append(lang.T("Aucun parrainage n'est connu de cet annuaire.", "This directory knows of no endorsement.")).Append("</p>\n</section>\n");
            return;
        }

        html.Append("<table class=\"endorsements\"><caption>").Append(lang.T("Parrainages", "Endorsements")).Append("</caption>\n<thead><tr><th scope=\"col\">")
            .Append(lang.T("Par", "By")).Append("</th><th scope=\"col\">").Append(lang.T("État", "State")).Append("</th><th scope=\"col\">")
            .Append(lang.T("Valable jusqu'au", "Valid until")).Append("</th><th scope=\"col\">").Append(lang.T("Compté", "Counted")).Append("</th></tr></thead>\n<tbody>\n");
        foreach (var credential in admission.Credentials)
        {
            html.Append("<tr><td>");
            Actor(html, lang, credential.Issuer, store);
            html.Append("</td><td>").Encoded(State(lang, credential.State));
            if (!credential.CurrentAttestation)
            {
                html.Append(lang.T(" (déclaration sur la charte examinée : une version antérieure)", " (charter declaration reviewed: an earlier version)"));
            }

            html.Append("</td><td>").Append(SiteLayout.Time(SiteLanguage.Day(credential.ValidUntil), credential.ValidUntil)).Append("</td><td class=\"")
                .Append(credential.Counted ? "met\">" + lang.T("✓ compté", "✓ counted") : "unknown\">" + lang.T("— non compté", "— not counted")).Append("</td></tr>\n");
        }

        html.Append("</tbody></table>\n</section>\n");
    }

    public const string AboutPath = "/about";

    /// <summary>The "about" page: what admission means, the trust roots and the quorum this aggregator uses.</summary>
    public static string RenderAbout(HttpRequest request, SiteLanguage lang, AdmissionBook admission, TrustRoots roots, DirectoryStore store)
    {
        var html = new StringBuilder(8 * 1024);
        SiteLayout.Begin(html, lang, request, lang.T("À propos — Annuaire des CHATONS", "About — CHATONS directory"), map: false);
        html.Append("<h1>").Append(lang.T("À propos de cet annuaire", "About this directory")).Append("</h1>\n<p class=\"lead\">")
            .Append(lang.T(
                "Chaque chaton publie lui-même son profil, ses services et sa déclaration sur la charte, signés par sa propre clé ; cet annuaire les vérifie et les rassemble.",
                "Each chaton publishes its own profile, services and charter declaration, signed with its own key; this directory checks and gathers them."))
            .Append("</p>\n<section aria-labelledby=\"about-admission\"><h2 id=\"about-admission\">").Append(lang.T("Membres admis", "Admitted members")).Append("</h2>\n<p>")
            .Append(lang.T(
                "Un chaton qui en a examiné un autre (sur le forum du collectif, par exemple) publie un parrainage signé à son sujet, valable un an et révocable. Un chaton est membre admis dans cet annuaire quand des membres déjà admis, sur au moins autant d'hôtes distincts que le quorum, se portent garants de lui. Tout part des racines de confiance ci-dessous, admises par définition ; deux chatons d'un même hôte comptent pour un seul, et un hôte ne se porte jamais garant d'un chaton qu'il héberge.",
                "A chaton that reviewed another one (on the collective's forum, for instance) publishes a signed endorsement of it, valid one year and revocable. A chaton is an admitted member in this directory when members already admitted, on at least as many distinct hosts as the quorum, vouch for it. It all starts from the trust roots below, admitted by definition; two chatons of one host count as one, and a host never vouches for a chaton it hosts."))
            .Append("</p>\n<ul>\n<li><strong>").Append(lang.T("Membre admis·e", "Admitted member")).Append("</strong> — ")
            .Append(lang.T("assez de parrainages valides de membres admis ; le nombre affiché est celui des hôtes distincts qui le parrainent.", "enough valid endorsements from admitted members; the number shown is that of the distinct hosts that endorse it."))
            .Append("</li>\n<li><strong>").Append(lang.T("Candidat·e", "Candidate")).Append("</strong> — ")
            .Append(lang.T("pas (encore) assez de parrainages de membres admis.", "not (yet) enough endorsements from admitted members."))
            .Append("</li>\n<li><strong>").Append(lang.T("Admission échue", "Admission lapsed")).Append("</strong> — ")
            .Append(lang.T("était admis, mais des parrainages ont expiré (ils se renouvellent chaque année) ou leurs auteurs ne sont plus admis.", "was admitted, but endorsements expired (they are renewed every year) or their issuers are no longer admitted."))
            .Append("</li>\n<li><strong>").Append(lang.T("Admission révoquée", "Admission revoked")).Append("</strong> — ")
            .Append(lang.T("un membre qui le parrainait a révoqué son parrainage.", "a member that endorsed it revoked its endorsement."))
            .Append("</li>\n</ul>\n<p>")
            .Append(lang.T(
                "Ce que le chaton déclare de lui-même (membre actif, en sommeil…) reste affiché à part : c'est sa propre déclaration, non vérifiée.",
                "What the chaton declares of itself (active member, idle…) is shown apart: it is its own declaration, not checked."))
            .Append("</p>\n</section>\n<section aria-labelledby=\"about-roots\"><h2 id=\"about-roots\">").Append(lang.T("Racines de confiance et quorum", "Trust roots and quorum")).Append("</h2>\n");
        if (!admission.Enabled)
        {
            html.Append("<p>").Append(lang.T(
                "Cet annuaire n'a pas de racine de confiance : il ne calcule pas l'admission, et n'affiche aucune marque de membre admis.",
                "This directory has no trust root: it does not compute admission, and shows no admitted-member mark.")).Append("</p>\n");
        }
        else
        {
            var snapshot = admission.Current;
            html.Append("<p>").Append(lang.T(
                $"Quorum : <strong id=\"quorum\">{snapshot.Quorum}</strong> parrainages de membres admis, sur des hôtes distincts.",
                $"Quorum: <strong id=\"quorum\">{snapshot.Quorum}</strong> endorsements from admitted members, on distinct hosts.")).Append("</p>\n<ul id=\"trust-roots\">\n");
            foreach (var root in roots.Configured)
            {
                html.Append("<li>");
                var actor = roots.ActorOf(root);
                if (actor is not null && !root.Contains("://", StringComparison.Ordinal))
                {
                    html.Append("<code>").Encoded(root).Append("</code> → ");
                }

                if (actor is not null)
                {
                    Actor(html, lang, actor, store);
                }
                else
                {
                    html.Append("<code>").Encoded(root).Append("</code>").Append(lang.T(" (pas encore trouvé)", " (not found yet)"));
                }

                html.Append("</li>\n");
            }

            var at = SiteLayout.Time(SiteLanguage.Moment(snapshot.ComputedAt), snapshot.ComputedAt);
            var admitted = snapshot.Count(Protocol.Membership.AdmissionStatus.Admitted);
            html.Append("</ul>\n<p class=\"help\">").Append(lang.T(
                $"Admission calculée le {at} : {admitted} membres admis parmi les chatons listés.",
                $"Admission computed at {at}: {admitted} admitted members among the chatons listed.")).Append("</p>\n");
        }

        html.Append("</section>\n<p><a href=\"").Encoded(SiteLayout.Link(lang, "/")).Append("\">").Append(lang.T("Retour à la recherche", "Back to the search")).Append("</a></p>\n");
        SiteLayout.End(html, lang);
        return html.ToString();
    }

    /// <summary>A link to an actor: its page on this site when it is listed here, else its actor URL.</summary>
    private static void Actor(StringBuilder html, SiteLanguage lang, string actorId, DirectoryStore store)
    {
        if (store.Find(actorId) is { } listed)
        {
            html.Append("<a href=\"").Encoded(SiteLayout.ChatonPath(lang, actorId)).Append("\">").Encoded(listed.Name).Append("</a>");
        }
        else
        {
            html.ExternalLink(actorId, actorId);
        }
    }

    private static string Endorsements(SiteLanguage lang, int count) => count == 1
        ? lang.T("1 parrainage", "1 endorsement")
        : lang.T(string.Create(CultureInfo.InvariantCulture, $"{count} parrainages"), string.Create(CultureInfo.InvariantCulture, $"{count} endorsements"));

    private static string State(SiteLanguage lang, string state) => state switch
    {
        "valid" => lang.T("valide", "valid"),
        "notYetValid" => lang.T("pas encore valable", "not yet valid"),
        "statusUnavailable" => lang.T("révocation invérifiable (liste de l'émetteur indisponible)", "revocation not checkable (the issuer's list is unavailable)"),
        "revoked" => lang.T("révoqué", "revoked"),
        "expired" => lang.T("expiré", "expired"),
        _ => state,
    };
}
