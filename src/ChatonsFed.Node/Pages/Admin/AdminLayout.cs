using System.Security.Cryptography;
using System.Text;
using ChatonsFed.Hosting.Endpoints;
using ChatonsFed.Node.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ChatonsFed.Node.Pages.Admin;

/// <summary>An entry of the admin pages' navigation: its path and its name in both languages.</summary>
public sealed record NavItem(string Path, string French, string English);

/// <summary>
/// The frame of every owner's page: a "skip to content" link, the chaton's name, the navigation
/// (<see cref="Navigation"/>), the language switch and the sign-out button, then the page's title (the only h1), the
/// one-shot message and the page's body. Sent with a strict content security policy: nothing loads from anywhere, the
/// inline style is allowed by its hash, forms post only to the node, and no page may be framed.
/// </summary>
public static class AdminLayout
{
    private const string Style =
        "body{font-family:system-ui,sans-serif;max-width:52rem;margin:0 auto;padding:0 1rem 2rem;line-height:1.5;color:#1a1a1a;background:#fff}" +
        "a{color:#0b4f8a}a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #b35c00;outline-offset:2px}" +
        ".skip{position:absolute;left:-999rem}.skip:focus{position:static;display:inline-block;margin:.5rem 0;padding:.3rem .6rem;background:#fff}" +
        "header{border-bottom:1px solid #ccc;padding:.5rem 0}header p{margin:.3rem 0}.site{font-weight:bold}" +
        "nav ul{list-style:none;padding:0;margin:.3rem 0;display:flex;flex-wrap:wrap;gap:.3rem 1rem}nav a[aria-current]{font-weight:bold;color:#1a1a1a}" +
        ".tools{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}.tools form{margin:0}" +
        "h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem}h3{font-size:1.05rem}" +
        ".field{margin:1rem 0}label,legend{display:block;font-weight:bold}.radio label{display:inline;font-weight:normal;margin:0 1rem 0 .3rem}" +
        ".check{display:block;margin:.2rem 0}.check label{display:inline;font-weight:normal;margin-left:.3rem}form.inline{display:inline;margin:0}td code{word-break:break-all}" +
        "input[type=text],input[type=url],input[type=email],input[type=password],select,textarea{display:block;width:100%;max-width:36rem;box-sizing:border-box;padding:.35rem;border:2px solid #555;font:inherit}" +
        "fieldset{border:1px solid #ccc;margin:1rem 0;padding:.5rem 1rem}.hint{color:#4a4a4a;margin:.2rem 0}.required{font-weight:normal;color:#4a4a4a}" +
        ".invalid{border-left:4px solid #a4000f;padding-left:.7rem}.error{color:#a4000f;font-weight:bold;margin:.2rem 0}" +
        ".error-summary{border:3px solid #a4000f;padding:.5rem 1rem;margin:1rem 0}.error-summary h2{margin-top:.3rem}" +
        ".flash{border:3px solid #1e6b1e;padding:.5rem 1rem;margin:1rem 0}.warning{border-color:#b35c00}" +
        "button{font:inherit;padding:.35rem .9rem;border:2px solid #0b4f8a;background:#0b4f8a;color:#fff;cursor:pointer}" +
        "button.secondary{background:#fff;color:#0b4f8a}button.danger{background:#a4000f;border-color:#a4000f}" +
        "table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}" +
        "dt{font-weight:bold}dd{margin:0 0 .5rem}" +
        ".visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}";

    /// <summary>
    /// The pages of the navigation, in order. A new page adds its entry here; the entry whose path is the request's
    /// (or its start, for sub-pages such as <c>/admin/services/new</c>) is marked as the current page.
    /// </summary>
    public static IReadOnlyList<NavItem> Navigation { get; } =
    [
        new("/admin", "Vue d'ensemble", "Overview"),
        new("/admin/profile", "Profil", "Profile"),
        new("/admin/services", "Services", "Services"),
        new("/admin/charter", "Charte", "Charter"),
        new("/admin/followers", "Abonné·e·s", "Followers"),
        new("/admin/endorsements", "Parrainages", "Endorsements"),
        new("/admin/keys", "Clés", "Keys"),
        new("/admin/leave", "Quitter le réseau", "Leave the network"),
    ];

    /// <summary>Nothing loads from anywhere; only the inline style above applies; forms post to the node only; no framing.</summary>
    public static string ContentSecurityPolicy { get; } =
        "default-src 'none'; style-src 'sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style))) +
        "'; img-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>A page for the signed-in owner: the layout with navigation and sign-out around <paramref name="body"/>.</summary>
    public static IResult Page(AdminView view, string title, AdminHtml body, int status = StatusCodes.Status200OK) =>
        Render(view, title, body, status, signedIn: view.Context.User.Identity?.IsAuthenticated == true);

