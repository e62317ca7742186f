using System.Globalization;
using ChatonsFed.Node.Features;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Node.Pages.Admin;

/// <summary>
/// <c>/admin/followers</c>: who follows the chaton and since when, the blocked domains, and forms to block a domain
/// (its followers are removed, its actors can no longer follow) or to lift a block. Both go through
/// <see cref="BlockList"/>, as the <c>block</c> and <c>unblock</c> commands and the admin API do, with the same rules.
/// </summary>
public static class FollowersPage
{
    public const string Path = "/admin/followers";

    public const string BlockPath = Path + "/block";

    public const string UnblockPath = Path + "/unblock";

    public const string DomainField = "domain";

    private static readonly Field Domain = new(DomainField, "Domaine à bloquer", "Domain to block")
    {
        Required = true,
        HintFrench = "Un nom d'hôte comme spam.example : ses sous-domaines sont bloqués aussi, et ses abonné·e·s retiré·e·s.",
        HintEnglish = "A host name such as spam.example: its subdomains are blocked too, and its followers removed.",
    };

    public static IResult Show(HttpContext context, FollowersService followers, BlockList blocks) =>
        Form(AdminView.For(context), followers, blocks, new AdminForm { [DomainField] = string.Empty }, StatusCodes.Status200OK);

    public static async Task<IResult> BlockAsync(HttpContext context, FollowersService followers, BlockList blocks, CancellationToken cancellationToken)
    {
        var (view, posted, refusal) = await AdminView.ForPostAsync(context);
        if (refusal is not null)
        {
            return refusal;
        }

        var form = AdminForm.From(posted!, [DomainField]);
        if (form[DomainField].Trim().Length == 0)
        {
            form.AddError(DomainField, view.T("Saisissez le domaine à bloquer, par exemple spam.example.", "Enter the domain to block, for example spam.example."));
            return Form(view, followers, blocks, form, StatusCodes.Status422UnprocessableEntity);
        }

        try
        {
            var removed = await blocks.BlockAsync(form[DomainField], cancellationToken);
            return view.SeeOther(Path, new AdminFlash(FlashKind.Blocked, removed));
        }
        catch (Exception e) when (AdminForm.IsRefusal(e))
        {
            form.AddError(e);
            return Form(view, followers, blocks, form, StatusCodes.Status422UnprocessableEntity);
        }
    }

    public static async Task<IResult> UnblockAsync(HttpContext context, FollowersService followers, BlockList blocks, CancellationToken cancellationToken)
    {
        var (view, posted, refusal) = await AdminView.ForPostAsync(context);
        if (refusal is not null)
        {
            return refusal;
        }

        var domain = posted![DomainField].ToString();
        var form = new AdminForm { [DomainField] = string.Empty };
        try
        {
            if (await blocks.UnblockAsync(domain, cancellationToken))
            {
                return view.SeeOther(Path, new AdminFlash(FlashKind.Unblocked));
            }

            form.AddError(null, view.T($"{domain} n'était pas bloqué : rien n'a changé.", $"{domain} was not blocked: nothing changed."));
            return Form(view, followers, blocks, form, StatusCodes.Status404NotFound);
        }
        catch (Exception e) when (AdminForm.IsRefusal(e))
        {
            form.AddError(null, e.Message, "en");
            return Form(view, followers, blocks, form, StatusCodes.Status400BadRequest);
        }
    }

    private static IResult Form(AdminView view, FollowersService followers, BlockList blocks, AdminForm form, int status)
    {
        var html = new AdminHtml(view).ErrorSummary(form);
        var list = followers.List();
        var count = list.Count.ToString(CultureInfo.InvariantCulture);
        html.Heading(2, "Abonné·e·s", "Followers", "followers")
            .Paragraph($"{count} abonné·e(s) : chaque modification publiée leur est envoyée.", $"{count} follower(s): each change published is sent to them.");
        if (list.Count > 0)
        {
            html.Raw("<table>\n<caption class=\"visually-hidden\">").Text(view.T("Abonné·e·s", "Followers")).Raw("</caption>\n<thead><tr><th scope=\"col\">")
                .Text(view.T("Acteur", "Actor")).Raw("</th><th scope=\"col\">").Text(view.T("Abonné·e depuis", "Following since")).Raw("</th></tr></thead>\n<tbody>\n");
            foreach (var follower in list)
            {
                html.Raw("<tr><td><a href=\"").Text(follower.Id).Raw("\" rel=\"nofollow noreferrer\">").Text(follower.Id).Raw("</a></td><td>").Instant(follower.Since).Raw("</td></tr>\n");
            }

            html.Raw("</tbody>\n</table>\n");
        }

        var blocked = blocks.Entries();
        html.Heading(2, "Domaines bloqués", "Blocked domains", "blocked")
            .Paragraph("Les acteurs d'un domaine bloqué (et de ses sous-domaines) ne peuvent pas s'abonner.",
                "The actors of a blocked domain (and of its subdomains) cannot follow.");
        if (blocked.Count == 0)
        {
            html.Paragraph("Aucun domaine n'est bloqué.", "No domain is blocked.");
        }
        else
        {
            html.Raw("<table>\n<caption class=\"visually-hidden\">").Text(view.T("Domaines bloqués", "Blocked domains")).Raw("</caption>\n<thead><tr><th scope=\"col\">")
                .Text(view.T("Domaine", "Domain")).Raw("</th><th scope=\"col\">").Text(view.T("Bloqué depuis", "Blocked since")).Raw("</th><th scope=\"col\">")
                .Text(view.T("Action", "Action")).Raw("</th></tr></thead>\n<tbody>\n");
            foreach (var entry in blocked)
            {
                html.Raw("<tr><td>").Text(entry.Id).Raw("</td><td>").Instant(entry.Since).Raw("</td><td>")
                    .BeginForm(UnblockPath, "inline").Hidden(DomainField, entry.Id)
                    .Raw("<button type=\"submit\" class=\"secondary\">").Text(view.T("Débloquer", "Unblock")).Raw("<span class=\"visually-hidden\"> ").Text(entry.Id).Raw("</span></button>\n</form>\n")
                    .Raw("</td></tr>\n");
            }

            html.Raw("</tbody>\n</table>\n");
        }

        html.Heading(2, "Bloquer un domaine", "Block a domain", "block")
            .BeginForm(BlockPath)
            .Field(form, Domain)
            .EndForm("Bloquer le domaine", "Block the domain", "danger");
        return AdminLayout.Page(view, view.T("Abonné·e·s et domaines bloqués", "Followers and blocked domains"), html, status);
    }
}
