using ChatonsFed.Directory.Node;
using ChatonsFed.Node.Admin;
using ChatonsFed.Node.Documents;
using ChatonsFed.Node.Features;
using ChatonsFed.Node.Storage;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Node.Pages.Admin;

/// <summary>
/// <c>/admin/charter</c>: the chaton's declaration on the charter, each criterion of the shared list met or not met,
/// with a note. A change goes through <see cref="AttestationService"/>, as from the command line: the attestation is
/// re-signed and its <c>Update</c> queued for every follower. A criterion once declared stays declared (met or not).
/// </summary>
public static class AdminCharterPage
{
    public const string Path = "/admin/charter";

    private const string Met = "met";
    private const string NotMet = "unmet";
    private const string Undeclared = "none";

    /// <summary>The radio group of a criterion.</summary>
    public static string ChoiceField(string id) => "criterion-" + id;

    /// <summary>The note of a criterion.</summary>
    public static string NoteField(string id) => "note-" + id;

    public static IResult Show(HttpContext context, AttestationService attestation) =>
        Form(AdminView.For(context), FormOf(attestation.Get()), attestation.Get(), StatusCodes.Status200OK);

    public static async Task<IResult> SubmitAsync(HttpContext context, AttestationService attestation, CancellationToken cancellationToken)
    {
        var (view, posted, refusal) = await AdminView.ForPostAsync(context);
        if (refusal is not null)
        {
            return refusal;
        }

        var declaration = attestation.Get();
        var current = declaration.Criteria.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var criteria = NodeDocumentBuilder.Criteria.Criteria;
        var form = AdminForm.From(posted!, criteria.SelectMany(c => new[] { ChoiceField(c.Id), NoteField(c.Id) }));
        var changes = new Changes();
        foreach (var criterion in criteria)
        {
            Read(view, form, criterion, current.GetValueOrDefault(criterion.Id), changes);
        }

        if (form.HasErrors)
        {
            return Form(view, form, declaration, StatusCodes.Status422UnprocessableEntity);
        }

        if (changes.Met.Count == 0 && changes.NotMet.Count == 0 && changes.Notes.Count == 0)
        {
            return view.SeeOther(Path, new AdminFlash(FlashKind.Unchanged));
        }

        try
        {
            var set = new AttestationChanges { Met = changes.Met, NotMet = changes.NotMet, Notes = changes.Notes };
            return view.SeeOther(Path, AdminFlash.Of(await attestation.SetAsync(set, cancellationToken)));
        }
        catch (Exception e) when (AdminForm.IsRefusal(e))
        {
            form.AddError(e);
            return Form(view, form, declaration, StatusCodes.Status422UnprocessableEntity);
        }
    }

    /// <summary>Adds to <paramref name="changes"/> what the form changes about <paramref name="criterion"/>.</summary>
    private static void Read(AdminView view, AdminForm form, CharterCriterion criterion, CriterionRecord? current, Changes changes)
    {
        var choice = form[ChoiceField(criterion.Id)];
        var note = form[NoteField(criterion.Id)].Trim();
        switch (choice)
        {
            case Met when current is not { Met: true }:
                changes.Met.Add(criterion.Id);
                break;
            case NotMet when current is not { Met: false }:
                changes.NotMet.Add(criterion.Id);
                break;
            case Met or NotMet or Undeclared or "":
                break;
            default:
                form.AddError(ChoiceField(criterion.Id), view.T("Choisissez « rempli » ou « non rempli ».", "Choose “met” or “not met”."));
                return;
        }

        var declared = current is not null || choice is Met or NotMet;
        if (!declared && note.Length > 0)
        {
            form.AddError(NoteField(criterion.Id), view.T("Déclarez d'abord ce critère rempli ou non rempli : une note accompagne une déclaration.",
                "Declare this criterion met or not met first: a note goes with a declaration."));
        }
        else if (declared && note != (current?.Note ?? string.Empty))
        {
            changes.Notes[criterion.Id] = note;
        }
    }

    private static AdminForm FormOf(AttestationRecord declaration)
    {
        var form = new AdminForm();
        var current = declaration.Criteria.ToDictionary(c => c.Id, StringComparer.Ordinal);
        foreach (var criterion in NodeDocumentBuilder.Criteria.Criteria)
        {
            var entry = current.GetValueOrDefault(criterion.Id);
            form[ChoiceField(criterion.Id)] = entry is null ? Undeclared : entry.Met ? Met : NotMet;
            form[NoteField(criterion.Id)] = entry?.Note ?? string.Empty;
        }

        return form;
    }

    private static IResult Form(AdminView view, AdminForm form, AttestationRecord declaration, int status)
    {
        var catalogue = NodeDocumentBuilder.Criteria;
        var declared = declaration.Criteria.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var html = new AdminHtml(view).ErrorSummary(form)
            .Raw("<p>").Text(view.T("Ce que le chaton déclare lui-même, critère par critère, sur la ", "What the chaton itself declares, criterion by criterion, on the "))
            .Raw("<a href=\"").Text(declaration.CharterUrl).Raw("\" rel=\"noopener noreferrer\">").Text(view.T("charte CHATONS", "CHATONS charter")).Raw("</a> (")
            .Text(declaration.CharterVersion).Raw(").</p>\n")
            .BeginForm(Path);
        foreach (var part in catalogue.Parts)
        {
            html.Heading(2, part.LabelFr, part.LabelEn);
            foreach (var criterion in catalogue.InPart(part.Id))
            {
                var label = view.T(criterion.LabelFr, criterion.LabelEn);
                var level = criterion.Level == CriterionLevel.Required ? view.T("requis", "required") : view.T("recommandé", "recommended");
                List<Choice> choices = [new(Met, "Rempli", "Met"), new(NotMet, "Non rempli", "Not met")];
                if (!declared.Contains(criterion.Id))
                {
                    choices.Add(new(Undeclared, "Non déclaré", "Not declared"));
                }

                html.Radios(form, ChoiceField(criterion.Id), $"{label} ({level})", choices)
                    .Field(form, new Field(NoteField(criterion.Id), $"Note sur « {criterion.LabelFr} »", $"Note on “{criterion.LabelEn}”"));
            }
        }

        html.EndForm("Publier la déclaration", "Publish the declaration");
        return AdminLayout.Page(view, view.T("Déclaration sur la charte", "Charter declaration"), html, status);
    }

    /// <summary>What the form changes: the criteria newly met, newly not met, and the notes that differ.</summary>
    private sealed class Changes
    {
        public List<string> Met { get; } = [];

        public List<string> NotMet { get; } = [];

        public Dictionary<string, string> Notes { get; } = new(StringComparer.Ordinal);
    }
}
