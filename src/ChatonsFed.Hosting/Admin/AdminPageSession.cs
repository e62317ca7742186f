using ChatonsFed.Hosting.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatonsFed.Hosting.Admin;

/// <summary>
/// The owner's web page session under <see cref="Prefix"/>: a cookie (<see cref="SessionCookie"/>, HttpOnly,
/// SameSite=Strict, Secure when the request or the node's public URL is https, sliding over <see cref="Lifetime"/>) and
/// an antiforgery token in every form. The admin API stays bearer-only: its policy names only the bearer scheme, and the
/// cookies' path does not cover it. Both cookies are protected by a key ring kept in the data folder
/// (<c>keys/web/</c>), loaded on the first page request rather than at start: a node nobody administers by the web
/// never loads it.
/// </summary>
public static class AdminPageSession
{
    public const string Prefix = "/admin";

    public const string LoginPath = Prefix + "/login";

    public const string Scheme = "AdminPage";

    public const string Policy = "owner-page";

    public const string SessionCookie = "chatonsfed_admin";

    public const string AntiforgeryCookie = "chatonsfed_admin_form";

    /// <summary>The hidden field of every form that carries the antiforgery token.</summary>
    public const string AntiforgeryField = "form_token";

    /// <summary>The key ring's folder, under the node's keys folder.</summary>
    public const string KeyRingFolder = "web";

    public static TimeSpan Lifetime { get; } = TimeSpan.FromHours(8);

    /// <summary>
    /// Whether the page's cookies are sent with <c>Secure</c>: when the request came over https (directly, or through a
    /// known proxy's <c>X-Forwarded-Proto</c>), or when the node's public URL is https, since the public URL is what
    /// browsers reach (a proxy that terminates TLS may not say so).
    /// </summary>
    public static bool IsSecure(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Request.IsHttps
            || context.RequestServices.GetRequiredService<IOptions<NodeOptions>>().Value.PublicUri.Scheme == Uri.UriSchemeHttps;
    }

    /// <summary>Registers the page's cookie scheme and policy, antiforgery, and the key ring both use.</summary>
    public static IServiceCollection AddAdminPageSession(this IServiceCollection services, DataFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        services.AddSingleton<AdminSignIn>();
        services.AddDataProtection(protection => protection.ApplicationDiscriminator = "chatonsfed-admin-page");
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<NodeOptions>, ILoggerFactory>((keys, options, loggers) =>
        {
            var path = Path.Combine(folder.KeysFolder(options.Value), KeyRingFolder);
            if (OperatingSystem.IsWindows())
            {
                System.IO.Directory.CreateDirectory(path);
            }
            else
            {
                System.IO.Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            keys.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(path), loggers);
        });

        new AuthenticationBuilder(services).AddCookie(Scheme, cookie =>
        {
            cookie.Cookie = new AdminCookieBuilder { Name = SessionCookie };
            cookie.ExpireTimeSpan = Lifetime;
            cookie.SlidingExpiration = true;
            cookie.LoginPath = LoginPath;
            cookie.AccessDeniedPath = LoginPath;
            cookie.ReturnUrlParameter = "returnUrl";
            cookie.Events = new CookieAuthenticationEvents
            {
                OnRedirectToLogin = ToLogin,
                OnRedirectToAccessDenied = ToLogin,
                // The sign-in page chooses where to go next (LocalReturnPath), never the handler from the query string.
                OnRedirectToReturnUrl = _ => Task.CompletedTask,
                OnValidatePrincipal = ValidateAsync,
            };
        });
        services.AddAntiforgery(form =>
        {
            form.Cookie = new AdminCookieBuilder { Name = AntiforgeryCookie };
            form.FormFieldName = AntiforgeryField;
            form.HeaderName = null;
            // The pages forbid framing themselves (CSP frame-ancestors 'none' and X-Frame-Options DENY).
            form.SuppressXFrameOptionsHeader = true;
        });
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());

        // Data protection's hosted service would load (or create) the key ring at every start; without it the ring is
        // loaded when a page first protects or reads a cookie.
        foreach (var loader in services.Where(IsKeyRingLoader).ToList())
        {
            services.Remove(loader);
        }

        return services;
    }

    /// <summary>
    /// A local path under <see cref="Prefix"/> to come back to after signing in, or null: nothing else is followed, so
    /// that the sign-in page cannot send the owner elsewhere.
    /// </summary>
    public static string? LocalReturnPath(string? path) =>
        path is not null && path.Length <= 200 && (path == Prefix || path.StartsWith(Prefix + "/", StringComparison.Ordinal))
            && path.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_' or '.') && !path.Contains("..", StringComparison.Ordinal)
            && !path.Contains("//", StringComparison.Ordinal)
            ? path
            : null;

    private static bool IsKeyRingLoader(ServiceDescriptor descriptor) =>
        descriptor.ServiceType == typeof(IHostedService)
        && descriptor.ImplementationType is { Name: "DataProtectionHostedService" } type
        && type.Assembly == typeof(KeyManagementOptions).Assembly;

    /// <summary>An unauthenticated request is sent to the sign-in page (303), never answered 401.</summary>
    private static Task ToLogin(RedirectContext<CookieAuthenticationOptions> context)
    {
        var back = LocalReturnPath(context.Request.PathBase.Add(context.Request.Path).Value);
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = back is null or Prefix ? LoginPath : LoginPath + "?returnUrl=" + Uri.EscapeDataString(back);
        context.Response.Headers.CacheControl = "no-store";
        return Task.CompletedTask;
    }

    /// <summary>A session signed in before the password last changed is ended.</summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (!context.HttpContext.RequestServices.GetRequiredService<AdminSignIn>().IsCurrent(context.Principal))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }

    /// <summary>The pages' cookies: HttpOnly, SameSite=Strict, path <see cref="Prefix"/>, Secure as <see cref="IsSecure"/> says.</summary>
    private sealed class AdminCookieBuilder : CookieBuilder
    {
        public AdminCookieBuilder()
        {
            Path = Prefix;
            HttpOnly = true;
            SameSite = SameSiteMode.Strict;
            SecurePolicy = CookieSecurePolicy.SameAsRequest;
            IsEssential = true;
        }

        public override CookieOptions Build(HttpContext context, DateTimeOffset expiresFrom)
        {
            var options = base.Build(context, expiresFrom);
            options.Secure = IsSecure(context);
            return options;
        }
    }
}
