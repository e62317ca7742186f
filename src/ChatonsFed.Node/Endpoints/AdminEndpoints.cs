using ChatonsFed.Directory.Node;
using ChatonsFed.Hosting;
using ChatonsFed.Hosting.Admin;
using ChatonsFed.Node.Admin;
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
        admin.MapGet("/profile", (ChatonNode node) => TypedResults.Ok(node.GetProfile()));
        admin.MapPatch("/profile", (ProfileChanges changes, ChatonNode node, CancellationToken ct) => Change(() => node.SetProfileAsync(changes, ct)));
        admin.MapGet("/services", (ChatonNode node) => TypedResults.Ok(node.ListServices()));
        admin.MapPost("/services", (ServiceChanges changes, ChatonNode node, CancellationToken ct) => Change(() => node.AddServiceAsync(changes, ct)));
        admin.MapPatch("/services/{slug}", (string slug, ServiceChanges changes, ChatonNode node, CancellationToken ct) => Change(() => node.UpdateServiceAsync(slug, changes, ct)));
        admin.MapDelete("/services/{slug}", (string slug, ChatonNode node, CancellationToken ct) => Change(() => node.RemoveServiceAsync(slug, ct)));
        admin.MapGet("/attestation", (ChatonNode node) => TypedResults.Ok(node.GetAttestation()));
        admin.MapPatch("/attestation", (AttestationChanges changes, ChatonNode node, CancellationToken ct) => Change(() => node.SetAttestationAsync(changes, ct)));
        admin.MapPost("/keys/rotate", (ChatonNode node, CancellationToken ct) => Change(() => node.RotateKeysAsync(ct)));
        admin.MapDelete("/actor", (ChatonNode node, CancellationToken ct) => Change(() => node.LeaveAsync(ct)));
        admin.MapGet("/blocks", (ChatonNode node) => TypedResults.Ok(node.ListBlockedDomains()));
        admin.MapPut("/blocks/{domain}", async Task<Results<NoContent, BadRequest<string>>> (string domain, ChatonNode node, CancellationToken ct) =>
        {
            try
            {
                await node.BlockAsync(domain, ct);
                return TypedResults.NoContent();
            }
            catch (NodeInputException ex)
            {
                return TypedResults.BadRequest(ex.Message);
            }
        });
        admin.MapDelete("/blocks/{domain}", async Task<Results<NoContent, NotFound<string>, BadRequest<string>>> (string domain, ChatonNode node, CancellationToken ct) =>
        {
            try
            {
                return await node.UnblockAsync(domain, ct) ? TypedResults.NoContent() : TypedResults.NotFound($"{domain} is not blocked");
            }
            catch (NodeInputException ex)
            {
                return TypedResults.BadRequest(ex.Message);
            }
        });
        admin.MapGet("/deliveries", (NodeStore store) => TypedResults.Ok(new DeliveryCounts(store.DeliveryJobs.Count(), store.Outbox.Count(), store.Followers.Count())));
        return routes;
    }

    private static async Task<Results<Ok<ChangeResult>, BadRequest<string>>> Change(Func<Task<ChangeResult>> change)
    {
        try
        {
            return TypedResults.Ok(await change());
        }
        catch (NodeInputException ex)
        {
            return TypedResults.BadRequest(ex.Message);
        }
    }
}

/// <summary>The delivery queue at a glance: jobs waiting, activities published, followers.</summary>
public sealed record DeliveryCounts(int Queued, int Outbox, int Followers);
