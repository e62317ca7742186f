using System.Globalization;
using ChatonsFed.Hosting.Storage;
using ChatonsFed.Node.Documents;
using ChatonsFed.Node.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ChatonsFed.Node.Pages.Admin;

/// <summary><c>/admin</c>: the chaton at a glance, and where to change each part.</summary>
public static class OverviewPage
{
    public static IResult Show(HttpContext context)
    {
        var view = AdminView.For(context);
        var outbox = context.RequestServices.GetRequiredService<NodeOutbox>();
        var store = outbox.Store;
        var profile = outbox.Profile();
        var attestation = outbox.Attestation();
        var catalogue = NodeDocumentBuilder.Criteria.Criteria;
        var n = CultureInfo.InvariantCulture;
        var html = new AdminHtml(view);
        if (profile.Deleted is not null)
        {
            html.Paragraph("Ce chaton a quitté le réseau : ses documents répondent 410 Gone et ne peuvent plus changer.",
                "This chaton has left the network: its documents answer 410 Gone and can no longer change.", "error");
        }

        var actor = outbox.Builder.Urls.Actor;
        html.Heading(2, "Le chaton", "The chaton")
            .Raw("<dl>\n<dt>").Text(view.T("Nom", "Name")).Raw("</dt><dd>").Text(profile.Name).Raw("</dd>\n")
            .Raw("<dt>").Text(view.T("Compte", "Account")).Raw("</dt><dd>").Text($"@{profile.Handle}@{new Uri(actor).Authority}").Raw("</dd>\n")
            .Raw("<dt>").Text(view.T("Page publique", "Public page")).Raw("</dt><dd><a href=\"").Text(actor).Raw("\">").Text(actor).Raw("</a></dd>\n</dl>\n")
            .Raw("<p>").Link("/admin/profile", "Modifier le profil", "Edit the profile").Raw("</p>\n");

        var services = outbox.Services().Count.ToString(n);
        html.Heading(2, "Services", "Services")
            .Paragraph($"{services} service(s) publié(s).", $"{services} service(s) published.")
            .Raw("<p>").Link("/admin/services", "Gérer les services", "Manage the services").Raw("</p>\n");

        var met = attestation.Criteria.Count(c => c.Met).ToString(n);
        var total = catalogue.Count.ToString(n);
        html.Heading(2, "Déclaration sur la charte", "Charter declaration")
            .Paragraph($"{met} critère(s) sur {total} déclaré(s) rempli(s).", $"{met} of {total} criteria declared met.")
            .Raw("<p>").Link("/admin/charter", "Modifier la déclaration", "Edit the declaration").Raw("</p>\n");

        var followers = store.Followers.Count().ToString(n);
        var queued = store.DeliveryJobs.Count().ToString(n);
        html.Heading(2, "Fédération", "Federation")
            .Paragraph($"{followers} abonné·e(s) ; {queued} envoi(s) en file d'attente.", $"{followers} follower(s); {queued} deliveries queued.");

        var password = context.RequestServices.GetRequiredService<DataStore>().AdminCredentials.FindById(1)?.PasswordHash is not null;
        html.Heading(2, "Connexion", "Signing in")
            .Paragraph(password
                    ? "Un mot de passe est défini ; « chatonsfed admin password » le change (et ferme toutes les sessions)."
                    : "Aucun mot de passe n'est défini : on se connecte avec l'identifiant d'administration. « chatonsfed admin password » en définit un.",
                password
                    ? "A password is set; 'chatonsfed admin password' changes it (and ends every session)."
                    : "No password is set: signing in takes the admin credential. 'chatonsfed admin password' sets one.");
        return AdminLayout.Page(view, view.T("Vue d'ensemble", "Overview"), html);
    }
}
