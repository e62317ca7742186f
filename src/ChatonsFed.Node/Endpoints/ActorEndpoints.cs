using System.Text.Json.Nodes;
using ChatonsFed.Hosting.Endpoints;
using ChatonsFed.Node.Documents;
using ChatonsFed.Node.Features;
using ChatonsFed.Node.Pages;
using ChatonsFed.Node.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ChatonsFed.Node.Endpoints;

/// <summary>The actor, its services, attestation and collections: ActivityPub JSON, or the human page for browsers. Never requires a signature.</summary>
public static class ActorEndpoints
{
    public const int PageSize = 20;

    public static IEndpointRouteBuilder MapActorDocuments(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(NodeUrls.ActorPath, (HttpContext context, ServedDocuments served) => Stored(context, served, NodeUrls.ActorPath));
        routes.MapGet(NodeUrls.ServicesPath, (HttpContext context, ServedDocuments served) => Stored(context, served, NodeUrls.ServicesPath));
        routes.MapGet(NodeUrls.ServicesPath + "/{slug}", (HttpContext context, ServedDocuments served, string slug) => Stored(context, served, NodeUrls.ServicePath(slug)));
        routes.MapGet(NodeUrls.AttestationPath, (HttpContext context, ServedDocuments served) => Stored(context, served, NodeUrls.AttestationPath));
        routes.MapGet("/activities/{id}", (HttpContext context, NodeOutbox node, string id) => Activity(context, node, id));
        routes.MapGet(NodeUrls.OutboxPath, (HttpContext context, NodeOutbox node, int? page) => Outbox(context, node, page));
        routes.MapGet(NodeUrls.FollowersPath, (HttpContext context, NodeOutbox node, int? page) => Followers(context, node, page));
        routes.MapGet(NodeUrls.FollowingPath, (HttpContext context, NodeOutbox node, int? page) => Following(context, node, page));
        return routes;
    }

    /// <summary>
    /// A signed document as stored, from <see cref="ServedDocuments"/> (bytes, ETag and headers ready); the human page
    /// when a browser asks, unless the chaton has left (then the tombstone, whatever was asked).
    /// </summary>
    private static IResult Stored(HttpContext context, ServedDocuments served, string path)
    {
        if (served.Find(path) is not { } answer)
        {
            return TypedResults.NotFound("no such document");
        }

        if (!answer.Left && Negotiation.WantsHtml(context.Request))
        {
            var node = context.RequestServices.GetRequiredService<NodeOutbox>();
            return Page(context, node, node.Profile());
        }

        return answer.Result;
    }

    internal static DocumentResult Gone(HttpContext context, NodeOutbox node, string path)
    {
        _ = context;
        return ServedDocuments.Tombstone(node.Builder.Urls, path, node.Store.Profile!.Deleted!.Value);
    }

    private static DocumentResult Page(HttpContext context, NodeOutbox node, ProfileRecord profile)
    {
        var language = Negotiation.Language(context.Request);
        var html = ProfilePage.Render(profile, node.Services(), node.Attestation(), language, context.RequestServices.GetRequiredService<AttestationService>().CriterionLabels);
        ResponseHeaders.SetPageHeaders(context.Response.Headers, ProfilePage.ContentSecurityPolicy, language);
        var modified = node.Store.Documents.FindAll().Max(d => d.Modified);
        return new DocumentResult(html, "text/html; charset=utf-8", DocumentResult.ETagOf(html), modified);
    }

    private static IResult Activity(HttpContext context, NodeOutbox node, string id)
    {
        var activityId = $"{node.Builder.Urls.BaseUrl}/activities/{id}";
        var record = node.Store.Outbox.FindOne(o => o.ActivityId == activityId);
        if (record is null)
        {
            return TypedResults.NotFound("no such activity");
        }

        if (node.Store.Profile?.Deleted is not null)
        {
            return Gone(context, node, "/activities/" + id);
        }

        return new DocumentResult(record.Json, DocumentResult.ActivityJson, DocumentResult.ETagOf(record.Json), record.Published);
    }

    private static IResult Outbox(HttpContext context, NodeOutbox node, int? page)
    {
        if (node.Store.Profile?.Deleted is not null)
        {
            return Gone(context, node, NodeUrls.OutboxPath);
        }

        var urls = node.Builder.Urls;
        var total = node.Store.Outbox.Count();
        if (page is null)
        {
            return Collection(OrderedCollections.Root(urls.Outbox, total, total > 0), Latest(node));
        }

        if (page < 1)
        {
            return TypedResults.BadRequest("page numbers start at 1");
        }

        var items = node.Store.Outbox.Query(q => q.OrderByDescending(o => o.Id).Skip((page.Value - 1) * PageSize).Limit(PageSize).ToList());
        var array = new JsonArray([.. items.Select(i => JsonNode.Parse(i.Json))]);
        return Collection(OrderedCollections.Page(urls.Outbox, page.Value, total, array, PageSize), Latest(node));
    }

    private static DocumentResult Followers(HttpContext context, NodeOutbox node, int? page)
    {
        if (node.Store.Profile?.Deleted is not null)
        {
            return Gone(context, node, NodeUrls.FollowersPath);
        }

        // Who follows a chaton is not published: only the count, as Mastodon does for hidden follower lists.
        var total = node.Store.Followers.Count();
        var urls = node.Builder.Urls;
        return page is null
            ? Collection(OrderedCollections.Root(urls.Followers, total, false), Latest(node))
            : Collection(OrderedCollections.Page(urls.Followers, page.Value, total, [], PageSize), Latest(node));
    }

    private static DocumentResult Following(HttpContext context, NodeOutbox node, int? page)
    {
        if (node.Store.Profile?.Deleted is not null)
        {
            return Gone(context, node, NodeUrls.FollowingPath);
        }

        var urls = node.Builder.Urls;
        return page is null
            ? Collection(OrderedCollections.Root(urls.Following, 0, false), Latest(node))
            : Collection(OrderedCollections.Page(urls.Following, page.Value, 0, [], PageSize), Latest(node));
    }

    private static DateTimeOffset Latest(NodeOutbox node) =>
        node.Store.Outbox.Query(q => q.OrderByDescending(o => o.Id).FirstOrDefault())?.Published ?? node.Profile().Published;

    private static DocumentResult Collection(JsonObject collection, DateTimeOffset modified)
    {
        var json = collection.ToJsonString();
        return new DocumentResult(json, DocumentResult.ActivityJson, DocumentResult.ETagOf(json), modified);
    }
}
