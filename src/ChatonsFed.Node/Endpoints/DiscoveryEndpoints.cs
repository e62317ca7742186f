using System.Text.Json;
using System.Text.Json.Nodes;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Hosting.Endpoints;
using ChatonsFed.Node.Documents;
using ChatonsFed.Node.Storage;
using ChatonsFed.Protocol.Discovery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace ChatonsFed.Node.Endpoints;

/// <summary>WebFinger, host-meta and NodeInfo: how others find the node's actor.</summary>
public static class DiscoveryEndpoints
{
    public static IEndpointRouteBuilder MapDiscovery(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/.well-known/webfinger", WebFinger);
        routes.MapGet("/.well-known/host-meta", HostMetaDocument);
        routes.MapGet(NodeInfoSchema.WellKnownPath, (HttpContext context, IOptions<NodeOptions> options) =>
        {
            ResponseHeaders.AllowAnyOrigin(context);
            var body = NodeInfoSchema.WellKnown(options.Value.BaseUrl + "/nodeinfo/2.1").Serialize();
            return TypedResults.Text(body, "application/json");
        });
        routes.MapGet("/nodeinfo/2.1", NodeInfo);
        return routes;
    }

    private static Results<ContentHttpResult, BadRequest<string>, NotFound<string>, StatusCodeHttpResult> WebFinger(HttpContext context, IOptions<NodeOptions> options, NodeStore store)
    {
        ResponseHeaders.AllowAnyOrigin(context);
        var resource = context.Request.Query["resource"].ToString();
        if (resource.Length == 0)
        {
            return TypedResults.BadRequest("the 'resource' query parameter is required, e.g. ?resource=acct:NAME@HOST");
        }

        var node = options.Value;
        var urls = new NodeUrls(node.BaseUrl);
        var host = node.PublicUri.IsDefaultPort ? node.PublicUri.Host : $"{node.PublicUri.Host}:{node.PublicUri.Port}";
        var aggregator = node.Aggregator.Enabled ? new AggregatorUrls(node.BaseUrl) : null;
        if (aggregator is not null && (resource.Equals(aggregator.Actor, StringComparison.Ordinal)
            || (AccountHandle.TryParse(resource, out var asked, out _) && asked.Host.Equals(host, StringComparison.OrdinalIgnoreCase) && asked.Name.Equals(node.Aggregator.Handle, StringComparison.OrdinalIgnoreCase))))
        {
            var aggregatorAccount = AccountHandle.Parse($"acct:{node.Aggregator.Handle}@{host}");
            return TypedResults.Content(JsonResourceDescriptor.ForActor(aggregatorAccount, aggregator.Actor, null).Serialize(), JsonResourceDescriptor.MediaType);
        }

        bool matches;
        if (!node.ServeChaton)
        {
            return TypedResults.NotFound($"no account {resource} here; this node's account is acct:{node.Aggregator.Handle}@{host}");
        }

        if (resource.Equals(urls.Actor, StringComparison.Ordinal))
        {
            matches = true;
        }
        else if (AccountHandle.TryParse(resource, out var handle, out var error))
        {
            if (!handle.Host.Equals(host, StringComparison.OrdinalIgnoreCase))
            {
                return TypedResults.NotFound($"this server answers for {host} only, not {handle.Host}");
            }

            matches = handle.Name.Equals(node.Handle, StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            return TypedResults.BadRequest(resource.Contains("://", StringComparison.Ordinal) ? $"no such resource: {resource}" : error);
        }

        if (!matches)
        {
            return TypedResults.NotFound($"no account {resource} here; this node's account is acct:{node.Handle}@{host}");
        }

        if (store.Profile?.Deleted is not null)
        {
            return TypedResults.StatusCode(StatusCodes.Status410Gone);
        }

        var account = AccountHandle.Parse($"acct:{node.Handle}@{host}");
        var jrd = JsonResourceDescriptor.ForActor(account, urls.Actor, urls.Actor);
        return TypedResults.Content(jrd.Serialize(), JsonResourceDescriptor.MediaType);
    }

    private static ContentHttpResult HostMetaDocument(HttpContext context, IOptions<NodeOptions> options)
    {
        ResponseHeaders.AllowAnyOrigin(context);
        return TypedResults.Content(HostMeta.ForOrigin(options.Value.PublicUri).ToXml(), HostMeta.MediaType);
    }

    private static ContentHttpResult NodeInfo(HttpContext context, IOptions<NodeOptions> options, NodeStore store)
    {
        ResponseHeaders.AllowAnyOrigin(context);
        var urls = new NodeUrls(options.Value.BaseUrl);
        var chatons = new JsonObject();
        if (options.Value.ServeChaton)
        {
            chatons["actor"] = urls.Actor;
        }

        if (options.Value.Aggregator.Enabled)
        {
            var aggregator = new AggregatorUrls(options.Value.BaseUrl);
            chatons["aggregator"] = aggregator.Actor;
            chatons["directory"] = aggregator.DirectoryApi;
        }

        var metadata = new JsonObject { ["chatons"] = chatons };
        var document = new NodeInfoDocument
        {
            Software = new NodeInfoSoftware { Name = "chatonsfed", Version = typeof(DiscoveryEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.1.0" },
            Protocols = ["activitypub"],
            OpenRegistrations = false,
            Usage = new NodeInfoUsage { Users = new NodeInfoUsers { Total = 1, ActiveMonth = 1, ActiveHalfyear = 1 }, LocalPosts = store.Outbox.Count() },
            Metadata = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(metadata.ToJsonString())!,
        };
        return TypedResults.Content(document.Serialize(), NodeInfoSchema.MediaType21);
    }
}
