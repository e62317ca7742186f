using ChatonsFed.Directory.Node;
using ChatonsFed.Node.Admin;
using ChatonsFed.Node.Documents;
using ChatonsFed.Node.Features;
using ChatonsFed.Node.Storage;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Node.Pages.Admin;

/// <summary>
/// <c>/admin/services/new</c> and <c>/admin/services/{id}</c>: a hosted service's form, to add one or change one. The
/// change goes through <see cref="ServiceCatalogue"/>, as from the command line: the same rules, the service's
/// document and the services collection re-signed, the <c>Create</c> or <c>Update</c> queued for every follower.
/// </summary>
public static class AdminServiceFormPage
{
    public const string NewPath = "/admin/services/new";

    private static readonly Field Slug = new("slug", "Identifiant dans l'adresse", "Identifier in the address")
    {
        HintFrench = "La fin de l'adresse du service sur ce nœud : lettres minuscules, chiffres et tirets. Laissé vide, il est tiré du nom.",
        HintEnglish = "The end of the service's address on this node: lower-case letters, digits and dashes. Left empty, it is made from the name.",
    };

    private static readonly Field[] Fields =
    [
        new("name", "Nom", "Name") { Required = true, HintFrench = "Par exemple Pad.", HintEnglish = "For example Pad." },
        new("category", "Catégorie", "Category") { Type = "select", Required = true },
        new("url", "Adresse", "Address") { Type = "url", Required = true, HintFrench = "Là où l'on utilise le service, par exemple https://pad.chaton.example/", HintEnglish = "Where people use the service, for example https://pad.chaton.example/" },
        new("summary", "Présentation", "Summary") { Type = "textarea" },
        new("software", "Logiciel", "Software") { HintFrench = "Par exemple Etherpad.", HintEnglish = "For example Etherpad." },
        new("softwareVersion", "Version du logiciel", "Software version"),
        new("license", "Licence du logiciel", "Software licence") { HintFrench = "Un identifiant SPDX, par exemple AGPL-3.0-or-later.", HintEnglish = "An SPDX identifier, for example AGPL-3.0-or-later." },
        new("sourceCode", "Code source", "Source code") { Type = "url", HintFrench = "L'adresse du code source du logiciel.", HintEnglish = "The address of the software's source code." },
        new("registration", "Inscription", "Registration") { Type = "select", Choices = Options(("none", "Sans inscription", "No sign-up needed"), ("free", "Inscription libre", "Open sign-up"), ("member", "Réservée aux membres", "Members only"), ("client", "Réservée aux client·e·s", "Clients only")) },
        new("capacity", "Capacité", "Capacity") { Type = "select", Choices = Options(("open", "Accepte de nouveaux comptes", "Takes new accounts"), ("full", "Complet", "Full")) },
        new("status", "État", "Status") { Type = "select", Choices = Options(("ok", "En service", "Working"), ("degraded", "Perturbé", "Degraded"), ("down", "En panne", "Down"), ("closed", "Fermé", "Closed")) },
    ];

    public static IResult ShowNew(HttpContext context) =>
        Form(AdminView.For(context), new AdminForm { ["slug"] = string.Empty }, null, StatusCodes.Status200OK);

    public static IResult ShowEdit(HttpContext context, string id, ServiceCatalogue services)
    {
        var view = AdminView.For(context);
        return Find(services, id) is { } service ? Form(view, FormOf(service), service, StatusCodes.Status200OK) : AdminServicesPage.NotFound(view, id);
    }

    public static async Task<IResult> AddAsync(HttpContext context, ServiceCatalogue services, CancellationToken cancellationToken)
    {
        var (view, posted, refusal) = await AdminView.ForPostAsync(context);
        if (refusal is not null)
        {
            return refusal;
        }

        var form = AdminForm.From(posted!, Fields.Select(f => f.Name).Append(Slug.Name));
        var changes = new ServiceChanges
        {
            Slug = form["slug"].Trim() is { Length: > 0 } slug ? slug : null,
            Name = form["name"],
            Category = form["category"],
            Url = form["url"],
            Summary = form["summary"],
            Software = form["software"],
            SoftwareVersion = form["softwareVersion"],
            License = form["license"],
            SourceCode = form["sourceCode"],
            Registration = form["registration"],
            Capacity = form["capacity"],
            Status = form["status"],
        };
        return await PublishAsync(view, form, null, () => services.AddAsync(changes, cancellationToken));
    }

