using System.Text.Json.Nodes;
using ChatonsFed.Aggregator.Actor;
using ChatonsFed.Aggregator.Api;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Hosting.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace ChatonsFed.Aggregator.News;

/// <summary>
/// What the aggregator's actor publishes: its outbox (the <c>Create</c> of each note, newest first, in pages), each note
/// and its <c>Create</c> at their ids, its followers collection (in pages), and the same notes as an Atom feed at
/// <c>/feed.atom</c>.
/// </summary>
public static class NewsEndpoints
{
    private const int PageSize = 20;

    private const int FollowersPageSize = 100;

    public static IEndpointRouteBuilder MapAggregatorNews(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(AggregatorUrls.OutboxPath, Outbox);
        routes.MapGet(AggregatorUrls.FollowersPath, Followers);
        routes.MapGet(AggregatorUrls.NotesPath + "/{token}", (string token, DirectoryNews news) => Stored(news, token, n => n.NoteJson));
        routes.MapGet(AggregatorUrls.NotesPath + "/{token}/activity", (string token, DirectoryNews news) => Stored(news, token, n => n.CreateJson));
        routes.MapGet(AggregatorUrls.FeedPath, Feed);
        return routes;
    }

    private static Results<JsonHttpResult<JsonObject>, BadRequest<string>> Outbox(AggregatorUrls urls, DirectoryNews news, int? page)
    {
        var total = news.NoteCount;
        if (page is null)
        {
            return TypedResults.Json(OrderedCollections.Root(urls.Outbox, total, total > 0), contentType: DocumentResult.ActivityJson);
        }

        if (page < 1)
        {
            return TypedResults.BadRequest("page numbers start at 1");
        }

        var skip = (int)Math.Min(int.MaxValue, ((long)page.Value - 1) * PageSize);
        var items = news.Notes(skip, PageSize).Select(n => JsonNode.Parse(n.CreateJson));
        return TypedResults.Json(OrderedCollections.Page(urls.Outbox, page.Value, total, new JsonArray([.. items]), PageSize), contentType: DocumentResult.ActivityJson);
    }

    private static Results<JsonHttpResult<JsonObject>, BadRequest<string>> Followers(AggregatorUrls urls, AggregatorFollowers followers, int? page) =>
        OrderedCollections.OfIds(urls.Followers, followers.Ids(), page, FollowersPageSize) is { } collection
            ? TypedResults.Json(collection, contentType: DocumentResult.ActivityJson)
            : TypedResults.BadRequest("page numbers start at 1");

    /// <summary>The Atom feed, French unless <c>?lang=en</c>; with an ETag, and 304 to a matching <c>If-None-Match</c>.</summary>
    private static IResult Feed(HttpContext context, AggregatorUrls urls, AggregatorOptions options, AggregatorActor actor, DirectoryNews news)
    {
        var query = context.Request.Query;
        if (query.Keys.FirstOrDefault(k => k != "lang") is { } unknown)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: $"unknown parameter '{unknown}'; the only parameter is lang=fr|en");
        }

        var lang = query["lang"].ToString();
        if (lang is not ("" or "fr" or "en"))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: $"lang '{lang}' is not a language of the feed; use lang=fr or lang=en");
        }

        var notes = news.Notes(0, AtomFeed.Entries);
        var bytes = AtomFeed.Write(urls, options.Name, notes, lang == "en", notes.Count > 0 ? notes[0].Published : actor.Document().Modified);
        context.Response.Headers.CacheControl = "public, max-age=60";
        return DirectoryEndpoints.Conditional(context, bytes, AtomFeed.ContentType);
    }

    /// <summary>A note, or its <c>Create</c>, as signed; 404 when no note has that token.</summary>
    private static IResult Stored(DirectoryNews news, string token, Func<NoteRecord, string> json)
    {
        if (news.Note(token) is not { } note)
        {
            return NotFound(token);
        }

        var body = json(note);
        return new DocumentResult(body, DocumentResult.ActivityJson, DocumentResult.ETagOf(body), note.Published);
    }

    private static ProblemHttpResult NotFound(string token) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"no note {token} on this aggregator (only the last {DirectoryNews.NotesKept} notes are kept)");
}
