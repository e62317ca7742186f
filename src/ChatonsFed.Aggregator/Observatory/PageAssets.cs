using AngleSharp.Html.Parser;

namespace ChatonsFed.Aggregator.Observatory;

/// <summary>
/// The hosts an HTML page makes a browser load, read with a real HTML parser (AngleSharp) and never executed: script
/// <c>src</c>; <c>link href</c> of the relations that load something (stylesheet, icon, preload, prefetch, manifest…);
/// <c>img</c> and <c>source</c> <c>src</c> and <c>srcset</c>; <c>iframe</c>, <c>embed</c>, <c>track</c> <c>src</c>;
/// <c>object data</c>; <c>video</c> and <c>audio</c> <c>src</c> and <c>poster</c>; <c>form action</c>; the URL of a
/// <c>meta http-equiv="refresh"</c>. Relative URLs are resolved against the page (or its <c>base href</c>).
/// </summary>
public static class PageAssets
{
    /// <summary>The most hosts kept for one page.</summary>
    public const int MaxHosts = 100;

    private static readonly HashSet<string> LoadingRelations = new(StringComparer.OrdinalIgnoreCase)
    {
        "stylesheet", "icon", "shortcut", "apple-touch-icon", "apple-touch-icon-precomposed", "mask-icon", "preload", "modulepreload",
        "prefetch", "preconnect", "dns-prefetch", "prerender", "manifest",
    };

    private static readonly (string Selector, string Attribute, bool SourceSet)[] Sources =
    [
        ("script[src]", "src", false),
        ("img[src]", "src", false),
        ("img[srcset]", "srcset", true),
        ("source[src]", "src", false),
        ("source[srcset]", "srcset", true),
        ("iframe[src]", "src", false),
        ("embed[src]", "src", false),
        ("track[src]", "src", false),
        ("object[data]", "data", false),
        ("video[src]", "src", false),
        ("video[poster]", "poster", false),
        ("audio[src]", "src", false),
        ("input[type=image][src]", "src", false),
        ("form[action]", "action", false),
    ];

    /// <summary>The hosts (lower case, IDN, sorted) of what the page at <paramref name="pageUrl"/> loads.</summary>
    public static IReadOnlyList<string> Hosts(ReadOnlyMemory<byte> html, Uri pageUrl)
    {
        ArgumentNullException.ThrowIfNull(pageUrl);
        var parser = new HtmlParser(new HtmlParserOptions { IsScripting = false });
        using var stream = new MemoryStream(html.ToArray(), writable: false);
        using var document = parser.ParseDocument(stream);
        var baseUrl = document.QuerySelector("base[href]")?.GetAttribute("href") is { } declared
            && Uri.TryCreate(pageUrl, declared.Trim(), out var b) && IsWeb(b) ? b : pageUrl;

        var hosts = new SortedSet<string>(StringComparer.Ordinal);
        void Add(string? raw)
        {
            if (hosts.Count < MaxHosts && !string.IsNullOrWhiteSpace(raw) && Uri.TryCreate(baseUrl, raw.Trim(), out var url) && IsWeb(url))
            {
                hosts.Add(PageProbe.HostOf(url).TrimEnd('.'));
            }
        }

        foreach (var (selector, attribute, sourceSet) in Sources)
        {
            foreach (var element in document.QuerySelectorAll(selector))
            {
                var value = element.GetAttribute(attribute);
                if (sourceSet)
                {
                    foreach (var candidate in (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        Add(candidate.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault());
                    }
                }
                else
                {
                    Add(value);
                }
            }
        }

        foreach (var link in document.QuerySelectorAll("link[href]"))
        {
            var relations = (link.GetAttribute("rel") ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (relations.Any(LoadingRelations.Contains))
            {
                Add(link.GetAttribute("href"));
            }
        }

        foreach (var meta in document.QuerySelectorAll("meta[http-equiv]"))
        {
            if (string.Equals(meta.GetAttribute("http-equiv")?.Trim(), "refresh", StringComparison.OrdinalIgnoreCase))
            {
                Add(RefreshUrl(meta.GetAttribute("content")));
            }
        }

        return [.. hosts];
    }

    /// <summary>The URL of a refresh's content (<c>5; url=https://…</c>), quotes removed; null without one.</summary>
    public static string? RefreshUrl(string? content)
    {
        if (content is null)
        {
            return null;
        }

        var at = content.IndexOf("url", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        var rest = content[(at + 3)..].TrimStart();
        return rest.StartsWith('=') ? rest[1..].Trim().Trim('\'', '"') : null;
    }

    private static bool IsWeb(Uri url) =>
        url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp) && url.IdnHost.Length > 0;
}
