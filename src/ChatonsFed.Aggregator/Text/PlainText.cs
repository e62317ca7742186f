using System.Net;
using System.Text;

namespace ChatonsFed.Aggregator.Text;

/// <summary>Turns the small HTML of actor summaries (paragraphs, line breaks, links) into plain text.</summary>
internal static class PlainText
{
    public static string FromHtml(string? html)
    {
        if (string.IsNullOrEmpty(html))
        {
            return "";
        }

        if (!html.Contains('<', StringComparison.Ordinal) && !html.Contains('&', StringComparison.Ordinal))
        {
            return html.Trim();
        }

        var text = new StringBuilder(html.Length);
        var i = 0;
        while (i < html.Length)
        {
            var open = html.IndexOf('<', i);
            if (open < 0)
            {
                text.Append(WebUtility.HtmlDecode(html[i..]));
                break;
            }

            text.Append(WebUtility.HtmlDecode(html[i..open]));
            var close = html.IndexOf('>', open);
            if (close < 0)
            {
                break;
            }

            var tag = html.AsSpan(open + 1, close - open - 1).Trim();
            if (IsTag(tag, "br"))
            {
                text.Append('\n');
            }
            else if (IsTag(tag, "/p") && text.Length > 0)
            {
                text.Append("\n\n");
            }

            i = close + 1;
        }

        return text.ToString().Trim();
    }

    private static bool IsTag(ReadOnlySpan<char> tag, string name) =>
        tag.StartsWith(name, StringComparison.OrdinalIgnoreCase)
        && (tag.Length == name.Length || tag[name.Length] is ' ' or '/' or '\t' or '\n');
}
