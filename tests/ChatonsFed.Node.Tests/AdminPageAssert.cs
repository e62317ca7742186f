using System.Net;
using System.Text.RegularExpressions;

namespace ChatonsFed.Node.Tests;

/// <summary>What a form sent back with a refused value shows: 422, the error summary linking to the field, the field's message and state.</summary>
internal static class AdminPageAssert
{
    /// <summary>
    /// <paramref name="refused"/> is the form again (422) with <paramref name="message"/> next to <paramref name="field"/>:
    /// the summary links to it, its error has an id, and the field (or the first of its group) is <c>aria-invalid</c>.
    /// Returns the page's text.
    /// </summary>
    public static async Task<string> FieldErrorAsync(HttpResponseMessage refused, string field, string message)
    {
        ArgumentNullException.ThrowIfNull(refused);
        var html = await refused.Content.ReadAsStringAsync();
        var what = $"{field} ({message})";
        Assert.True(refused.StatusCode == HttpStatusCode.UnprocessableEntity, $"{what}: {(int)refused.StatusCode}");
        Assert.True(html.Contains("id=\"error-summary\"", StringComparison.Ordinal), what);
        Assert.True(html.Contains($"<a href=\"#{field}\">", StringComparison.Ordinal), what);
        Assert.True(html.Contains($"id=\"{field}-error\"", StringComparison.Ordinal), what);
        Assert.True(Regex.IsMatch(html, $"id=\"{Regex.Escape(field)}\"[^>]*aria-invalid=\"true\""), $"{what}: the field is not marked invalid");
        Assert.True(html.Contains(message, StringComparison.Ordinal), $"{what}: not in\n{html}");
        return html;
    }
}
