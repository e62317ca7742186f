using System.Net;
using System.Text.RegularExpressions;

namespace ChatonsFed.Testing;

/// <summary>
/// A browser of the owner's web page without JavaScript: cookies kept as a browser keeps them, redirects not followed
/// (so that tests see them), and forms sent with the antiforgery token of the page they were read from.
/// </summary>
public sealed partial class AdminPageClient : IDisposable
{
    public const string TokenField = "form_token";

    private readonly HttpClientHandler _handler;

    public AdminPageClient(Uri baseAddress, string? acceptLanguage = null)
    {
        _handler = new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false, UseCookies = true };
        Http = new HttpClient(_handler) { BaseAddress = baseAddress };
        Http.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        if (acceptLanguage is not null)
        {
            Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd(acceptLanguage);
        }
    }

    public CookieContainer Cookies { get; } = new();

    public HttpClient Http { get; }

    /// <summary>
    /// A node served at its public URL, <c>http://127.0.0.1:PORT</c>, so that its cookies have no <c>Secure</c> flag and
    /// a client keeps them over plain http.
    /// </summary>
    public static async Task<TestNode> StartNodeAsync(TimeProvider? time = null)
    {
        var node = await TestNode.InitAsync($"http://127.0.0.1:{TestHost.FreePort()}", start: false);
        node.Time = time;
        await node.StartOnPublicUrlAsync();
        return node;
    }

    /// <summary>The page at <paramref name="path"/>: its answer and its text.</summary>
    public async Task<(HttpStatusCode Status, string Html, HttpResponseMessage Response)> GetAsync(string path)
    {
        var response = await Http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    /// <summary>The text of the page at <paramref name="path"/>; fails unless it answers 200.</summary>
    public async Task<string> HtmlAsync(string path)
    {
        var (status, html, response) = await GetAsync(path);
        response.Dispose();
        return status == HttpStatusCode.OK ? html : throw new InvalidOperationException($"GET {path} answered {(int)status}:\n{html}");
    }

    /// <summary>A form's fields: each of <paramref name="names"/> empty, then <paramref name="values"/> (later ones win).</summary>
    public static List<KeyValuePair<string, string>> Fields(IEnumerable<string> names, params (string Name, string Value)[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var fields = (names ?? []).ToDictionary(name => name, _ => string.Empty, StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            fields[name] = value;
        }

        return [.. fields];
    }

    /// <summary>The antiforgery token of the first form of <paramref name="html"/>.</summary>
    public static string TokenOf(string html)
    {
        var match = TokenPattern().Match(html);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException("the page has no form token:\n" + html);
    }

    /// <summary>
    /// Reads the page <paramref name="page"/>, then posts <paramref name="fields"/> to <paramref name="action"/> with the
    /// page's token (unless <paramref name="withToken"/> is false), as a browser sends a form.
    /// </summary>
    public async Task<HttpResponseMessage> PostFormAsync(string page, string action, IEnumerable<KeyValuePair<string, string>> fields, bool withToken = true)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var (status, html, response) = await GetAsync(page);
        response.Dispose();
        if (status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {page} answered {(int)status}, not the page with the form");
        }

        var body = fields.ToList();
        if (withToken)
        {
            body.Add(new(TokenField, TokenOf(html)));
        }

        using var content = new FormUrlEncodedContent(body);
        return await Http.PostAsync(action, content);
    }

    /// <summary>
    /// Reads the page <paramref name="page"/>, then sends its form that posts to <paramref name="action"/> as a browser
    /// would: with every value it shows (text fields, the options selected, the boxes checked, its hidden fields and
    /// token), but those of <paramref name="changes"/>, which replace them.
    /// </summary>
    public async Task<HttpResponseMessage> SubmitFormAsync(string page, string action, params (string Name, string Value)[] changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var html = await HtmlAsync(page);
        var start = html.IndexOf($"<form method=\"post\" action=\"{WebUtility.HtmlEncode(action)}\"", StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"{page} has no form that posts to {action}:\n{html}");
        }

        var form = html[start..(html.IndexOf("</form>", start, StringComparison.Ordinal) + "</form>".Length)];
        var fields = new List<KeyValuePair<string, string>>();
        foreach (Match input in InputPattern().Matches(form))
        {
            var attributes = Attributes(input.Groups[1].Value);
            var type = attributes.GetValueOrDefault("type", "text");
            if (attributes.TryGetValue("name", out var name) && type is not ("submit" or "password") && (type is not ("radio" or "checkbox") || attributes.ContainsKey("checked")))
            {
                fields.Add(new(name, attributes.GetValueOrDefault("value", type == "checkbox" ? "on" : string.Empty)));
            }
        }

        foreach (Match area in TextareaPattern().Matches(form))
        {
            fields.Add(new(Attributes(area.Groups[1].Value)["name"], WebUtility.HtmlDecode(area.Groups[2].Value)));
        }

        foreach (Match select in SelectPattern().Matches(form))
        {
            var selected = OptionPattern().Matches(select.Groups[2].Value).Select(o => Attributes(o.Groups[1].Value)).FirstOrDefault(o => o.ContainsKey("selected"));
            fields.Add(new(Attributes(select.Groups[1].Value)["name"], selected?.GetValueOrDefault("value") ?? string.Empty));
        }

        foreach (var name in changes.Select(c => c.Name).Distinct())
        {
            fields.RemoveAll(f => f.Key == name);
        }

        fields.AddRange(changes.Select(c => new KeyValuePair<string, string>(c.Name, c.Value)));
        using var content = new FormUrlEncodedContent(fields);
        return await Http.PostAsync(action, content);
    }

    /// <summary>Signs in with <paramref name="credential"/> through the sign-in form.</summary>
    public Task<HttpResponseMessage> SignInAsync(string credential) =>
        PostFormAsync("/admin/login", "/admin/login", [new("credential", credential)]);

    /// <summary>Signs in and fails unless the node sends the browser on to <c>/admin</c>.</summary>
    public async Task SignInOrFailAsync(string credential)
    {
        using var response = await SignInAsync(credential);
        if (response.StatusCode != HttpStatusCode.SeeOther || response.Headers.Location?.OriginalString != "/admin")
        {
            throw new InvalidOperationException($"signing in answered {(int)response.StatusCode} {response.Headers.Location}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    public void Dispose()
    {
        Http.Dispose();
        _handler.Dispose();
    }

    [GeneratedRegex("name=\"form_token\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    /// <summary>The attributes of a tag as the pages write them (<c>name="value"</c>, or a name alone), decoded.</summary>
    private static Dictionary<string, string> Attributes(string tag)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match attribute in AttributePattern().Matches(tag))
        {
            attributes.TryAdd(attribute.Groups[1].Value, WebUtility.HtmlDecode(attribute.Groups[2].Value));
        }

        return attributes;
    }

    [GeneratedRegex("<input\\b([^>]*)>")]
    private static partial Regex InputPattern();

    [GeneratedRegex("<textarea\\b([^>]*)>(.*?)</textarea>", RegexOptions.Singleline)]
    private static partial Regex TextareaPattern();

    [GeneratedRegex("<select\\b([^>]*)>(.*?)</select>", RegexOptions.Singleline)]
    private static partial Regex SelectPattern();

    [GeneratedRegex("<option\\b([^>]*)>")]
    private static partial Regex OptionPattern();

    [GeneratedRegex("([a-z][a-z-]*)(?:=\"([^\"]*)\")?")]
    private static partial Regex AttributePattern();
}
