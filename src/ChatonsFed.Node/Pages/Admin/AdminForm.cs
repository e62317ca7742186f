using ChatonsFed.Directory.Node;
using ChatonsFed.Hosting;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Node.Pages.Admin;

/// <summary>
/// One field of a form: its name (also its id, and the name the admin API and the services give it, so that a
/// refused value's <see cref="InvalidFieldException.Field"/> finds it), its label and hint in both languages, and how it
/// is entered: <see cref="Type"/> <c>text</c>, <c>url</c>, <c>email</c>, <c>password</c> or <c>textarea</c>, or a
/// <c>select</c> among <see cref="Choices"/>.
/// </summary>
public sealed record Field(string Name, string French, string English)
{
    public string? HintFrench { get; init; }
    public string? HintEnglish { get; init; }
    public string Type { get; init; } = "text";
    public bool Required { get; init; }
    public string? Autocomplete { get; init; }
    public string? InputMode { get; init; }

    /// <summary>The options of a select; an option whose value is empty stands for "none".</summary>
    public IReadOnlyList<Choice>? Choices { get; init; }
}

/// <summary>One option of a select or a radio group; options with the same group are shown together.</summary>
public sealed record Choice(string Value, string French, string English)
{
    public string? GroupFrench { get; init; }
    public string? GroupEnglish { get; init; }
}

/// <summary>A refused value: the field concerned (null for the whole form), the message, and the message's language when it is fixed (the services' messages are in English).</summary>
public sealed record FormError(string? Field, string Message, string? Language = null);

/// <summary>
/// The values a form shows and the errors found in them: the stored values when it is first shown, the values entered
/// when it comes back with errors, so that nothing typed is lost.
/// </summary>
public sealed class AdminForm
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly List<FormError> _errors = [];

    public IReadOnlyList<FormError> Errors => _errors;

    public bool HasErrors => _errors.Count > 0;

    /// <summary>The value of <paramref name="name"/>, empty when it has none.</summary>
    public string this[string name]
    {
        get => _values.TryGetValue(name, out var value) ? value : string.Empty;
        set => _values[name] = value ?? string.Empty;
    }

    /// <summary>The values of <paramref name="names"/> as a browser sent them.</summary>
    public static AdminForm From(IFormCollection form, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(names);
        var result = new AdminForm();
        foreach (var name in names)
        {
            result[name] = form[name].ToString();
        }

        return result;
    }

    /// <summary>Whether the form has a value for <paramref name="name"/> (a field it shows).</summary>
    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>The first error of <paramref name="name"/>, or null.</summary>
    public FormError? ErrorOf(string name) => _errors.FirstOrDefault(e => e.Field == name);

    public void AddError(string? field, string message, string? language = null) => _errors.Add(new FormError(field, message, language));

    /// <summary>
    /// The error a service refused the form with: next to its field when the form shows that field, else for the
    /// whole form. The services' messages are in English.
    /// </summary>
    public void AddError(Exception refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var field = refusal is InvalidFieldException { Field: { Length: > 0 } name } && Has(name) ? name : null;
        AddError(field, refusal.Message, "en");
    }

    /// <summary>Whether <paramref name="refusal"/> is a value refused by the services' rules, which a form shows back.</summary>
    public static bool IsRefusal(Exception refusal) => refusal is InvalidFieldException or NodeInputException;

    /// <summary>The value of <paramref name="name"/> when it differs from <paramref name="current"/> (both trimmed), else null: only what changed is sent.</summary>
    public string? Changed(string name, string? current)
    {
        var value = this[name].Trim();
        return value == (current ?? string.Empty).Trim() ? null : value;
    }
}
