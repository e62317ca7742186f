using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Hosting.Inbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace ChatonsFed.Aggregator.Inbox;

/// <summary>The aggregator actor's inbox: the limits every inbox has, then <see cref="AggregatorInbox"/>.</summary>
public static class AggregatorInboxEndpoints
{
    public static IEndpointRouteBuilder MapAggregatorInbox(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(AggregatorUrls.InboxPath, (HttpContext context, IOptions<NodeOptions> options, InboxLimits limits, AggregatorInbox processor) =>
            InboxEndpoints.ReceiveWith(context, options.Value, limits, processor));
        return routes;
    }
}
