using System.Text;

namespace ChatonsFed.Directory.Node;

/// <summary>The little HTML the node writes: escaped text, paragraphs and links, as Mastodon shows them.</summary>
internal static class HtmlText
{
    /// <summary>
    /// Escapes the characters that matter in text and double-quoted attributes (&amp;, &lt;, &gt;, &quot;).
    /// Apostrophes and non-ASCII letters stay as they are, so French text stays readable on the wire.
    /// </summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.AsSpan().IndexOfAny("&<>\"") < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                _ => null,
            } ?? c.ToString());
        }

        return builder.ToString();
    }

    /// <summary>Plain text as HTML paragraphs: a blank line starts a paragraph, a single line break becomes &lt;br&gt;.</summary>
    public static string Paragraphs(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        if (normalized.Length == 0)
        {
            return "";
        }

        var paragraphs = normalized
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => "<p>" + string.Join("<br>", p.Split('\n').Select(line => Escape(line.Trim()))) + "</p>");
        return string.Concat(paragraphs);
    }

    /// <summary>A link whose text is its own address.</summary>
    public static string Link(string url)
    {
        var escaped = Escape(url);
        return $"<a href=\"{escaped}\">{escaped}</a>";
    }
}
