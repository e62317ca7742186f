using ChatonsFed.Hosting.Admin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace ChatonsFed.Node.Pages.Admin;

/// <summary>
/// The owner's web page under <c>/admin</c>: server-rendered HTML that works without JavaScript. Every page but the
/// sign-in page needs the session cookie (<see cref="AdminPageSession"/>); a request without one is sent to
/// <c>/admin/login</c>. Every form carries an antiforgery token, checked before anything is read or changed.
/// </summary>
public static class AdminPagesEndpoints
{
    public static IEndpointRouteBuilder MapAdminPages(this IEndpointRouteBuilder routes)
    {
        var pages = routes.MapGroup(AdminPageSession.Prefix);
        pages.MapGet("/login", LoginPage.ShowAsync);
        pages.MapPost("/login", LoginPage.SubmitAsync);

        var owner = pages.MapGroup(string.Empty).RequireAuthorization(AdminPageSession.Policy);
        owner.MapGet(string.Empty, OverviewPage.Show);
        owner.MapPost("/logout", LoginPage.SignOutAsync);
        owner.MapGet("/profile", AdminProfilePage.Show);
        owner.MapPost("/profile", AdminProfilePage.SubmitAsync);
        owner.MapGet("/services", AdminServicesPage.Show);
        owner.MapGet("/services/new", AdminServiceFormPage.ShowNew);
        owner.MapPost("/services/new", AdminServiceFormPage.AddAsync);
        owner.MapGet("/services/{id}", AdminServiceFormPage.ShowEdit);
        owner.MapPost("/services/{id}", AdminServiceFormPage.UpdateAsync);
        owner.MapGet("/services/{id}/remove", AdminServicesPage.ShowRemove);
        owner.MapPost("/services/{id}/remove", AdminServicesPage.RemoveAsync);
        owner.MapGet("/charter", AdminCharterPage.Show);
        owner.MapPost("/charter", AdminCharterPage.SubmitAsync);
        owner.MapGet("/followers", FollowersPage.Show);
        owner.MapPost("/followers/block", FollowersPage.BlockAsync);
        owner.MapPost("/followers/unblock", FollowersPage.UnblockAsync);
        owner.MapGet("/endorsements", EndorsementsPage.Show);
        owner.MapPost("/endorsements", EndorsementsPage.EndorseAsync);
        owner.MapGet("/endorsements/revoke", EndorsementsPage.ConfirmRevoke);
        owner.MapPost("/endorsements/revoke", EndorsementsPage.RevokeAsync);
        owner.MapGet("/keys", KeysPage.Show);
        owner.MapGet("/keys/rotate", KeysPage.Confirm);
        owner.MapPost("/keys/rotate", KeysPage.RotateAsync);
        owner.MapGet("/leave", LeavePage.Show);
        owner.MapPost("/leave", LeavePage.SubmitAsync);
        return routes;
    }
}
