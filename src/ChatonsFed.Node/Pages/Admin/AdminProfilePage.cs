using System.Globalization;
using ChatonsFed.Directory.Node;
using ChatonsFed.Node.Features;
using ChatonsFed.Node.Storage;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Node.Pages.Admin;

/// <summary>
/// <c>/admin/profile</c>: the chaton's profile. A change goes through <see cref="ProfileService"/>, as from the command
/// line and the admin API: the same rules, the actor re-signed, its <c>Update</c> queued for every follower.
/// </summary>
public static class AdminProfilePage
{
    public const string Path = "/admin/profile";

    private static readonly Field[] Fields =
    [
        new("name", "Nom", "Name") { Required = true, Autocomplete = "organization" },
        new("summary", "Présentation", "Summary") { Type = "textarea", HintFrench = "Quelques phrases sur le chaton.", HintEnglish = "A few sentences about the chaton." },
        new("website", "Site web", "Website") { Type = "url", Autocomplete = "url", HintFrench = "Par exemple https://chaton.example/", HintEnglish = "For example https://chaton.example/" },
        new("contact", "Contact", "Contact") { HintFrench = "Une adresse électronique ou l'adresse d'une page de contact.", HintEnglish = "An e-mail address or the address of a contact page." },
        new("legalNotice", "Mentions légales", "Legal notice") { Type = "url", HintFrench = "L'adresse de la page des mentions légales.", HintEnglish = "The address of the legal notice page." },
        new("structureType", "Type de structure", "Structure type") { Type = "select", Choices = StructureTypes() },
        new("country", "Pays", "Country") { HintFrench = "Code ISO à deux lettres, par exemple FR ou BE.", HintEnglish = "Two-letter ISO code, for example FR or BE." },
        new("placeName", "Lieu", "Place") { HintFrench = "Par exemple Valence.", HintEnglish = "For example Valence." },
        new("latitude", "Latitude", "Latitude") { InputMode = "decimal", HintFrench = "En degrés, de -90 à 90, par exemple 44.93 (avec la longitude).", HintEnglish = "In degrees, from -90 to 90, for example 44.93 (with the longitude)." },
        new("longitude", "Longitude", "Longitude") { InputMode = "decimal", HintFrench = "En degrés, de -180 à 180, par exemple 4.89 (avec la latitude).", HintEnglish = "In degrees, from -180 to 180, for example 4.89 (with the latitude)." },
        new("icon", "Icône", "Icon") { Type = "url", HintFrench = "L'adresse d'une image.", HintEnglish = "The address of an image." },
    ];

    public static IResult Show(HttpContext context, NodeOutbox outbox) =>
        Form(AdminView.For(context), FormOf(outbox.Profile()), StatusCodes.Status200OK);

    public static async Task<IResult> SubmitAsync(HttpContext context, ProfileService profiles, CancellationToken cancellationToken)
    {
        var (view, posted, refusal) = await AdminView.ForPostAsync(context);
        if (refusal is not null)
        {
            return refusal;
        }

        var form = AdminForm.From(posted!, Fields.Select(f => f.Name));
        var current = profiles.Get();
        var latitude = Degrees(view, form, "latitude");
        var longitude = Degrees(view, form, "longitude");
        if (form.HasErrors)
        {
            return Form(view, form, StatusCodes.Status422UnprocessableEntity);
        }

        var locationChanged = latitude != current.Latitude || longitude != current.Longitude;
        if (locationChanged && latitude is null && longitude is null)
        {
            form.AddError("latitude", view.T("La position ne peut pas être effacée : donnez la latitude et la longitude.",
                "The position cannot be removed: give the latitude and the longitude."));
            return Form(view, form, StatusCodes.Status422UnprocessableEntity);
        }

        var changes = new ProfileChanges
        {
            Name = form.Changed("name", current.Name),
            Summary = form.Changed("summary", current.Summary),
            Website = form.Changed("website", current.Website),
            Contact = form.Changed("contact", current.Contact),
            LegalNotice = form.Changed("legalNotice", current.LegalNotice),
            StructureType = form.Changed("structureType", current.StructureType),
            Country = form.Changed("country", current.Country),
            PlaceName = form.Changed("placeName", current.PlaceName),
            Latitude = locationChanged ? latitude : null,
            Longitude = locationChanged ? longitude : null,
            Icon = form.Changed("icon", current.Icon),
        };
        if (changes == new ProfileChanges())
        {
            return view.SeeOther(Path, new AdminFlash(FlashKind.Unchanged));
        }

        try
        {
            return view.SeeOther(Path, AdminFlash.Of(await profiles.SetAsync(changes, cancellationToken)));
        }
        catch (Exception e) when (AdminForm.IsRefusal(e))
        {
            form.AddError(e);
            return Form(view, form, StatusCodes.Status422UnprocessableEntity);
        }
    }

    private static AdminForm FormOf(ProfileRecord profile)
    {
        var form = new AdminForm
        {
            ["name"] = profile.Name,
            ["summary"] = profile.Summary ?? string.Empty,
            ["website"] = profile.Website ?? string.Empty,
            ["contact"] = profile.Contact ?? string.Empty,
            ["legalNotice"] = profile.LegalNotice ?? string.Empty,
            ["structureType"] = profile.StructureType ?? string.Empty,
            ["country"] = profile.Country ?? string.Empty,
            ["placeName"] = profile.PlaceName ?? string.Empty,
            ["latitude"] = profile.Latitude?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
            ["longitude"] = profile.Longitude?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
            ["icon"] = profile.Icon ?? string.Empty,
        };
        return form;
    }

    private static IResult Form(AdminView view, AdminForm form, int status)
    {
        var html = new AdminHtml(view).ErrorSummary(form)
            .Paragraph("Ce que le chaton publie sur lui-même. Une modification est signée et envoyée aux abonné·e·s.",
                "What the chaton publishes about itself. A change is signed and sent to the followers.")
            .BeginForm(Path);
        foreach (var field in Fields)
        {
            html.Field(form, field);
        }

        html.EndForm("Publier le profil", "Publish the profile");
        return AdminLayout.Page(view, view.T("Profil", "Profile"), html, status);
    }

    /// <summary>A coordinate as typed (a decimal comma is taken as a point); null when empty; an error when it is not a number.</summary>
    private static double? Degrees(AdminView view, AdminForm form, string name)
    {
        var text = form[name].Trim().Replace(',', '.');
        if (text.Length == 0)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }

        form.AddError(name, view.T($"« {form[name]} » n'est pas un nombre ; écrivez par exemple 44.93.", $"'{form[name]}' is not a number; write for example 44.93."));
        return null;
    }

    private static Choice[] StructureTypes() =>
    [
        new(string.Empty, "(non précisé)", "(not given)"),
        new("ASSOCIATION", "Association", "Association"),
        new("INFORMAL", "Collectif informel", "Informal group"),
        new("COOPERATIVE", "Coopérative", "Cooperative"),
        new("MICROCOMPANY", "Micro-entreprise", "Micro-company"),
        new("COMPANY", "Entreprise", "Company"),
        new("INDIVIDUAL", "Particulier", "Individual"),
        new("OTHER", "Autre", "Other"),
    ];
}