    /// <summary>A page for anyone (the sign-in page): the layout without navigation.</summary>
    public static IResult PublicPage(AdminView view, string title, AdminHtml body, int status = StatusCodes.Status200OK) =>
        Render(view, title, body, status, signedIn: false);

    private static HtmlResult Render(AdminView view, string title, AdminHtml body, int status, bool signedIn)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(body);
        var outbox = view.Context.RequestServices.GetRequiredService<NodeOutbox>();
        var chaton = outbox.Store.Profile?.Name ?? string.Empty;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"").Append(view.Language).Append("\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"robots\" content=\"noindex\">\n")
            .Append("<title>").Append(AdminHtml.Encode($"{title} — {chaton} — {view.T("Administration", "Administration")}")).Append("</title>\n")
            .Append("<style>").Append(Style).Append("</style>\n</head>\n<body>\n")
            .Append("<a class=\"skip\" href=\"#main\">").Append(AdminHtml.Encode(view.T("Aller au contenu", "Skip to content"))).Append("</a>\n<header>\n")
            .Append("<p class=\"site\">").Append(AdminHtml.Encode(chaton)).Append(" — ").Append(AdminHtml.Encode(view.T("administration", "administration"))).Append("</p>\n");
        if (signedIn)
        {
            Nav(html, view);
        }

        html.Append("<div class=\"tools\">\n");
        var other = view.English ? "fr" : "en";
        html.Append("<p><a href=\"").Append(AdminHtml.Encode(view.Path)).Append("?lang=").Append(other).Append("\" hreflang=\"").Append(other).Append("\" lang=\"").Append(other).Append("\">")
            .Append(view.English ? "Version française" : "English version").Append("</a></p>\n");
        if (signedIn)
        {
            html.Append("<form method=\"post\" action=\"/admin/logout\">").Append(view.AntiforgeryInput())
                .Append("<button type=\"submit\" class=\"secondary\">").Append(AdminHtml.Encode(view.T("Se déconnecter", "Sign out"))).Append("</button></form>\n");
        }

        html.Append("</div>\n</header>\n<main id=\"main\" tabindex=\"-1\">\n<h1>").Append(AdminHtml.Encode(title)).Append("</h1>\n");
        if (view.TakeFlash() is { } flash)
        {
            html.Append("<div class=\"flash\" role=\"status\"><p>").Append(AdminHtml.Encode(flash.Text(view))).Append("</p>\n");
            foreach (var warning in flash.Warnings ?? [])
            {
                html.Append("<p class=\"warning\">").Append(AdminHtml.Encode(view.T("Avertissement : ", "Warning: "))).Append("<span lang=\"en\">").Append(AdminHtml.Encode(warning)).Append("</span></p>\n");
            }

            html.Append("</div>\n");
        }

        html.Append(body).Append("</main>\n</body>\n</html>\n");
        return new HtmlResult(html.ToString(), status, view.Language);
    }

    private static void Nav(StringBuilder html, AdminView view)
    {
        var current = Navigation.Where(item => view.Path == item.Path || view.Path.StartsWith(item.Path + "/", StringComparison.Ordinal))
            .OrderByDescending(item => item.Path.Length).FirstOrDefault();
        html.Append("<nav aria-label=\"").Append(AdminHtml.Encode(view.T("Pages d'administration", "Administration pages"))).Append("\">\n<ul>\n");
        foreach (var item in Navigation)
        {
            html.Append("<li><a href=\"").Append(AdminHtml.Encode(item.Path)).Append('"').Append(item == current ? " aria-current=\"page\"" : string.Empty).Append('>')
                .Append(AdminHtml.Encode(view.T(item.French, item.English))).Append("</a></li>\n");
        }

        html.Append("</ul>\n</nav>\n");
    }

    /// <summary>An admin page as sent: never cached, never framed, never sniffed.</summary>
    private sealed class HtmlResult(string html, int status, string language) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            ResponseHeaders.SetPageHeaders(response.Headers, ContentSecurityPolicy, language);
            response.Headers.CacheControl = "no-store";
            response.Headers.XFrameOptions = "DENY";
            response.ContentType = "text/html; charset=utf-8";
            await response.WriteAsync(html, httpContext.RequestAborted);
        }
    }
}
