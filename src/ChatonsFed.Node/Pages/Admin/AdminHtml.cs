using System.Globalization;
using System.Text;

namespace ChatonsFed.Node.Pages.Admin;

/// <summary>
/// Writes the body of an admin page: text is always HTML-encoded (<see cref="Text"/>); <see cref="Raw"/> is for markup
/// written here. Forms post to the node itself with their antiforgery field; each field has its label, its hint and its
/// error linked by <c>aria-describedby</c>, and <c>aria-invalid</c> when refused; <see cref="ErrorSummary"/> lists the
/// errors at the top, each linked to its field.
/// </summary>
public sealed class AdminHtml(AdminView view)
{
    private readonly StringBuilder _html = new();

    public AdminView View { get; } = view;

    public AdminHtml Raw(string html)
    {
        _html.Append(html);
        return this;
    }

    /// <summary>Text, HTML-encoded.</summary>
    public AdminHtml Text(string? text)
    {
        _html.Append(Encode(text ?? string.Empty));
        return this;
    }

    /// <summary>A heading of <paramref name="level"/> (the page's title is the layout's h1: sections start at 2).</summary>
    public AdminHtml Heading(int level, string french, string english, string? id = null)
    {
        var tag = "h" + level.ToString(CultureInfo.InvariantCulture);
        _html.Append('<').Append(tag);
        if (id is not null)
        {
            _html.Append(" id=\"").Append(Encode(id)).Append('"');
        }

        _html.Append('>').Append(Encode(View.T(french, english))).Append("</").Append(tag).Append(">\n");
        return this;
    }

    public AdminHtml Paragraph(string french, string english, string? cssClass = null)
    {
        _html.Append(cssClass is null ? "<p>" : $"<p class=\"{cssClass}\">").Append(Encode(View.T(french, english))).Append("</p>\n");
        return this;
    }

    /// <summary>A link within the page (<paramref name="href"/> is encoded).</summary>
    public AdminHtml Link(string href, string french, string english)
    {
        _html.Append("<a href=\"").Append(Encode(href)).Append("\">").Append(Encode(View.T(french, english))).Append("</a>");
        return this;
    }

    /// <summary>
    /// The errors of <paramref name="form"/>, if any, at the top of the page: a heading with their count, each error a
    /// link to its field (<c>#NAME</c>). Screen readers announce it (<c>role="alert"</c>).
    /// </summary>
    public AdminHtml ErrorSummary(AdminForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (!form.HasErrors)
        {
            return this;
        }

        var count = form.Errors.Count.ToString(CultureInfo.InvariantCulture);
        _html.Append("<div class=\"error-summary\" id=\"error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\" tabindex=\"-1\">\n")
            .Append("<h2 id=\"error-summary-title\">")
            .Append(Encode(form.Errors.Count == 1 ? View.T("Le formulaire contient une erreur", "The form has an error") : View.T($"Le formulaire contient {count} erreurs", $"The form has {count} errors")))
            .Append("</h2>\n<ul>\n");
        foreach (var error in form.Errors)
        {
            _html.Append("<li>");
            if (error.Field is not null)
            {
                _html.Append("<a href=\"#").Append(Encode(error.Field)).Append("\">");
            }

            Message(error);
            _html.Append(error.Field is null ? "</li>\n" : "</a></li>\n");
        }

        _html.Append("</ul>\n</div>\n");
        return this;
    }

    /// <summary>Opens a form that posts to <paramref name="action"/>, with the antiforgery field.</summary>
    public AdminHtml BeginForm(string action, string? cssClass = null)
    {
        _html.Append("<form method=\"post\" action=\"").Append(Encode(action)).Append("\" novalidate");
        if (cssClass is not null)
        {
            _html.Append(" class=\"").Append(cssClass).Append('"');
        }

        _html.Append(">\n").Append(View.AntiforgeryInput()).Append('\n');
        return this;
    }

    /// <summary>Closes a form with its submit button.</summary>
    public AdminHtml EndForm(string french, string english, string? cssClass = null)
    {
        _html.Append("<p><button type=\"submit\"").Append(cssClass is null ? string.Empty : $" class=\"{cssClass}\"").Append('>')
            .Append(Encode(View.T(french, english))).Append("</button></p>\n</form>\n");
        return this;
    }

    public AdminHtml Hidden(string name, string value)
    {
        _html.Append("<input type=\"hidden\" name=\"").Append(Encode(name)).Append("\" value=\"").Append(Encode(value)).Append("\">\n");
        return this;
    }

