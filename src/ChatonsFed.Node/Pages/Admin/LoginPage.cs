using System.Globalization;
using ChatonsFed.Hosting.Admin;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Node.Pages.Admin;

/// <summary>
/// <c>/admin/login</c>: the sign-in form (one field, <c>credential</c>: the admin credential or the password), and
/// <c>/admin/logout</c>. A client with too many failed sign-ins gets 429 with <c>Retry-After</c>, whatever it sends.
/// </summary>
public static class LoginPage
{
    public const string CredentialField = "credential";

    private static readonly Field Credential = new(CredentialField, "Identifiant d'administration ou mot de passe", "Admin credential or password")
    {
        Type = "password",
        Required = true,
        Autocomplete = "current-password",
        HintFrench = "L'identifiant que « chatonsfed init » a affiché, ou le mot de passe choisi avec « chatonsfed admin password ».",
        HintEnglish = "The credential that 'chatonsfed init' printed, or the password set with 'chatonsfed admin password'.",
    };

    public static async Task<IResult> ShowAsync(HttpContext context, AdminSignIn signIn)
    {
        var view = AdminView.For(context);
        var back = AdminPageSession.LocalReturnPath(context.Request.Query["returnUrl"].ToString());
        if ((await context.AuthenticateAsync(AdminPageSession.Scheme)).Succeeded)
        {
            return view.SeeOther(back ?? AdminPageSession.Prefix);
        }

        var wait = signIn.RetryAfter(view.ClientAddress);
        return wait > 0 ? LockedOut(view, wait) : Form(view, new AdminForm(), back, StatusCodes.Status200OK);
    }

    public static async Task<IResult> SubmitAsync(HttpContext context, AdminSignIn signIn)
    {
        var early = AdminView.For(context);
        if (signIn.Refuses(early.ClientAddress) is > 0 and var locked)
        {
            // Refused before anything is read or checked.
            return LockedOut(early, locked);
        }

        var (view, posted, refusal) = await AdminView.ForPostAsync(context);
        if (refusal is not null)
        {
            return refusal;
        }

        var back = AdminPageSession.LocalReturnPath(posted!["returnUrl"].ToString());
        var presented = posted[CredentialField].ToString();
        var form = new AdminForm();
        if (presented.Length == 0)
        {
            form.AddError(CredentialField, view.T("Saisissez l'identifiant d'administration ou le mot de passe.", "Enter the admin credential or the password."));
            return Form(view, form, back, StatusCodes.Status422UnprocessableEntity);
        }

        var attempt = signIn.Try(view.ClientAddress, presented);
        switch (attempt.Outcome)
        {
            case SignInOutcome.SignedIn:
                await context.SignInAsync(AdminPageSession.Scheme, attempt.Principal!, new AuthenticationProperties { IsPersistent = false });
                return view.SeeOther(back ?? AdminPageSession.Prefix);
            case SignInOutcome.LockedOut:
                return LockedOut(view, attempt.RetryAfter);
            default:
                form.AddError(CredentialField, view.T("Ni l'identifiant d'administration ni le mot de passe : la connexion est refusée.",
                    "Neither the admin credential nor the password: signing in is refused."));
                return Form(view, form, back, StatusCodes.Status422UnprocessableEntity);
        }
    }

    public static async Task<IResult> SignOutAsync(HttpContext context, AdminSignIn signIn)
    {
        var (view, _, refusal) = await AdminView.ForPostAsync(context);
        if (refusal is not null)
        {
            return refusal;
        }

        await context.SignOutAsync(AdminPageSession.Scheme);
        signIn.SignedOut(view.ClientAddress);
        return view.SeeOther(AdminPageSession.LoginPath, new AdminFlash(FlashKind.SignedOut));
    }

    private static IResult Form(AdminView view, AdminForm form, string? back, int status)
    {
        var html = new AdminHtml(view).ErrorSummary(form)
            .Paragraph("Cette page sert au propriétaire du nœud à modifier son profil, ses services et sa déclaration sur la charte.",
                "This page lets the node's owner change its profile, services and charter declaration.")
            .BeginForm(AdminPageSession.LoginPath)
            .Hidden("returnUrl", back ?? string.Empty)
            .Field(form, Credential)
            .EndForm("Se connecter", "Sign in");
        return AdminLayout.PublicPage(view, view.T("Connexion", "Sign in"), html, status);
    }

    private static IResult LockedOut(AdminView view, int seconds)
    {
        view.Context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var minutes = Math.Max(1, (int)Math.Ceiling(seconds / 60.0)).ToString(CultureInfo.InvariantCulture);
        var html = new AdminHtml(view)
            .Paragraph($"Trop de connexions ont échoué depuis cette adresse : réessayez dans {minutes} minute(s).",
                $"Too many sign-ins failed from this address: try again in {minutes} minute(s).");
        return AdminLayout.PublicPage(view, view.T("Connexion suspendue", "Signing in suspended"), html, StatusCodes.Status429TooManyRequests);
    }
}
