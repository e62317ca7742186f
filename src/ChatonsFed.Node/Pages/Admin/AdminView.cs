using ChatonsFed.Hosting.Admin;
using ChatonsFed.Hosting.Endpoints;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ChatonsFed.Node.Pages.Admin;

/// <summary>
/// One request to the owner's web page: its language (French by default; <c>?lang=en</c> or <c>?lang=fr</c>, remembered
/// in a cookie, else <c>Accept-Language</c>), the antiforgery token its forms carry, and the one-shot message left by the
/// previous change (<see cref="AdminFlash"/>).
/// </summary>
public sealed class AdminView
{
    public const string LanguageCookie = "chatonsfed_admin_lang";

    /// <summary>Largest form body a page reads.</summary>
    public const long MaxFormBytes = 256 * 1024;

    private string? _antiforgeryInput;

    private AdminView(HttpContext context, string language)
    {
        Context = context;
        Language = language;
    }

    public HttpContext Context { get; }

    /// <summary>"fr" or "en".</summary>
    public string Language { get; }

    public bool English => Language == "en";

    /// <summary>The request's path, which the layout's navigation marks as the current page.</summary>
    public string Path => Context.Request.Path.Value ?? AdminPageSession.Prefix;

    public string ClientAddress => global::ChatonsFed.Hosting.ClientAddress.Of(Context);

    /// <summary>The French or the English text, in the page's language.</summary>
    public string T(string french, string english) => English ? english : french;

    /// <summary>The view of <paramref name="context"/>; a <c>?lang=</c> switch is remembered in a cookie.</summary>
    public static AdminView For(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var asked = context.Request.Query["lang"].ToString();
        string language;
        if (asked.Length > 0)
        {
            language = Negotiation.Language(context.Request);
            context.Response.Cookies.Append(LanguageCookie, language, Cookie(context, TimeSpan.FromDays(365)));
        }
        else
        {
            var remembered = context.Request.Cookies[LanguageCookie];
            language = remembered is "en" or "fr" ? remembered : Negotiation.Language(context.Request);
        }

        return new AdminView(context, language);
    }

    /// <summary>
    /// The view of a form's POST and the form, once its antiforgery token is checked; otherwise the 400 page saying why
    /// (nothing is changed).
    /// </summary>
    public static async Task<(AdminView View, IFormCollection? Form, IResult? Refusal)> ForPostAsync(HttpContext context)
    {
        var view = For(context);
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxFormBytes;
        }

        string reason;
        try
        {
            await context.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(context);
            return (view, await context.Request.ReadFormAsync(context.RequestAborted), null);
        }
        catch (AntiforgeryValidationException e)
        {
            reason = e.Message;
        }
        catch (Exception e) when (e is BadHttpRequestException or InvalidDataException or InvalidOperationException)
        {
            reason = "the form cannot be read: " + e.Message;
        }

        context.RequestServices.GetRequiredService<AdminSignIn>().FormRefused(view.ClientAddress, context.Request.Method, view.Path, reason);
        var body = new AdminHtml(view)
            .Paragraph("Ce formulaire n'a pas été envoyé par une page de ce nœud, ou il a expiré (par exemple après une déconnexion) : rien n'a été modifié.",
                "This form was not sent by a page of this node, or it expired (after signing out, for instance): nothing was changed.")
            .Paragraph("Rechargez la page et envoyez le formulaire à nouveau.", "Reload the page and send the form again.")
            .Raw("<p><a href=\"").Text(view.Path).Raw("\">").Text(view.T("Revenir à la page", "Back to the page")).Raw("</a></p>\n")
            .Raw("<p class=\"hint\" lang=\"en\">").Text(reason).Raw("</p>\n");
        return (view, null, AdminLayout.Page(view, view.T("Formulaire refusé", "Form refused"), body, StatusCodes.Status400BadRequest));
    }

    /// <summary>The hidden field that carries the antiforgery token, for every form of the page.</summary>
    public string AntiforgeryInput()
    {
        if (_antiforgeryInput is null)
        {
            var tokens = Context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(Context);
            _antiforgeryInput = $"<input type=\"hidden\" name=\"{AdminHtml.Encode(tokens.FormFieldName)}\" value=\"{AdminHtml.Encode(tokens.RequestToken)}\">";
        }

        return _antiforgeryInput;
    }

    /// <summary>The message left by the previous request, read once: the cookie is removed.</summary>
    public AdminFlash? TakeFlash() => AdminFlash.Take(Context);

    /// <summary>Options of the page's own small cookies: HttpOnly, SameSite=Strict, Secure as the session's.</summary>
    internal static CookieOptions Cookie(HttpContext context, TimeSpan? maxAge = null) => new()
    {
        Path = AdminPageSession.Prefix,
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = AdminPageSession.IsSecure(context),
        IsEssential = true,
        MaxAge = maxAge,
    };

    /// <summary>A 303 to <paramref name="path"/> (Post/Redirect/Get), leaving <paramref name="flash"/> for the next page.</summary>
    public IResult SeeOther(string path, AdminFlash? flash = null)
    {
        flash?.Leave(Context);
        return new SeeOtherResult(path);
    }

    private sealed class SeeOtherResult(string path) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = path;
            httpContext.Response.Headers.CacheControl = "no-store";
            return Task.CompletedTask;
        }
    }
}
