using ChatonsFed.Directory.Node;
using ChatonsFed.Hosting;
using ChatonsFed.Hosting.Admin;
using ChatonsFed.Hosting.Storage;
using ChatonsFed.Node.Admin;
using ChatonsFed.Node.Features;
using ChatonsFed.Node.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace ChatonsFed.Node.Endpoints;

/// <summary>The owner's administration API under /api/admin, behind the admin token.</summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup(AdminApi.Prefix).RequireAuthorization(AdminApi.Policy);
        admin.MapGet("/profile", (ProfileService profile) => TypedResults.Ok(profile.Get()));
        admin.MapPatch("/profile", (ProfileChanges changes, ProfileService profile, CancellationToken ct) => Change(() => profile.SetAsync(changes, ct)));
        admin.MapGet("/services", (ServiceCatalogue services) => TypedResults.Ok(services.List()));
        admin.MapPost("/services", (ServiceChanges changes, ServiceCatalogue services, CancellationToken ct) => Change(() => services.AddAsync(changes, ct)));
        admin.MapPatch("/services/{slug}", (string slug, ServiceChanges changes, ServiceCatalogue services, CancellationToken ct) => Change(() => services.UpdateAsync(slug, changes, ct)));
        admin.MapDelete("/services/{slug}", (string slug, ServiceCatalogue services, CancellationToken ct) => Change(() => services.RemoveAsync(slug, ct)));
        admin.MapGet("/attestation", (AttestationService attestation) => TypedResults.Ok(attestation.Get()));
        admin.MapPatch("/attestation", (AttestationChanges changes, AttestationService attestation, CancellationToken ct) => Change(() => attestation.SetAsync(changes, ct)));
        admin.MapPost("/keys/rotate", (KeyRotation rotation, CancellationToken ct) => Change(() => rotation.RotateAsync(ct)));
        admin.MapDelete("/actor", (Leaving leaving, CancellationToken ct) => Change(() => leaving.LeaveAsync(ct)));
        admin.MapGet("/blocks", (BlockList blocks) => TypedResults.Ok(blocks.List()));
        admin.MapPut("/blocks/{domain}", async Task<Results<NoContent, BadRequest<string>>> (string domain, BlockList blocks, CancellationToken ct) =>
        {
            try
            {
                await blocks.BlockAsync(domain, ct);
                return TypedResults.NoContent();
            }
            catch (Exception ex) when (ex is NodeInputException or InvalidFieldException)
            {
                return TypedResults.BadRequest(ex.Message);
            }
        });
        admin.MapDelete("/blocks/{domain}", async Task<Results<NoContent, NotFound<string>, BadRequest<string>>> (string domain, BlockList blocks, CancellationToken ct) =>
        {
            try
            {
                return await blocks.UnblockAsync(domain, ct) ? TypedResults.NoContent() : TypedResults.NotFound($"{domain} is not blocked");
            }
            catch (Exception ex) when (ex is NodeInputException or InvalidFieldException)
            {
                return TypedResults.BadRequest(ex.Message);
            }
        });
        admin.MapGet("/membership", (MembershipService membership) => TypedResults.Ok(membership.List()));
        admin.MapPost("/membership/endorse", (EndorseRequest request, MembershipService membership, CancellationToken ct) => Membership(() => membership.EndorseAsync(request, ct)));
        admin.MapPost("/membership/revoke", (RevokeRequest request, MembershipService membership, CancellationToken ct) => Membership(() => membership.RevokeAsync(request.Id, ct)));
        admin.MapPut("/password", async Task<Results<NoContent, ProblemHttpResult>> (AdminPasswordRequest request, DataStore store, TimeProvider time, CancellationToken ct) =>
        {
            try
            {
                await AdminPassword.SetAsync(store, request.Password, time, ct);
                return TypedResults.NoContent();
            }
            catch (NodeInputException ex)
            {
                return TypedResults.Problem(title: "The password is refused", detail: ex.Message, statusCode: StatusCodes.Status400BadRequest);
            }
        });
        admin.MapGet("/deliveries", (NodeStore store) => TypedResults.Ok(new DeliveryCounts(store.DeliveryJobs.Count(), store.Outbox.Count(), store.Followers.Count())));
        return routes;
    }

    /// <summary>A membership operation's result, or a problem document with the reason it was refused.</summary>
    private static async Task<Results<Ok<T>, ProblemHttpResult>> Membership<T>(Func<Task<T>> operation)
    {
        try
        {
            return TypedResults.Ok(await operation());
        }
        catch (Exception ex) when (ex is NodeInputException or InvalidFieldException)
        {
            return TypedResults.Problem(title: "The membership request is refused", detail: ex.Message, statusCode: StatusCodes.Status400BadRequest);
        }
    }

    private static async Task<Results<Ok<ChangeResult>, BadRequest<string>>> Change(Func<Task<ChangeResult>> change)
    {
        try
        {
            return TypedResults.Ok(await change());
        }
        catch (Exception ex) when (ex is NodeInputException or InvalidFieldException)
        {
            return TypedResults.BadRequest(ex.Message);
        }
    }
}

/// <summary>The delivery queue at a glance: jobs waiting, activities published, followers.</summary>
public sealed record DeliveryCounts(int Queued, int Outbox, int Followers);