    public static async Task<IResult> UpdateAsync(HttpContext context, string id, ServiceCatalogue services, CancellationToken cancellationToken)
    {
        var (view, posted, refusal) = await AdminView.ForPostAsync(context);
        if (refusal is not null)
        {
            return refusal;
        }

        if (Find(services, id) is not { } current)
        {
            return AdminServicesPage.NotFound(view, id);
        }

        var form = AdminForm.From(posted!, Fields.Select(f => f.Name));
        var changes = new ServiceChanges
        {
            Name = form.Changed("name", current.Name),
            Category = form.Changed("category", current.Category),
            Url = form.Changed("url", current.Url),
            Summary = form.Changed("summary", current.Summary),
            Software = form.Changed("software", current.Software),
            SoftwareVersion = form.Changed("softwareVersion", current.SoftwareVersion),
            License = form.Changed("license", current.License),
            SourceCode = form.Changed("sourceCode", current.SourceCode),
            Registration = form.Changed("registration", current.Registration),
            Capacity = form.Changed("capacity", current.Capacity),
            Status = form.Changed("status", current.Status),
        };
        if (changes == new ServiceChanges())
        {
            return view.SeeOther(AdminServicesPage.Path, new AdminFlash(FlashKind.Unchanged));
        }

        return await PublishAsync(view, form, current, () => services.UpdateAsync(current.Id, changes, cancellationToken));
    }

    internal static ServiceRecord? Find(ServiceCatalogue services, string id) => services.List().FirstOrDefault(s => s.Id == id);

    private static async Task<IResult> PublishAsync(AdminView view, AdminForm form, ServiceRecord? current, Func<Task<ChangeResult>> change)
    {
        try
        {
            return view.SeeOther(AdminServicesPage.Path, AdminFlash.Of(await change()));
        }
        catch (Exception e) when (AdminForm.IsRefusal(e))
        {
            form.AddError(e);
            return Form(view, form, current, StatusCodes.Status422UnprocessableEntity);
        }
    }

    private static AdminForm FormOf(ServiceRecord service) => new()
    {
        ["name"] = service.Name,
        ["category"] = service.Category,
        ["url"] = service.Url,
        ["summary"] = service.Summary ?? string.Empty,
        ["software"] = service.Software ?? string.Empty,
        ["softwareVersion"] = service.SoftwareVersion ?? string.Empty,
        ["license"] = service.License ?? string.Empty,
        ["sourceCode"] = service.SourceCode ?? string.Empty,
        ["registration"] = service.Registration ?? string.Empty,
        ["capacity"] = service.Capacity ?? string.Empty,
        ["status"] = service.Status ?? string.Empty,
    };

    private static IResult Form(AdminView view, AdminForm form, ServiceRecord? service, int status)
    {
        var html = new AdminHtml(view).ErrorSummary(form);
        html.BeginForm(service is null ? NewPath : AdminServicesPage.PathOf(service.Id));
        foreach (var field in Fields)
        {
            html.Field(form, field.Name == "category" ? field with { Choices = Categories(form["category"]) } : field);
            if (service is null && field.Name == "name")
            {
                html.Field(form, Slug);
            }
        }

        if (service is null)
        {
            html.EndForm("Publier le service", "Publish the service");
            return AdminLayout.Page(view, view.T("Nouveau service", "New service"), html, status);
        }

        html.EndForm("Publier les modifications", "Publish the changes")
            .Raw("<p>").Link(AdminServicesPage.PathOf(service.Id) + "/remove", "Retirer ce service…", "Remove this service…").Raw("</p>\n")
            .Raw("<p>").Link(AdminServicesPage.Path, "Revenir à la liste des services", "Back to the list of services").Raw("</p>\n");
        return AdminLayout.Page(view, view.T($"Service « {service.Name} »", $"Service “{service.Name}”"), html, status);
    }

    /// <summary>The categories of the shared list, by family; a category the list lacks (kept from elsewhere) is offered too.</summary>
    private static List<Choice> Categories(string current)
    {
        var catalogue = NodeDocumentBuilder.Categories;
        var choices = new List<Choice> { new(string.Empty, "(choisir une catégorie)", "(choose a category)") };
        foreach (var family in catalogue.Families)
        {
            choices.AddRange(catalogue.Categories.Where(c => c.FamilyId == family.Id)
                .Select(c => new Choice(c.Id, c.LabelFr, c.LabelEn) { GroupFrench = family.LabelFr, GroupEnglish = family.LabelEn }));
        }

        if (current.Length > 0 && choices.All(c => c.Value != current))
        {
            choices.Add(new Choice(current, current, current) { GroupFrench = "Hors de la liste", GroupEnglish = "Not in the list" });
        }

        return choices;
    }

    private static Choice[] Options(params (string Value, string French, string English)[] values) =>
        [new(string.Empty, "(non précisé)", "(not given)"), .. values.Select(v => new Choice(v.Value, v.French, v.English))];
}
