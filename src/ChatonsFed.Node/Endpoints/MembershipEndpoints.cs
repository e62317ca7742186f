using System.Text.Json.Nodes;
using ChatonsFed.Hosting.Endpoints;
using ChatonsFed.Node.Documents;
using ChatonsFed.Node.Features;
using ChatonsFed.Protocol.Vocabulary;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ChatonsFed.Node.Endpoints;

/// <summary>
/// The chaton's membership documents: each credential it issued and its revocation list, as signed
/// (<c>application/ld+json</c>, or <c>application/vc</c> when the request asks for it), and the unsigned collections of
/// the credentials it issued and of those it holds, which embed them. A revoked or expired credential still answers 200.
/// </summary>
public static class MembershipEndpoints
{
    public const string LdJson = "application/ld+json";
    public const string VerifiableCredential = "application/vc";

    public static IEndpointRouteBuilder MapMembershipDocuments(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(NodeUrls.IssuedPath + "/{slug}", (HttpContext context, NodeOutbox node, string slug) => Credential(context, node, slug));
        routes.MapGet(NodeUrls.StatusListPath, (HttpContext context, NodeOutbox node, IssuedEndorsements issued, CancellationToken ct) => StatusList(context, node, issued, ct));
        routes.MapGet(NodeUrls.IssuedPath, (HttpContext context, NodeOutbox node, IssuedEndorsements issued) =>
            Collection(context, node, NodeUrls.IssuedPath, issued.Listed(node.Now()).Select(r => (r.Json, r.Modified))));
        routes.MapGet(NodeUrls.EndorsementsPath, (HttpContext context, NodeOutbox node) =>
            Collection(context, node, NodeUrls.EndorsementsPath, HeldEndorsements.Listed(node.Store, node.Now()).Select(r => (r.Json, r.Received))));
        return routes;
    }

    private static IResult Credential(HttpContext context, NodeOutbox node, string slug)
    {
        if (node.Store.Profile?.Deleted is not null)
        {
            return ActorEndpoints.Gone(context, node, NodeUrls.IssuedPath + "/" + slug);
        }

        return node.Store.IssuedCredentials.FindById(slug) is { } record
            ? Signed(context, (record.Json, record.ETag, record.Modified))
            : TypedResults.NotFound("no such credential");
    }

    private static async Task<DocumentResult> StatusList(HttpContext context, NodeOutbox node, IssuedEndorsements issued, CancellationToken cancellationToken)
    {
        if (node.Store.Profile?.Deleted is not null)
        {
            return ActorEndpoints.Gone(context, node, NodeUrls.StatusListPath);
        }

        var list = await issued.StatusListDocumentAsync(cancellationToken);
        return Signed(context, (list.Json, list.ETag, list.Modified));
    }

    private static DocumentResult Signed(HttpContext context, (string Json, string ETag, DateTimeOffset Modified) document)
    {
        var accept = context.Request.Headers.Accept.ToString();
        var mediaType = accept.Contains(VerifiableCredential, StringComparison.OrdinalIgnoreCase) ? VerifiableCredential : LdJson;
        return new DocumentResult(document.Json, mediaType, document.ETag, document.Modified);
    }

    private static DocumentResult Collection(HttpContext context, NodeOutbox node, string path, IEnumerable<(string Json, DateTimeOffset Modified)> credentials)
    {
        if (node.Store.Profile?.Deleted is not null)
        {
            return ActorEndpoints.Gone(context, node, path);
        }

        var items = credentials.ToList();
        var collection = new JsonObject
        {
            ["@context"] = ChatonsContext.ActivityStreams,
            ["id"] = node.Builder.Urls.BaseUrl + path,
            ["type"] = "OrderedCollection",
            ["attributedTo"] = node.Builder.Urls.Actor,
            ["totalItems"] = items.Count,
            ["orderedItems"] = new JsonArray([.. items.Select(i => JsonNode.Parse(i.Json))]),
        };
        var json = collection.ToJsonString();
        var modified = items.Count > 0 ? items.Max(i => i.Modified) : node.Profile().Published;
        return new DocumentResult(json, DocumentResult.ActivityJson, DocumentResult.ETagOf(json), modified);
    }
}
