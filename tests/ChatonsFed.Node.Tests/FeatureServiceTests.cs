using System.Text.Json.Nodes;
using ChatonsFed.Directory.Node;
using ChatonsFed.Hosting;
using ChatonsFed.Node.Admin;
using ChatonsFed.Node.Features;
using ChatonsFed.Node.Hosting;
using ChatonsFed.Node.Storage;

namespace ChatonsFed.Node.Tests;

/// <summary>Each feature of the node on its own, over the LiteDB file and keys of a data folder made by 'chatonsfed init'.</summary>
public sealed class FeatureServiceTests : IAsyncLifetime
{
    private TestNode? _folder;
    private OfflineNode? _node;

    private OfflineNode Node => _node ?? throw new InvalidOperationException("not initialised");

    public async Task InitializeAsync()
    {
        _folder = await TestNode.InitAsync(start: false);
        _node = new DataFolder(_folder.Folder).OpenOffline(TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        _node?.Dispose();
        if (_folder is not null)
        {
            await _folder.DisposeAsync();
        }
    }

    [Fact]
    public async Task Profile_changes_resign_the_actor_and_name_the_field_they_refuse()
    {
        var result = await Node.Profile.SetAsync(new ProfileChanges { Name = "Lynx", Latitude = 44.93, Longitude = 4.89, StructureType = "cooperative" });
        Assert.Equal(2, result.Activities.Count);
        var profile = Node.Profile.Get();
        Assert.Equal(("Lynx", 44.93, 4.89, "COOPERATIVE"), (profile.Name, profile.Latitude, profile.Longitude, profile.StructureType));
        Assert.Equal("Lynx", JsonNode.Parse(Node.Store.Documents.FindById("/actor")!.Json)!["name"]!.GetValue<string>());

        var refused = await Assert.ThrowsAsync<InvalidFieldException>(() => Node.Profile.SetAsync(new ProfileChanges { Latitude = 95 }));
        Assert.Equal("latitude", refused.Field);
        Assert.Equal("latitude 95 is out of range; use a value from -90 to 90", refused.Message);
        Assert.Equal(44.93, Node.Profile.Get().Latitude);
    }

    [Fact]
    public async Task The_catalogue_makes_unique_slugs_updates_and_removes_services()
    {
        var first = await Node.Services.AddAsync(new ServiceChanges { Name = "Pad Collaboratif", Category = "collaborative-writing", Url = "https://pad.example" });
        var second = await Node.Services.AddAsync(new ServiceChanges { Name = "Pad collaboratif", Category = "unheard-of", Url = "https://pad2.example" });
        Assert.Equal(("pad-collaboratif", "pad-collaboratif-2"), (first.Slug, second.Slug));
        Assert.Empty(first.Warnings);
        Assert.Contains("'unheard-of' is not in the shared list", Assert.Single(second.Warnings), StringComparison.Ordinal);

        await Node.Services.UpdateAsync("pad-collaboratif", new ServiceChanges { Capacity = "FULL" });
        Assert.Equal("full", Node.Services.List()[0].Capacity);

        await Node.Services.RemoveAsync("pad-collaboratif-2");
        Assert.Equal(["pad-collaboratif"], Node.Services.List().Select(s => s.Id));
        Assert.True(Node.Store.Documents.FindById("/services/pad-collaboratif-2")!.Gone);

        var taken = await Assert.ThrowsAsync<InvalidFieldException>(() => Node.Services.AddAsync(new ServiceChanges { Slug = "pad-collaboratif", Name = "Pad", Category = "collaborative-writing", Url = "https://pad.example" }));
        Assert.Equal("slug", taken.Field);
        var software = await Assert.ThrowsAsync<InvalidFieldException>(() => Node.Services.UpdateAsync("pad-collaboratif", new ServiceChanges { License = "MIT" }));
        Assert.StartsWith("software is required", software.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<NodeInputException>(() => Node.Services.RemoveAsync("nothing"));
    }

    [Fact]
    public async Task The_attestation_marks_the_required_criteria_and_refuses_contradictions()
    {
        var required = Node.Attestation.RequiredCriteria;
        Assert.NotEmpty(required);
        await Node.Attestation.SetAsync(new AttestationChanges { AllRequiredMet = true });
        Assert.All(required, id => Assert.True(Node.Attestation.Get().Criteria.Single(c => c.Id == id).Met));

        var id = required[0];
        await Assert.ThrowsAsync<NodeInputException>(() => Node.Attestation.SetAsync(new AttestationChanges { Met = [id], NotMet = [id] }));
        await Assert.ThrowsAsync<InvalidFieldException>(() => Node.Attestation.SetAsync(new AttestationChanges { Met = ["X!"] }));
    }

    [Fact]
    public async Task Blocking_a_domain_drops_its_followers_and_covers_its_subdomains()
    {
        AddFollower("https://a.spam.example/users/x");
        AddFollower("https://friends.example/users/y");
        await Node.Blocks.BlockAsync("Spam.Example.");
        Assert.Equal(["https://friends.example/users/y"], Node.Store.Followers.FindAll().Select(f => f.Id));
        Assert.True(Node.Blocks.IsBlocked("https://b.a.spam.example/users/z"));
        Assert.False(Node.Blocks.IsBlocked("https://notspam.example/users/z"));
        Assert.Equal(["spam.example"], Node.Blocks.List());
        Assert.True(await Node.Blocks.UnblockAsync("spam.example"));
        Assert.False(await Node.Blocks.UnblockAsync("spam.example"));
        var refused = await Assert.ThrowsAsync<InvalidFieldException>(() => Node.Blocks.BlockAsync("not a domain/"));
        Assert.Equal("domain", refused.Field);
    }

    [Fact]
    public async Task Followers_are_accepted_unless_blocked_and_each_activity_is_recorded()
    {
        var followers = new FollowersService(Node.Outbox, Node.Blocks, TimeProvider.System);
        await Node.Blocks.BlockAsync("spam.example");

        Assert.True(await followers.FollowAsync("https://friends.example/f/1", Follow("https://friends.example/users/y"), "https://friends.example/users/y", "https://friends.example/inbox", null, CancellationToken.None));
        Assert.False(await followers.FollowAsync("https://spam.example/f/1", Follow("https://spam.example/users/x"), "https://spam.example/users/x", "https://spam.example/inbox", null, CancellationToken.None));
        Assert.Equal(["https://friends.example/users/y"], Node.Store.Followers.FindAll().Select(f => f.Id));
        Assert.Equal(2, Node.Store.DeliveryJobs.Count());
        Assert.True(followers.IsProcessed("https://spam.example/f/1"));

        await followers.UpdateInboxAsync("https://friends.example/u/1", "https://friends.example/users/y", "https://friends.example/new-inbox", "https://friends.example/shared", CancellationToken.None);
        Assert.Equal("https://friends.example/new-inbox", followers.Find("https://friends.example/users/y")!.Inbox);
        Assert.False(await followers.RemoveAsync("https://friends.example/u/2", "https://friends.example/users/y", remove: false, CancellationToken.None));
        Assert.True(await followers.RemoveAsync("https://friends.example/u/3", "https://friends.example/users/y", remove: true, CancellationToken.None));
        Assert.Null(followers.Find("https://friends.example/users/y"));
    }

    [Fact]
    public async Task The_outbox_keeps_one_copy_of_an_activity_and_queues_it_for_each_follower()
    {
        AddFollower("https://one.example/users/a");
        AddFollower("https://two.example/users/b");
        var result = await Node.Profile.SetAsync(new ProfileChanges { Summary = "Hébergeur" });
        Assert.Equal(4, result.DeliveriesQueued);
        var activity = JsonNode.Parse(Node.Store.Outbox.FindAll().Last().Json)!.AsObject();
        Assert.Equal(2, Node.Outbox.Enqueue([activity], Node.Outbox.Now()));
        Assert.Equal(2, Node.Store.Outbox.Count());
    }

    [Fact]
    public async Task Key_rotation_publishes_new_keys_announced_with_the_old_ones()
    {
        AddFollower("https://one.example/users/a");
        var before = Node.Store.Documents.FindById("/actor")!.Json;
        var oldKeys = Node.Outbox.Keys;
        var result = await Node.KeyRotation.RotateAsync();
        Assert.Equal(1, result.DeliveriesQueued);
        Assert.NotEqual(before, Node.Store.Documents.FindById("/actor")!.Json);
        Assert.NotSame(oldKeys, Node.Outbox.Keys);
        oldKeys.Dispose();
    }

    [Fact]
    public async Task Leaving_deletes_the_actor_and_freezes_every_document()
    {
        AddFollower("https://one.example/users/a");
        var result = await Node.Leaving.LeaveAsync();
        Assert.Equal(1, result.DeliveriesQueued);
        Assert.NotNull(Node.Profile.Get().Deleted);
        var refused = await Assert.ThrowsAsync<NodeInputException>(() => Node.Profile.SetAsync(new ProfileChanges { Name = "Back" }));
        Assert.Contains("left the network", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<NodeInputException>(() => Node.Leaving.LeaveAsync());
    }

    private void AddFollower(string actor) =>
        Node.Store.Followers.Upsert(new FollowerRecord { Id = actor, Inbox = actor + "/inbox", Since = TimeProvider.System.GetUtcNow() });

    private static JsonObject Follow(string actor) => new()
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = actor + "#follow",
        ["type"] = "Follow",
        ["actor"] = actor,
        ["object"] = TestNode.DefaultPublicUrl + "/actor",
    };
}
