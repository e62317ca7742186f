using System.Globalization;
using System.Text.Json.Nodes;

namespace ChatonsFed.Hosting.Endpoints;

/// <summary>Unsigned <c>OrderedCollection</c> documents and their pages, as every actor of the host serves them.</summary>
public static class OrderedCollections
{
    /// <summary>The collection itself: its size, and a link to its first page when it has items to show.</summary>
    public static JsonObject Root(string id, int total, bool hasFirst)
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

    /// <summary>Page <paramref name="page"/> (from 1) of <paramref name="pageSize"/> items, with links to the pages beside it.</summary>
    public static JsonObject Page(string collectionId, int page, int total, JsonArray items, int pageSize)
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

    /// <summary>
    /// A collection of ids (in the order given) as its root when <paramref name="page"/> is null, else that page of
    /// <paramref name="pageSize"/> ids; null for a page number below 1.
    /// </summary>
    public static JsonObject? OfIds(string id, IReadOnlyList<string> ids, int? page, int pageSize)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (page is null)
        {
            return Root(id, ids.Count, ids.Count > 0);
        }

        if (page < 1)
        {
            return null;
        }

        var items = ids.Skip((int)Math.Min(int.MaxValue, ((long)page.Value - 1) * pageSize)).Take(pageSize).Select(i => (JsonNode)JsonValue.Create(i)!);
        return Page(id, page.Value, ids.Count, new JsonArray([.. items]), pageSize);
    }
}
