using ChatonsFed.Node.Documents;
using ChatonsFed.Node.Features;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Node.Pages.Admin;

/// <summary>
/// <c>/admin/services</c>: the hosted services, each with its form (<see cref="AdminServiceFormPage"/>), and
/// <c>/admin/services/{id}/remove</c>, which asks before removing one through <see cref="ServiceCatalogue"/> (its
/// address then answers 410 Gone and followers get a <c>Delete</c>).
/// </summary>
public static class AdminServicesPage
{
    public const string Path = "/admin/services";

    public static string PathOf(string id) => Path + "/" + Uri.EscapeDataString(id);

    public static IResult Show(HttpContext context, ServiceCatalogue services)
    {
        var view = AdminView.For(context);
        var list = services.List();
        var html = new AdminHtml(view).Raw("<p>").Link(AdminServiceFormPage.NewPath, "Ajouter un service", "Add a service").Raw("</p>\n");
        if (list.Count == 0)
        {
            html.Paragraph("Aucun service publié pour l'instant.", "No service published yet.");
            return AdminLayout.Page(view, view.T("Services", "Services"), html);
        }

        var catalogue = NodeDocumentBuilder.Categories;
        html.Raw("<table>\n<caption class=\"visually-hidden\">").Text(view.T("Services publiés", "Published services")).Raw("</caption>\n<thead><tr>")
            .Raw("<th scope=\"col\">").Text(view.T("Service", "Service")).Raw("</th><th scope=\"col\">").Text(view.T("Catégorie", "Category"))
            .Raw("</th><th scope=\"col\">").Text(view.T("Adresse", "Address")).Raw("</th><th scope=\"col\">").Text(view.T("État", "Status"))
            .Raw("</th><th scope=\"col\">").Text(view.T("Actions", "Actions")).Raw("</th></tr></thead>\n<tbody>\n");
        foreach (var service in list)
        {
            var category = catalogue.Describe(service.Category);
            html.Raw("<tr><th scope=\"row\">").Text(service.Name).Raw("</th><td>").Text(category.IsKnown ? view.T(category.LabelFr, category.LabelEn) : service.Category)
                .Raw("</td><td><a href=\"").Text(service.Url).Raw("\" rel=\"noopener noreferrer\">").Text(service.Url).Raw("</a></td><td>").Text(service.Status ?? "—")
                .Raw("</td><td>").Link(PathOf(service.Id), "Modifier", "Edit").Raw(" <span class=\"visually-hidden\">").Text(service.Name).Raw("</span> · ")
                .Link(PathOf(service.Id) + "/remove", "Retirer", "Remove").Raw(" <span class=\"visually-hidden\">").Text(service.Name).Raw("</span></td></tr>\n");
        }

        html.Raw("</tbody>\n</table>\n");
        return AdminLayout.Page(view, view.T("Services", "Services"), html);
    }

    public static IResult ShowRemove(HttpContext context, string id, ServiceCatalogue services)
    {
        var view = AdminView.For(context);
        if (AdminServiceFormPage.Find(services, id) is not { } service)
        {
            return NotFound(view, id);
        }

        var html = new AdminHtml(view)
            .Paragraph("Son adresse sur ce nœud répondra 410 Gone, et les abonné·e·s recevront sa suppression. Le service pourra être publié à nouveau plus tard.",
                "Its address on this node will answer 410 Gone, and the followers will be told it was removed. The service can be published again later.")
            .BeginForm(PathOf(service.Id) + "/remove")
            .EndForm("Retirer le service", "Remove the service", "danger")
            .Raw("<p>").Link(PathOf(service.Id), "Annuler", "Cancel").Raw("</p>\n");
        return AdminLayout.Page(view, view.T($"Retirer le service « {service.Name} » ?", $"Remove the service “{service.Name}”?"), html);
    }

    public static async Task<IResult> RemoveAsync(HttpContext context, string id, ServiceCatalogue services, CancellationToken cancellationToken)
    {
        var (view, _, refusal) = await AdminView.ForPostAsync(context);
        if (refusal is not null)
        {
            return refusal;
        }

        if (AdminServiceFormPage.Find(services, id) is not { } service)
        {
            return NotFound(view, id);
        }

        try
        {
            return view.SeeOther(Path, AdminFlash.Of(await services.RemoveAsync(service.Id, cancellationToken)));
        }
        catch (Exception e) when (AdminForm.IsRefusal(e))
        {
            var form = new AdminForm();
            form.AddError(e);
            return AdminLayout.Page(view, view.T("Le service n'a pas été retiré", "The service was not removed"), new AdminHtml(view).ErrorSummary(form), StatusCodes.Status422UnprocessableEntity);
        }
    }

    internal static IResult NotFound(AdminView view, string id)
    {
        var html = new AdminHtml(view)
            .Paragraph($"Ce chaton ne publie aucun service « {id} ».", $"This chaton publishes no service “{id}”.")
            .Raw("<p>").Link(Path, "Revenir à la liste des services", "Back to the list of services").Raw("</p>\n");
        return AdminLayout.Page(view, view.T("Service introuvable", "No such service"), html, StatusCodes.Status404NotFound);
    }
}
