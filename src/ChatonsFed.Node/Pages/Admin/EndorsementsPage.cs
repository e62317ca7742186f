using System.Globalization;
using ChatonsFed.Node.Admin;
using ChatonsFed.Node.Documents;
using ChatonsFed.Node.Features;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Node.Pages.Admin;

/// <summary>
/// <c>/admin/endorsements</c>: endorse a chaton (a signed membership credential), the credentials issued with a revoke
/// button each (which opens a confirmation step), and those held. Endorsing and revoking go through
/// <see cref="MembershipService"/>, as <c>chatonsfed membership</c> and the admin API do: the same checks of the subject,
/// the same rules, the same signing and delivery; each refusal comes back next to its field.
/// </summary>
public static class EndorsementsPage
{
    public const string Path = "/admin/endorsements";

    public const string RevokePath = Path + "/revoke";

    public const string SubjectField = MembershipService.SubjectField;

    public const string ValidDaysField = "validDays";

    /// <summary>Which criteria the endorsement says were checked: <c>none</c>, <c>all</c>, or <c>chosen</c> (those of <see cref="CriterionField"/>).</summary>
    public const string CriteriaField = "criteria";

    public const string CriterionField = "criterion";

    public const string NoteField = "note";

    public const string IdField = "id";

    private static readonly Field Subject = new(SubjectField, "Chaton à parrainer", "Chaton to endorse")
    {
        Required = true,
        Autocomplete = "off",
        HintFrench = "Son adresse @nom@hôte (avec le port s'il y en a un), acct:nom@hôte, ou l'adresse de son acteur. Le nœud vérifie son acteur et sa déclaration sur la charte.",
        HintEnglish = "Its handle @name@host (with the port if it has one), acct:name@host, or its actor's URL. The node checks its actor and its charter declaration.",
    };

    private static readonly Field ValidDays = new(ValidDaysField, "Durée de validité, en jours", "Valid for, in days")
    {
        InputMode = "numeric",
        HintFrench = "De 1 à 400 ; 365 (la revue annuelle) si vide.",
        HintEnglish = "From 1 to 400; 365 (the yearly review) when empty.",
    };

    private static readonly Field Note = new(NoteField, "Note publique", "Public note")
    {
        Type = "textarea",
        HintFrench = "Par exemple l'adresse de la revue sur le forum du collectif. Publique : aucune donnée personnelle.",
        HintEnglish = "For example the address of the review on the collective's forum. Public: no personal data.",
    };

    private static readonly Choice[] CriteriaModes =
    [
        new("none", "Aucun critère en particulier", "No criterion in particular"),
        new(MembershipService.AllCriteria, "Tous les critères de la charte", "Every criterion of the charter"),
        new("chosen", "Les critères cochés ci-dessous", "The criteria checked below"),
    ];

    public static IResult Show(HttpContext context, MembershipService membership) =>
        Form(AdminView.For(context), membership, Blank(), StatusCodes.Status200OK);

