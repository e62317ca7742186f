using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Hosting.Inbox;
using ChatonsFed.Node.Documents;
using ChatonsFed.Node.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace ChatonsFed.Node.Endpoints;

/// <summary>The chaton actor's inbox and the shared inbox, closed once the chaton has left the network.</summary>
public static class NodeInboxEndpoints
{
    public static IEndpointRouteBuilder MapInbox(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(NodeUrls.InboxPath, Receive);
        routes.MapPost(NodeUrls.SharedInboxPath, Receive);
        routes.MapGet(NodeUrls.InboxPath, () => TypedResults.StatusCode(StatusCodes.Status405MethodNotAllowed));
        return routes;
    }

    private static async Task<IResult> Receive(HttpContext context, IOptions<NodeOptions> options, InboxLimits limits, IInboxProcessor processor, NodeStore store)
    {
        if (store.Profile?.Deleted is not null)
        {
            return TypedResults.Text("this chaton has left the network; its inbox is closed", statusCode: StatusCodes.Status410Gone);
        }

        return await InboxEndpoints.ReceiveWith(context, options.Value, limits, processor);
    }
}