    /// <summary>A field of <paramref name="form"/> with its label, hint and error: an input, a textarea or a select.</summary>
    public AdminHtml Field(AdminForm form, Field field)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(field);
        var error = form.ErrorOf(field.Name);
        var id = Encode(field.Name);
        _html.Append(error is null ? "<div class=\"field\">\n" : "<div class=\"field invalid\">\n")
            .Append("<label for=\"").Append(id).Append("\">").Append(Encode(View.T(field.French, field.English)));
        if (field.Required)
        {
            _html.Append(" <span class=\"required\">").Append(Encode(View.T("(obligatoire)", "(required)"))).Append("</span>");
        }

        _html.Append("</label>\n");
        var hint = View.T(field.HintFrench ?? string.Empty, field.HintEnglish ?? string.Empty);
        HintAndError(field.Name, hint, error);
        var describedBy = DescribedBy(field.Name, hint, error);
        var common = new StringBuilder().Append(" id=\"").Append(id).Append("\" name=\"").Append(id).Append('"');
        if (describedBy.Length > 0)
        {
            common.Append(" aria-describedby=\"").Append(describedBy).Append('"');
        }

        if (error is not null)
        {
            common.Append(" aria-invalid=\"true\"");
        }

        if (field.Required)
        {
            common.Append(" required aria-required=\"true\"");
        }

        if (field.Autocomplete is not null)
        {
            common.Append(" autocomplete=\"").Append(field.Autocomplete).Append('"');
        }

        var value = form[field.Name];
        switch (field.Type)
        {
            case "textarea":
                _html.Append("<textarea").Append(common).Append(" rows=\"4\">").Append(Encode(value)).Append("</textarea>\n");
                break;
            case "select":
                Select(common.ToString(), field.Choices ?? [], value);
                break;
            default:
                _html.Append("<input type=\"").Append(field.Type).Append('"').Append(common);
                if (field.InputMode is not null)
                {
                    _html.Append(" inputmode=\"").Append(field.InputMode).Append('"');
                }

                _html.Append(field.Type == "password" ? ">\n" : $" value=\"{Encode(value)}\">\n");
                break;
        }

