using ChatonsFed.Directory.Node;
using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Directory.Tests;

public sealed class CollectionTests
{
    private readonly NodeDocuments _node = ExampleChaton.Node();

    [Fact]
    public void Collection_with_items_links_its_first_and_last_pages()
    {
        var followers = _node.BuildCollection(PagedCollectionKind.Followers, 45, pageSize: 20);
        Assert.Equal("https://chaton.example/c/0001/actor/followers", followers.Id);
        Assert.Equal(45, followers.TotalItems);
        Assert.Equal("https://chaton.example/c/0001/actor/followers?page=1", followers.First!.Id);
        Assert.Equal("https://chaton.example/c/0001/actor/followers?page=3", followers.Last!.Id);
        Assert.Null(followers.OrderedItems);
    }

    [Fact]
    public void Pages_link_to_their_neighbours_and_their_collection()
    {
        var ids = Enumerable.Range(0, 45).Select(i => $"https://social.example/users/u{i}").ToList();
        var first = _node.BuildCollectionPage(PagedCollectionKind.Followers, 1, ids.Take(20), 45, 20);
        var middle = _node.BuildCollectionPage(PagedCollectionKind.Followers, 2, ids.Skip(20).Take(20), 45, 20);
        var last = _node.BuildCollectionPage(PagedCollectionKind.Followers, 3, ids.Skip(40), 45, 20);

        Assert.Equal("https://chaton.example/c/0001/actor/followers?page=2", middle.Id);
        Assert.Equal("https://chaton.example/c/0001/actor/followers", middle.PartOf!.Id);
        Assert.Equal(first.Id, middle.Prev!.Id);
        Assert.Equal(last.Id, middle.Next!.Id);
        Assert.Null(first.Prev);
        Assert.Null(last.Next);
        Assert.Equal(40, last.StartIndex);
        Assert.Equal(ids.Skip(40), last.OrderedItems!.Select(r => r.Id));

        var parsed = ActivityStreamsJson.Parse<OrderedCollectionPage>(ActivityStreamsJson.Serialize(middle));
        Assert.Equal(middle, parsed);
    }

    [Fact]
    public void Outbox_pages_may_embed_activities()
    {
        var activity = _node.SignActivities(new ServiceAdded(ExampleChaton.Services[0]), ExampleChaton.State)[0];
        var embedded = new Reference<JsonLdNode>(ActivityStreamsJson.Parse(activity.Json.ToJsonString()));
        var page = _node.BuildCollectionPage(PagedCollectionKind.Outbox, 1, [embedded], 1);
        Assert.Equal("https://chaton.example/c/0001/actor/outbox?page=1", page.Id);
        Assert.IsType<Create>(page.OrderedItems!.Single().Value);
    }

    [Fact]
    public void A_page_with_the_wrong_number_of_items_or_out_of_range_is_refused()
    {
        Assert.Throws<ArgumentException>(() => _node.BuildCollectionPage(PagedCollectionKind.Following, 1, ["a", "b"], 3, 20));
        Assert.Throws<ArgumentOutOfRangeException>(() => _node.BuildCollectionPage(PagedCollectionKind.Following, 2, ["a"], 1, 20));
        Assert.Throws<ArgumentOutOfRangeException>(() => _node.BuildCollection(PagedCollectionKind.Following, 1, 0));
    }

    [Fact]
    public void An_empty_collection_has_one_empty_page()
    {
        var page = _node.BuildCollectionPage(PagedCollectionKind.Following, 1, Array.Empty<string>(), 0);
        Assert.Empty(page.OrderedItems!);
        Assert.Null(page.Next);
    }
}
