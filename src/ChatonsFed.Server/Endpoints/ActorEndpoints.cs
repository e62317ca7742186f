using System.Globalization;
using System.Text.Json.Nodes;
using ChatonsFed.Server.Admin;
using ChatonsFed.Server.Documents;
using ChatonsFed.Server.Pages;
using ChatonsFed.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ChatonsFed.Server.Endpoints;

/// <summary>The actor, its services, attestation and collections: ActivityPub JSON, or the human page for browsers. Never requires a signature.</summary>
public static class ActorEndpoints
{
    public const int PageSize = 20;

    public static IEndpointRouteBuilder MapActorDocuments(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(NodeUrls.ActorPath, (HttpContext context, ChatonNode node) => Stored(context, node, NodeUrls.ActorPath));
        routes.MapGet(NodeUrls.ServicesPath, (HttpContext context, ChatonNode node) => Stored(context, node, NodeUrls.ServicesPath));
        routes.MapGet(NodeUrls.ServicesPath + "/{slug}", (HttpContext context, ChatonNode node, string slug) => Stored(context, node, NodeUrls.ServicePath(slug)));
        routes.MapGet(NodeUrls.AttestationPath, (HttpContext context, ChatonNode node) => Stored(context, node, NodeUrls.AttestationPath));
        routes.MapGet("/activities/{id}", (HttpContext context, ChatonNode node, string id) => Activity(context, node, id));
        routes.MapGet(NodeUrls.OutboxPath, (HttpContext context, ChatonNode node, int? page) => Outbox(context, node, page));
        routes.MapGet(NodeUrls.FollowersPath, (HttpContext context, ChatonNode node, int? page) => Followers(context, node, page));
        routes.MapGet(NodeUrls.FollowingPath, (HttpContext context, ChatonNode node, int? page) => Following(context, node, page));
        return routes;
    }

    private static IResult Stored(HttpContext context, ChatonNode node, string path)
    {
        var profile = node.Store.Profile;
        var document = node.Store.FindDocument(path);
        if (document is null || profile is null)
        {
            return TypedResults.NotFound("no such document");
        }

        if (profile.Deleted is not null)
        {
            return Gone(context, node, path);
        }

        if (Negotiation.WantsHtml(context.Request))
        {
            return Page(context, node, profile);
        }

        return document.Gone
            ? new DocumentResult(document.Json, DocumentResult.ActivityJson, document.ETag, document.Modified, StatusCodes.Status410Gone)
            : new DocumentResult(document.Json, DocumentResult.ActivityJson, document.ETag, document.Modified);
    }

    private static DocumentResult Gone(HttpContext context, ChatonNode node, string path)
    {
        var tombstone = NodeDocumentBuilder.Tombstone(node.Builder.Urls.BaseUrl + path, path == NodeUrls.ActorPath ? "Organization" : "Object", node.Store.Profile!.Deleted!.Value);
        var json = tombstone.ToJsonString();
        _ = context;
        return new DocumentResult(json, DocumentResult.ActivityJson, ChatonNode.ETagOf(json), node.Store.Profile.Deleted.Value, StatusCodes.Status410Gone);
    }

    private static DocumentResult Page(HttpContext context, ChatonNode node, ProfileRecord profile)
    {
        var language = Negotiation.Language(context.Request);
        var html = ProfilePage.Render(profile, node.ListServices(), node.GetAttestation(), language, node.CriterionLabels);
        ProfilePage.SetPageHeaders(context.Response.Headers, ProfilePage.ContentSecurityPolicy, language);
        var modified = node.Store.Documents.FindAll().Max(d => d.Modified);
        return new DocumentResult(html, "text/html; charset=utf-8", ChatonNode.ETagOf(html), modified);
    }

    private static IResult Activity(HttpContext context, ChatonNode node, string id)
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

        return new DocumentResult(record.Json, DocumentResult.ActivityJson, ChatonNode.ETagOf(record.Json), record.Published);
    }

    private static IResult Outbox(HttpContext context, ChatonNode node, int? page)
    {
        if (node.Store.Profile?.Deleted is not null)
        {
            return Gone(context, node, NodeUrls.OutboxPath);
        }

        var urls = node.Builder.Urls;
        var total = node.Store.Outbox.Count();
        if (page is null)
        {
            return Collection(CollectionRoot(urls.Outbox, total, total > 0), Latest(node));
        }

        if (page < 1)
        {
            return TypedResults.BadRequest("page numbers start at 1");
        }

        var items = node.Store.Outbox.Query(q => q.OrderByDescending(o => o.Id).Skip((page.Value - 1) * PageSize).Limit(PageSize).ToList());
        var array = new JsonArray([.. items.Select(i => JsonNode.Parse(i.Json))]);
        return Collection(CollectionPage(urls.Outbox, page.Value, total, array), Latest(node));
    }

    private static DocumentResult Followers(HttpContext context, ChatonNode node, int? page)
    {
        if (node.Store.Profile?.Deleted is not null)
        {
            return Gone(context, node, NodeUrls.FollowersPath);
        }

        // Who follows a chaton is not published: only the count, as Mastodon does for hidden follower lists.
        var total = node.Store.Followers.Count();
        var urls = node.Builder.Urls;
        return page is null
            ? Collection(CollectionRoot(urls.Followers, total, false), Latest(node))
            : Collection(CollectionPage(urls.Followers, page.Value, total, []), Latest(node));
    }

    private static DocumentResult Following(HttpContext context, ChatonNode node, int? page)
    {
        if (node.Store.Profile?.Deleted is not null)
        {
            return Gone(context, node, NodeUrls.FollowingPath);
        }

        var urls = node.Builder.Urls;
        return page is null
            ? Collection(CollectionRoot(urls.Following, 0, false), Latest(node))
            : Collection(CollectionPage(urls.Following, page.Value, 0, []), Latest(node));
    }

    internal static JsonObject CollectionRoot(string id, int total, bool hasFirst)
    {
        var collection = new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = id,
            ["type"] = "OrderedCollection",
            ["totalItems"] = total,
        };
        if (hasFirst)
        {
            collection["first"] = id + "?page=1";
        }
        else
        {
            collection["orderedItems"] = new JsonArray();
        }

        return collection;
    }

    internal static JsonObject CollectionPage(string collectionId, int page, int total, JsonArray items, int pageSize = PageSize)
    {
        var result = new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = collectionId + "?page=" + page.ToString(CultureInfo.InvariantCulture),
            ["type"] = "OrderedCollectionPage",
            ["partOf"] = collectionId,
            ["totalItems"] = total,
        };
        if ((long)page * pageSize < total)
        {
            result["next"] = collectionId + "?page=" + (page + 1).ToString(CultureInfo.InvariantCulture);
        }

        if (page > 1)
        {
            result["prev"] = collectionId + "?page=" + (page - 1).ToString(CultureInfo.InvariantCulture);
        }

        result["orderedItems"] = items;
        return result;
    }

    private static DateTimeOffset Latest(ChatonNode node) =>
        node.Store.Outbox.Query(q => q.OrderByDescending(o => o.Id).FirstOrDefault())?.Published ?? node.GetProfile().Published;

    private static DocumentResult Collection(JsonObject collection, DateTimeOffset modified)
    {
        var json = collection.ToJsonString();
        return new DocumentResult(json, DocumentResult.ActivityJson, ChatonNode.ETagOf(json), modified);
    }
}
