using System.Globalization;
using System.Security.Cryptography;
using ChatonsFed.Node.Admin;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ChatonsFed.Node.Pages.Admin;

/// <summary>
/// What a one-shot message says: a change published (and to how many), nothing changed, or signed out; keys rotated,
/// the network left, an endorsement issued or revoked (each published too); a domain blocked (with the followers it
/// had) or unblocked.
/// </summary>
public enum FlashKind
{
    Published,
    Unchanged,
    SignedOut,
    KeysRotated,
    Left,
    Endorsed,
    Revoked,
    Blocked,
    Unblocked,
}

/// <summary>
/// The message a change leaves for the page the browser is sent to next (Post/Redirect/Get), in a cookie protected by
/// the page's key ring and read once. It holds numbers and the service's warnings, and is worded in the page's language
/// when shown.
/// </summary>
public sealed record AdminFlash(FlashKind Kind, int Followers = 0, int Deliveries = 0, IReadOnlyList<string>? Warnings = null)
{
    public const string Cookie = "chatonsfed_admin_flash";

    private const string Purpose = "ChatonsFed.Node.Pages.Admin.AdminFlash";

    /// <summary>The message for a change the services made: published, with the followers it is queued for.</summary>
    public static AdminFlash Of(ChangeResult result, FlashKind kind = FlashKind.Published)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new AdminFlash(kind, result.FollowersNotified, result.DeliveriesQueued, result.Warnings);
    }

    /// <summary>The message in <paramref name="view"/>'s language.</summary>
    public string Text(AdminView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var fr = CultureInfo.InvariantCulture;
        var plural = Followers > 1 ? "·s" : string.Empty;
        return Kind switch
        {
            FlashKind.Unchanged => view.T("Rien n'a changé : rien n'a été publié.", "Nothing changed: nothing was published."),
            FlashKind.SignedOut => view.T("Vous êtes déconnecté·e.", "You are signed out."),
            FlashKind.Blocked => view.T(
                string.Create(fr, $"Domaine bloqué : ses acteurs ne peuvent plus s'abonner ; {Followers} abonné·e{plural} de ce domaine retiré·e{plural}."),
                string.Create(fr, $"Domain blocked: its actors can no longer follow; {Followers} follower{(Followers > 1 ? "s" : string.Empty)} there removed.")),
            FlashKind.Unblocked => view.T("Domaine débloqué : ses acteurs peuvent de nouveau s'abonner.", "Domain unblocked: its actors can follow again."),
            _ => Done(view) + Notified(view),
        };
    }

    /// <summary>What was published, before the sentence on the followers.</summary>
    private string Done(AdminView view) => Kind switch
    {
        FlashKind.KeysRotated => view.T("Clés renouvelées et publiées", "Keys rotated and published"),
        FlashKind.Left => view.T("Le chaton a quitté le réseau", "The chaton left the network"),
        FlashKind.Endorsed => view.T("Parrainage signé et publié, envoyé au chaton parrainé", "Endorsement signed and published, sent to the chaton endorsed"),
        FlashKind.Revoked => view.T("Parrainage révoqué, liste de révocation publiée", "Endorsement revoked, revocation list published"),
        _ => view.T("Modification publiée", "Change published"),
    };

    private string Notified(AdminView view)
    {
        var fr = CultureInfo.InvariantCulture;
        return Followers == 0
            ? view.T(" ; aucun·e abonné·e à notifier pour l'instant.", "; no follower to notify yet.")
            : view.T(
                string.Create(fr, $" ; {Followers} abonné·e{(Followers > 1 ? "·s" : string.Empty)} notifié·e{(Followers > 1 ? "·s" : string.Empty)} ({Deliveries} envoi{(Deliveries > 1 ? "s" : string.Empty)} en file d'attente)."),
                string.Create(fr, $"; {Followers} follower{(Followers > 1 ? "s" : string.Empty)} notified ({Deliveries} deliver{(Deliveries > 1 ? "ies" : "y")} queued)."));
    }

    internal void Leave(HttpContext context)
    {
        var lines = new List<string> { Kind.ToString(), Followers.ToString(CultureInfo.InvariantCulture), Deliveries.ToString(CultureInfo.InvariantCulture) };
        lines.AddRange((Warnings ?? []).Select(w => w.ReplaceLineEndings(" ")));
        var value = Protector(context).Protect(string.Join('\n', lines));
        context.Response.Cookies.Append(Cookie, value, AdminView.Cookie(context));
    }

    internal static AdminFlash? Take(HttpContext context)
    {
        if (context.Request.Cookies[Cookie] is not { Length: > 0 } value)
        {
            return null;
        }

        context.Response.Cookies.Delete(Cookie, AdminView.Cookie(context));
        try
        {
            var lines = Protector(context).Unprotect(value).Split('\n');
            return lines.Length >= 3 && Enum.TryParse<FlashKind>(lines[0], out var kind)
                && int.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var followers)
                && int.TryParse(lines[2], NumberStyles.None, CultureInfo.InvariantCulture, out var deliveries)
                ? new AdminFlash(kind, followers, deliveries, lines[3..])
                : null;
        }
        catch (CryptographicException)
        {
            // Not made by this node (or by a key ring since replaced): there is no message.
            return null;
        }
    }

    private static IDataProtector Protector(HttpContext context) =>
        context.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);
}
