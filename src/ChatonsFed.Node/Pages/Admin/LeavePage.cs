using ChatonsFed.Node.Features;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Node.Pages.Admin;

/// <summary>
/// <c>/admin/leave</c>: what leaving the network does, and its form, which asks the owner to type the chaton's handle
/// or domain exactly as the page shows them. A wrong confirmation changes nothing; the right one leaves through
/// <see cref="Leaving"/>, as <c>chatonsfed leave --yes</c> does.
/// </summary>
public static class LeavePage
{
    public const string Path = "/admin/leave";

    public const string ConfirmationField = "confirmation";

    public static IResult Show(HttpContext context, NodeOutbox outbox) =>
        Form(AdminView.For(context), outbox, new AdminForm { [ConfirmationField] = string.Empty }, StatusCodes.Status200OK);

    public static async Task<IResult> SubmitAsync(HttpContext context, NodeOutbox outbox, Leaving leaving, CancellationToken cancellationToken)
    {
        var (view, posted, refusal) = await AdminView.ForPostAsync(context);
        if (refusal is not null)
        {
            return refusal;
        }

        var form = AdminForm.From(posted!, [ConfirmationField]);
        var (handle, domain) = Names(outbox);
        var typed = form[ConfirmationField].Trim();
        if (typed != handle && typed != domain)
        {
            form.AddError(ConfirmationField, typed.Length == 0
                ? view.T($"Saisissez {handle} ou {domain} pour confirmer.", $"Type {handle} or {domain} to confirm.")
                : view.T($"« {typed} » n'est ni {handle} ni {domain} : rien n'a été fait.", $"'{typed}' is neither {handle} nor {domain}: nothing was done."));
            return Form(view, outbox, form, StatusCodes.Status422UnprocessableEntity);
        }

        try
        {
            return view.SeeOther(Path, AdminFlash.Of(await leaving.LeaveAsync(cancellationToken), FlashKind.Left));
        }
        catch (Exception e) when (AdminForm.IsRefusal(e))
        {
            form.AddError(e);
            return Form(view, outbox, form, StatusCodes.Status409Conflict);
        }
    }

    /// <summary>The chaton's handle (<c>@name@host</c>, the port with the host when it has one) and its domain (the host, and the port).</summary>
    private static (string Handle, string Domain) Names(NodeOutbox outbox)
    {
        var domain = new Uri(outbox.Builder.Urls.Actor).Authority;
        return ($"@{outbox.Profile().Handle}@{domain}", domain);
    }

    private static string Queued(NodeOutbox outbox) => outbox.Store.DeliveryJobs.Count().ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static IResult Form(AdminView view, NodeOutbox outbox, AdminForm form, int status)
    {
        var (handle, domain) = Names(outbox);
        var title = view.T("Quitter le réseau", "Leave the network");
        var html = new AdminHtml(view).ErrorSummary(form);
        if (outbox.Profile().Deleted is { } left)
        {
            html.Raw("<p>").Text(view.T("Ce chaton a quitté le réseau le ", "This chaton left the network on ")).Instant(left).Raw(".</p>\n")
                .Paragraph("Ses documents répondent 410 Gone. Laissez le nœud tourner jusqu'à ce que la suppression soit livrée à tou·te·s les abonné·e·s.",
                    "Its documents answer 410 Gone. Keep the node running until the Delete is delivered to every follower.")
                .Paragraph($"Envois encore en file d'attente : {Queued(outbox)}.", $"Deliveries still queued: {Queued(outbox)}.");
            return AdminLayout.Page(view, title, html, status);
        }

        html.Paragraph("Quitter le réseau ne peut pas être annulé :", "Leaving the network cannot be undone:")
            .Raw("<ul>\n<li>").Text(view.T("l'acteur et tous les documents du chaton répondent désormais 410 Gone, et les annuaires le retirent ;",
                "the actor and every document of the chaton answer 410 Gone from now on, and directories drop it;"))
            .Raw("</li>\n<li>").Text(view.T("les abonné·e·s reçoivent une suppression (« Delete ») de l'acteur, signée ;",
                "followers get a signed Delete of the actor;"))
            .Raw("</li>\n<li>").Text(view.T("plus aucun abonnement n'est accepté, et le profil, les services et la déclaration ne peuvent plus changer ;",
                "no follow is accepted any more, and the profile, services and declaration can no longer change;"))
            .Raw("</li>\n<li>").Text(view.T("les clés et la file d'envoi restent : laissez le nœud tourner jusqu'à ce que la suppression soit livrée.",
                "the keys and the delivery queue stay: keep the node running until the Delete is delivered."))
            .Raw("</li>\n</ul>\n")
            .Paragraph("C'est ce que fait « chatonsfed leave --yes ».", "This is what 'chatonsfed leave --yes' does.")
            .Raw("<p>").Text(view.T("Pour confirmer, saisissez l'adresse du chaton ", "To confirm, type the chaton's handle "))
            .Raw("<strong><code>").Text(handle).Raw("</code></strong>").Text(view.T(" ou son domaine ", " or its domain "))
            .Raw("<strong><code>").Text(domain).Raw("</code></strong>").Raw(".</p>\n")
            .BeginForm(Path)
            .Field(form, new Field(ConfirmationField, "Confirmation", "Confirmation")
            {
                Required = true,
                Autocomplete = "off",
                HintFrench = $"Exactement {handle} ou {domain}.",
                HintEnglish = $"Exactly {handle} or {domain}.",
            })
            .EndForm("Quitter définitivement le réseau", "Leave the network for good", "danger");
        return AdminLayout.Page(view, title, html, status);
    }
}
