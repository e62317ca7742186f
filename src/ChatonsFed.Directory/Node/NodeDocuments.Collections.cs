using System.Globalization;
using System.Text.Json;
using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Directory.Node;

public sealed partial class NodeDocuments
{
    // Outbox, followers and following are served live, change at every follow and are never passed on
    // by aggregators, so they stay unsigned with the plain ActivityStreams context, like the examples.
    private static readonly JsonElement ActivityStreamsContext = JsonElement.Parse("\"" + ChatonsContext.ActivityStreams + "\"");

    /// <summary>The URL of page <paramref name="page"/> (from 1) of a collection: <c>{collection}?page={page}</c>.</summary>
    public static Uri PageUrl(Uri collectionId, int page)
    {
        ArgumentNullException.ThrowIfNull(collectionId);
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        return new Uri(collectionId.GetLeftPart(UriPartial.Path) + "?page=" + page.ToString(CultureInfo.InvariantCulture), UriKind.Absolute);
    }

    /// <summary>The number of pages of a collection of <paramref name="totalItems"/> items.</summary>
    public static int PageCount(int totalItems, int pageSize = DefaultPageSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalItems);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        return (totalItems + pageSize - 1) / pageSize;
    }

    /// <summary>The URL of the outbox, followers or following collection.</summary>
    public Uri CollectionId(PagedCollectionKind collection) => collection switch
    {
        PagedCollectionKind.Outbox => Address.Outbox,
        PagedCollectionKind.Followers => Address.Followers,
        PagedCollectionKind.Following => Address.Following,
        _ => throw new ArgumentOutOfRangeException(nameof(collection), collection, "Not one of the node's paged collections."),
    };

    /// <summary>
    /// The head of the outbox, followers or following collection: <c>totalItems</c> and links to the first
    /// and last pages; an empty collection has an empty <c>orderedItems</c> instead.
    /// </summary>
    public OrderedCollection BuildCollection(PagedCollectionKind which, int totalItems, int pageSize = DefaultPageSize)
    {
        var collectionId = CollectionId(which);
        var pages = PageCount(totalItems, pageSize);
        var collection = new OrderedCollection
        {
            Context = ActivityStreamsContext,
            Id = collectionId.AbsoluteUri,
            TotalItems = totalItems,
        };

        if (pages == 0)
        {
            collection.OrderedItems = OneOrMany.Array<Reference<JsonLdNode>>();
        }
        else
        {
            collection.First = new Reference<JsonLdNode>(PageUrl(collectionId, 1).AbsoluteUri);
            collection.Last = new Reference<JsonLdNode>(PageUrl(collectionId, pages).AbsoluteUri);
        }

        return collection;
    }

    /// <summary>
    /// Page <paramref name="page"/> (from 1) of a collection, holding <paramref name="items"/> (the caller's
    /// slice, newest first for the outbox), with <c>partOf</c>, and <c>prev</c>/<c>next</c> where they exist.
    /// </summary>
    public OrderedCollectionPage BuildCollectionPage(PagedCollectionKind which, int page, IEnumerable<Reference<JsonLdNode>> items, int totalItems, int pageSize = DefaultPageSize)
    {
        ArgumentNullException.ThrowIfNull(items);
        var collectionId = CollectionId(which);
        var pages = PageCount(totalItems, pageSize);
        if (page < 1 || page > Math.Max(pages, 1))
        {
            throw new ArgumentOutOfRangeException(nameof(page), page, $"The collection has {pages} page(s).");
        }

        var list = items.ToList();
        var expected = Math.Clamp(totalItems - ((page - 1) * pageSize), 0, pageSize);
        if (list.Count != expected)
        {
            throw new ArgumentException($"Page {page} of {totalItems} items by {pageSize} holds {expected} items, not {list.Count}.", nameof(items));
        }

        var result = new OrderedCollectionPage
        {
            Context = ActivityStreamsContext,
            Id = PageUrl(collectionId, page).AbsoluteUri,
            PartOf = new Reference<JsonLdNode>(collectionId.AbsoluteUri),
            TotalItems = totalItems,
            StartIndex = (page - 1) * pageSize,
            OrderedItems = OneOrMany.Array(list),
        };

        if (page > 1)
        {
            result.Prev = new Reference<JsonLdNode>(PageUrl(collectionId, page - 1).AbsoluteUri);
        }

        if (page < pages)
        {
            result.Next = new Reference<JsonLdNode>(PageUrl(collectionId, page + 1).AbsoluteUri);
        }

        return result;
    }

    /// <inheritdoc cref="BuildCollectionPage(PagedCollectionKind, int, IEnumerable{Reference{JsonLdNode}}, int, int)"/>
    public OrderedCollectionPage BuildCollectionPage(PagedCollectionKind which, int page, IEnumerable<string> itemIds, int totalItems, int pageSize = DefaultPageSize)
    {
        ArgumentNullException.ThrowIfNull(itemIds);
        return BuildCollectionPage(which, page, itemIds.Select(id => new Reference<JsonLdNode>(id)), totalItems, pageSize);
    }
}

/// <summary>The node's paged collections.</summary>
public enum PagedCollectionKind
{
    Outbox,
    Followers,
    Following,
}
