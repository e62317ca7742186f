using ChatonsFed.Node.Features;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Node.Pages.Admin;

/// <summary>
/// <c>/admin/keys</c>: the keys in use (their ids in the actor, their public keys in short, when they were made) and
/// earlier rotations. Rotating takes two steps without JavaScript: the button opens <c>/admin/keys/rotate</c>, which
/// explains and asks for confirmation; its form rotates through <see cref="KeyRotation"/>, as <c>keys rotate</c> does.
/// </summary>
public static class KeysPage
{
    public const string Path = "/admin/keys";

    public const string RotatePath = Path + "/rotate";

    public static IResult Show(HttpContext context, KeyRotation rotation, NodeOutbox outbox)
    {
        var view = AdminView.For(context);
        var html = new AdminHtml(view);
        var keys = rotation.Describe();
        html.Paragraph("Le nœud signe ses documents avec une clé Ed25519 et ses requêtes avec une clé RSA ; l'acteur publie les deux.",
            "The node signs its documents with an Ed25519 key and its requests with an RSA key; the actor publishes both.");
        html.Raw("<table>\n<caption class=\"visually-hidden\">").Text(view.T("Clés en usage", "Keys in use")).Raw("</caption>\n<thead><tr><th scope=\"col\">")
            .Text(view.T("Clé", "Key")).Raw("</th><th scope=\"col\">").Text(view.T("Identifiant", "Id")).Raw("</th><th scope=\"col\">")
            .Text(view.T("Clé publique", "Public key")).Raw("</th><th scope=\"col\">").Text(view.T("Créée le", "Made on")).Raw("</th></tr></thead>\n<tbody>\n");
        foreach (var key in keys.Current)
        {
            html.Raw("<tr><td>").Text(key.Algorithm).Raw("</td><td><code>").Text(key.Id).Raw("</code></td><td><code>")
                .Text(key.PublicKey ?? view.T("(fichier absent)", "(file missing)")).Raw("</code></td><td>");
            if (key.Written is { } written)
            {
                html.Instant(written);
            }

            html.Raw("</td></tr>\n");
        }

        html.Raw("</tbody>\n</table>\n");
        html.Heading(2, "Rotations précédentes", "Earlier rotations");
        if (keys.Retired.Count == 0)
        {
            html.Paragraph("Les clés n'ont jamais été renouvelées.", "The keys were never rotated.");
        }
        else
        {
            html.Raw("<ul>\n");
            foreach (var retired in keys.Retired)
            {
                html.Raw("<li>").Instant(retired).Raw("</li>\n");
            }

            html.Raw("</ul>\n");
        }

        html.Heading(2, "Renouveler les clés", "Rotate the keys");
        if (outbox.Profile().Deleted is not null)
        {
            html.Paragraph("Ce chaton a quitté le réseau : ses clés ne peuvent plus être renouvelées.", "This chaton has left the network: its keys can no longer be rotated.");
        }
        else
        {
            html.Paragraph("À faire si une clé privée a pu fuiter. Une confirmation est demandée à l'étape suivante.",
                    "Do it if a private key may have leaked. The next step asks for confirmation.")
                .ButtonTo(RotatePath, "Renouveler les clés…", "Rotate the keys…");
        }

        return AdminLayout.Page(view, view.T("Clés", "Keys"), html);
    }

    /// <summary>The confirmation step: what a rotation does, and the form that does it.</summary>
    public static IResult Confirm(HttpContext context) => ConfirmPage(AdminView.For(context), new AdminForm(), StatusCodes.Status200OK);

    public static async Task<IResult> RotateAsync(HttpContext context, KeyRotation rotation, CancellationToken cancellationToken)
    {
        var (view, _, refusal) = await AdminView.ForPostAsync(context);
        if (refusal is not null)
        {
            return refusal;
        }

        try
        {
            return view.SeeOther(Path, AdminFlash.Of(await rotation.RotateAsync(cancellationToken), FlashKind.KeysRotated));
        }
        catch (Exception e) when (AdminForm.IsRefusal(e))
        {
            var form = new AdminForm();
            form.AddError(null, e.Message, "en");
            return ConfirmPage(view, form, StatusCodes.Status409Conflict);
        }
    }

    private static IResult ConfirmPage(AdminView view, AdminForm form, int status)
    {
        var html = new AdminHtml(view).ErrorSummary(form)
            .Paragraph("Le nœud fabrique deux nouvelles paires de clés et signe de nouveau tous ses documents avec elles (parrainages et liste de révocation compris).",
                "The node makes two new key pairs and signs all its documents again with them (endorsements and revocation list included).")
            .Paragraph("Les abonné·e·s reçoivent un « Update » de l'acteur signé avec l'ancienne clé ; les anciennes clés sont gardées sous keys/retired/.",
                "Followers get an Update of the actor signed with the old key; the old keys are kept under keys/retired/.")
            .Paragraph("C'est ce que fait « chatonsfed keys rotate ».", "This is what 'chatonsfed keys rotate' does.")
            .BeginForm(RotatePath)
            .Raw("<p><button type=\"submit\" class=\"danger\">").Text(view.T("Confirmer la rotation", "Confirm rotation")).Raw("</button> ")
            .Link(Path, "Annuler", "Cancel").Raw("</p>\n</form>\n");
        return AdminLayout.Page(view, view.T("Renouveler les clés", "Rotate the keys"), html, status);
    }
}