    public static async Task<IResult> EndorseAsync(HttpContext context, MembershipService membership, CancellationToken cancellationToken)
    {
        var (view, posted, refusal) = await AdminView.ForPostAsync(context);
        if (refusal is not null)
        {
            return refusal;
        }

        var form = AdminForm.From(posted!, [SubjectField, ValidDaysField, CriteriaField, CriterionField, NoteField]);
        int? days = null;
        var daysText = form[ValidDaysField].Trim();
        if (daysText.Length > 0)
        {
            if (int.TryParse(daysText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
            {
                days = parsed;
            }
            else
            {
                form.AddError(ValidDaysField, view.T($"« {daysText} » n'est pas un nombre entier de jours ; écrivez un nombre de 1 à 400.",
                    $"'{daysText}' is not a whole number of days; write a number from 1 to 400."));
            }
        }

        string? criteria = form[CriteriaField] switch
        {
            MembershipService.AllCriteria => MembershipService.AllCriteria,
            "chosen" => form[CriterionField],
            _ => null,
        };
        if (form[CriteriaField] == "chosen" && string.IsNullOrWhiteSpace(criteria))
        {
            form.AddError(CriterionField, view.T("Cochez au moins un critère, ou choisissez « Tous les critères » ou « Aucun critère ».",
                "Check at least one criterion, or choose 'Every criterion' or 'No criterion'."));
        }

        if (form.HasErrors)
        {
            return Form(view, membership, form, StatusCodes.Status422UnprocessableEntity);
        }

        try
        {
            var result = await membership.EndorseAsync(new EndorseRequest { Subject = form[SubjectField], ValidDays = days, Criteria = criteria, Note = form[NoteField] }, cancellationToken);
            return view.SeeOther(Path, new AdminFlash(FlashKind.Endorsed, result.FollowersNotified, result.DeliveriesQueued));
        }
        catch (Exception e) when (AdminForm.IsRefusal(e))
        {
            form.AddError(e);
            return Form(view, membership, form, StatusCodes.Status422UnprocessableEntity);
        }
    }

    /// <summary>The confirmation step of a revocation: which credential, what revoking does, and the form that does it.</summary>
    public static IResult ConfirmRevoke(HttpContext context, MembershipService membership)
    {
        var view = AdminView.For(context);
        return ConfirmPage(view, membership, context.Request.Query[IdField].ToString(), new AdminForm());
    }

    public static async Task<IResult> RevokeAsync(HttpContext context, MembershipService membership, CancellationToken cancellationToken)
    {
        var (view, posted, refusal) = await AdminView.ForPostAsync(context);
        if (refusal is not null)
        {
            return refusal;
        }

        var id = posted![IdField].ToString();
        try
        {
            var result = await membership.RevokeAsync(id, cancellationToken);
            return view.SeeOther(Path, result.AlreadyRevoked
                ? new AdminFlash(FlashKind.Unchanged)
                : new AdminFlash(FlashKind.Revoked, result.FollowersNotified, result.DeliveriesQueued));
        }
        catch (Exception e) when (AdminForm.IsRefusal(e))
        {
            var form = new AdminForm();
            form.AddError(null, e.Message, "en");
            return ConfirmPage(view, membership, id, form);
        }
    }

    private static AdminForm Blank() => new()
    {
        [SubjectField] = string.Empty,
        [ValidDaysField] = MembershipService.DefaultValidDays.ToString(CultureInfo.InvariantCulture),
        [CriteriaField] = "none",
        [CriterionField] = string.Empty,
        [NoteField] = string.Empty,
    };

    private static IResult ConfirmPage(AdminView view, MembershipService membership, string id, AdminForm form)
    {
        var title = view.T("Révoquer un parrainage", "Revoke an endorsement");
        var html = new AdminHtml(view).ErrorSummary(form);
        var entry = membership.List().Issued.FirstOrDefault(e => e.Id == id);
        if (entry is null)
        {
            html.Paragraph("Ce chaton n'a émis aucun parrainage de cet identifiant : rien n'a été révoqué.", "This chaton issued no endorsement with this id: nothing was revoked.")
                .Raw("<p>").Link(Path, "Revenir aux parrainages", "Back to the endorsements").Raw("</p>\n");
            return AdminLayout.Page(view, title, html, StatusCodes.Status404NotFound);
        }

        html.Raw("<dl>\n<dt>").Text(view.T("Chaton parrainé", "Chaton endorsed")).Raw("</dt><dd>").Text(entry.Subject).Raw("</dd>\n<dt>")
            .Text(view.T("Identifiant", "Id")).Raw("</dt><dd><code>").Text(entry.Id).Raw("</code></dd>\n<dt>")
            .Text(view.T("Valide jusqu'au", "Valid until")).Raw("</dt><dd>").Instant(entry.ValidUntil).Raw("</dd>\n<dt>")
            .Text(view.T("État", "State")).Raw("</dt><dd>").Text(State(view, entry.State)).Raw("</dd>\n</dl>\n")
            .Paragraph("Révoquer marque ce parrainage dans la liste de révocation du chaton, qui est signée de nouveau et envoyée au chaton parrainé et aux abonné·e·s. Le parrainage reste publié, révoqué ; cela ne peut pas être annulé.",
                "Revoking marks this endorsement in the chaton's revocation list, which is signed again and sent to the chaton endorsed and to the followers. The endorsement stays published, revoked; this cannot be undone.")
            .Paragraph("C'est ce que fait « chatonsfed membership revoke ».", "This is what 'chatonsfed membership revoke' does.")
            .BeginForm(RevokePath)
            .Hidden(IdField, entry.Id)
            .Raw("<p><button type=\"submit\" class=\"danger\">").Text(view.T("Confirmer la révocation", "Confirm revocation")).Raw("</button> ")
            .Link(Path, "Annuler", "Cancel").Raw("</p>\n</form>\n");
        return AdminLayout.Page(view, title, html, form.HasErrors ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status200OK);
    }

    private static IResult Form(AdminView view, MembershipService membership, AdminForm form, int status)
    {
        var html = new AdminHtml(view).ErrorSummary(form);
        var overview = membership.List();
        html.Paragraph("Parrainer un chaton, c'est signer une attestation d'adhésion à son sujet, après avoir vérifié ce que dit la charte. Les annuaires comptent ces parrainages pour admettre un chaton.",
            "Endorsing a chaton is signing a membership credential about it, after checking what the charter asks. Directories count these endorsements to admit a chaton.");

        html.Heading(2, "Parrainages émis", "Endorsements issued", "issued");
        if (overview.Issued.Count == 0)
        {
            html.Paragraph("Ce chaton n'a encore parrainé personne.", "This chaton has endorsed no one yet.");
        }
        else
        {
            Table(html, view, view.T("Parrainages émis", "Endorsements issued"), view.T("Chaton parrainé", "Chaton endorsed"), overview.Issued, e => e.Subject, revoke: true);
        }

        html.Heading(2, "Parrainages reçus", "Endorsements held", "held")
            .Paragraph("Les parrainages d'autres chatons à propos de celui-ci, vérifiés et publiés par ce nœud.", "Other chatons' endorsements of this one, checked and published by this node.");
        if (overview.Held.Count == 0)
        {
            html.Paragraph("Aucun pour l'instant.", "None yet.");
        }
        else
        {
            Table(html, view, view.T("Parrainages reçus", "Endorsements held"), view.T("Parrainé par", "Endorsed by"), overview.Held, e => e.Issuer, revoke: false);
        }

        html.Heading(2, "Parrainer un chaton", "Endorse a chaton", "endorse")
            .BeginForm(Path)
            .Field(form, Subject)
            .Field(form, ValidDays)
            .Radios(form, CriteriaField, view.T("Critères de la charte que vous avez vérifiés", "Charter criteria you checked"), CriteriaModes)
            .Checkboxes(form, CriterionField, view.T("Critères vérifiés (avec « Les critères cochés »)", "Criteria checked (with 'The criteria checked below')"),
                [.. membership.KnownCriteria.Select(id => NodeDocumentBuilder.Criteria.Find(id) is { } c ? new Choice(id, $"{c.LabelFr} ({id})", $"{c.LabelEn} ({id})") : new Choice(id, id, id))])
            .Field(form, Note)
            .EndForm("Signer et publier le parrainage", "Sign and publish the endorsement");

        return AdminLayout.Page(view, view.T("Parrainages", "Endorsements"), html, status);
    }

    private static void Table(AdminHtml html, AdminView view, string caption, string who, IReadOnlyList<CredentialEntry> entries, Func<CredentialEntry, string> actor, bool revoke)
    {
        html.Raw("<table>\n<caption class=\"visually-hidden\">").Text(caption).Raw("</caption>\n<thead><tr><th scope=\"col\">").Text(who)
            .Raw("</th><th scope=\"col\">").Text(view.T("Valide du", "Valid from")).Raw("</th><th scope=\"col\">").Text(view.T("au", "until"))
            .Raw("</th><th scope=\"col\">").Text(view.T("État", "State")).Raw("</th>");
        if (revoke)
        {
            html.Raw("<th scope=\"col\">").Text(view.T("Action", "Action")).Raw("</th>");
        }

        html.Raw("</tr></thead>\n<tbody>\n");
        foreach (var entry in entries)
        {
            html.Raw("<tr><td><a href=\"").Text(actor(entry)).Raw("\" rel=\"nofollow noreferrer\">").Text(actor(entry)).Raw("</a><br><a href=\"").Text(entry.Id).Raw("\">")
                .Text(view.T("le parrainage", "the credential")).Raw("</a></td><td>").Instant(entry.ValidFrom).Raw("</td><td>").Instant(entry.ValidUntil)
                .Raw("</td><td>").Text(State(view, entry.State)).Raw("</td>");
            if (revoke)
            {
                html.Raw("<td>");
                if (entry.State != "revoked")
                {
                    html.ButtonTo(RevokePath, "Révoquer…", "Revoke…", "secondary", actor(entry), (IdField, entry.Id));
                }

                html.Raw("</td>");
            }

            html.Raw("</tr>\n");
        }

        html.Raw("</tbody>\n</table>\n");
    }

    private static string State(AdminView view, string state) => state switch
    {
        "valid" => view.T("valide", "valid"),
        "expired" => view.T("expiré", "expired"),
        "revoked" => view.T("révoqué", "revoked"),
        "notYetValid" => view.T("pas encore valide", "not yet valid"),
        "statusUnavailable" => view.T("état de révocation inconnu", "revocation status unknown"),
        _ => state,
    };
}