        _html.Append("</div>\n");
        return this;
    }

    /// <summary>
    /// A group of radio buttons named <paramref name="name"/> in a fieldset whose legend is <paramref name="legend"/>;
    /// each button's id is <c>NAME-VALUE</c>, and the error summary links to the first.
    /// </summary>
    public AdminHtml Radios(AdminForm form, string name, string legend, IReadOnlyList<Choice> choices, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(form);
        return ChoiceGroup(form, name, legend, choices, hint, "radio", value => form[name] == value);
    }

    /// <summary>
    /// A group of checkboxes named <paramref name="name"/> in a fieldset whose legend is <paramref name="legend"/>; the
    /// form's value of <paramref name="name"/> lists the checked values separated by commas (as a browser's repeated
    /// field reads). Ids as <see cref="Radios"/> gives them.
    /// </summary>
    public AdminHtml Checkboxes(AdminForm form, string name, string legend, IReadOnlyList<Choice> choices, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(form);
        var checkedValues = form[name].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        return ChoiceGroup(form, name, legend, choices, hint, "checkbox", checkedValues.Contains);
    }

    /// <summary>
    /// A button that opens <paramref name="action"/> with <paramref name="query"/> (a form sent with GET: it changes
    /// nothing, and leads to a page that asks for confirmation). <paramref name="context"/>, read by screen readers only,
    /// tells apart buttons of the same name in a list.
    /// </summary>
    public AdminHtml ButtonTo(string action, string french, string english, string? cssClass = null, string? context = null, params (string Name, string Value)[] query)
    {
        _html.Append("<form method=\"get\" action=\"").Append(Encode(action)).Append("\" class=\"inline\">\n");
        foreach (var (name, value) in query)
        {
            Hidden(name, value);
        }

        _html.Append("<button type=\"submit\"").Append(cssClass is null ? string.Empty : $" class=\"{cssClass}\"").Append('>').Append(Encode(View.T(french, english)));
        if (context is not null)
        {
            _html.Append("<span class=\"visually-hidden\"> ").Append(Encode(context)).Append("</span>");
        }

        _html.Append("</button>\n</form>\n");
        return this;
    }

    /// <summary>An instant as <c>yyyy-MM-dd HH:mm UTC</c> in a <c>time</c> element.</summary>
    public AdminHtml Instant(DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        _html.Append("<time datetime=\"").Append(utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append("\">")
            .Append(utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)).Append(" UTC</time>");
        return this;
    }

    public override string ToString() => _html.ToString();

    /// <summary>Radio buttons or checkboxes (<paramref name="type"/>) in a fieldset, with the group's hint and error.</summary>
    private AdminHtml ChoiceGroup(AdminForm form, string name, string legend, IReadOnlyList<Choice> choices, string? hint, string type, Func<string, bool> isChecked)
    {
        ArgumentNullException.ThrowIfNull(choices);
        var (group, item) = type == "radio" ? ("radios", "radio") : ("checks", "check");
        var error = form.ErrorOf(name);
        var describedBy = DescribedBy(name, hint ?? string.Empty, error);
        _html.Append("<fieldset class=\"").Append(group).Append(error is null ? "\"" : " invalid\"")
            .Append(describedBy.Length > 0 ? $" aria-describedby=\"{describedBy}\"" : string.Empty).Append(">\n<legend>").Append(Encode(legend)).Append("</legend>\n");
        HintAndError(name, hint ?? string.Empty, error);
        var first = true;
        foreach (var choice in choices)
        {
            // The first one carries the group's name as its id, for the error summary's link.
            var id = Encode(first ? name : $"{name}-{choice.Value}");
            first = false;
            _html.Append("<span class=\"").Append(item).Append("\"><input type=\"").Append(type).Append("\" id=\"").Append(id).Append("\" name=\"").Append(Encode(name)).Append("\" value=\"").Append(Encode(choice.Value)).Append('"')
                .Append(isChecked(choice.Value) ? " checked" : string.Empty).Append(error is null ? string.Empty : " aria-invalid=\"true\"")
                .Append("><label for=\"").Append(id).Append("\">").Append(Encode(View.T(choice.French, choice.English))).Append("</label></span>\n");
        }

        _html.Append("</fieldset>\n");
        return this;
    }

    /// <summary>
    /// <paramref name="text"/> safe in HTML text and in a quoted attribute: <c>&amp; &lt; &gt; " '</c> are escaped, and
    /// nothing else, so that accented letters stay readable in the page's source.
    /// </summary>
    public static string Encode(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.AsSpan().IndexOfAny("&<>\"'") < 0)
        {
            return text ?? string.Empty;
        }

        var encoded = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            encoded.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }

        return encoded.ToString();
    }

    /// <summary>The ids of the hint and the error that describe a field (<see cref="HintAndError"/> writes them).</summary>
    private static string DescribedBy(string name, string hint, FormError? error) =>
        string.Join(' ', new[] { hint.Length > 0 ? name + "-hint" : null, error is null ? null : name + "-error" }.OfType<string>().Select(Encode));

    private void HintAndError(string name, string hint, FormError? error)
    {
        if (hint.Length > 0)
        {
            _html.Append("<p class=\"hint\" id=\"").Append(Encode(name + "-hint")).Append("\">").Append(Encode(hint)).Append("</p>\n");
        }

        if (error is not null)
        {
            _html.Append("<p class=\"error\" id=\"").Append(Encode(name + "-error")).Append("\"><span class=\"visually-hidden\">")
                .Append(Encode(View.T("Erreur : ", "Error: "))).Append("</span>");
            Message(error);
            _html.Append("</p>\n");
        }
    }

    private void Message(FormError error)
    {
        if (error.Language is not null && error.Language != View.Language)
        {
            _html.Append("<span lang=\"").Append(error.Language).Append("\">").Append(Encode(error.Message)).Append("</span>");
        }
        else
        {
            _html.Append(Encode(error.Message));
        }
    }

    private void Select(string attributes, IReadOnlyList<Choice> choices, string value)
    {
        _html.Append("<select").Append(attributes).Append(">\n");
        string? group = null;
        foreach (var choice in choices)
        {
            var label = choice.GroupFrench is null ? null : View.T(choice.GroupFrench, choice.GroupEnglish ?? choice.GroupFrench);
            if (label != group)
            {
                _html.Append(group is null ? string.Empty : "</optgroup>\n");
                if (label is not null)
                {
                    _html.Append("<optgroup label=\"").Append(Encode(label)).Append("\">\n");
                }

                group = label;
            }

            _html.Append("<option value=\"").Append(Encode(choice.Value)).Append('"').Append(choice.Value == value ? " selected" : string.Empty).Append('>')
                .Append(Encode(View.T(choice.French, choice.English))).Append("</option>\n");
        }

        _html.Append(group is null ? "</select>\n" : "</optgroup>\n</select>\n");
    }
}
