using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using ChatonsFed.Aggregator.Tracking;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.TestFleet;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ChatonsFed.Aggregation.Tests;

/// <summary>
/// The aggregator's notes about the directory's news, with real aggregators, real nodes, member hosts and the loopback
/// fleet: delivered signed to a Mastodon-shaped follower's shared inbox, kept in the outbox and the Atom feed, never
/// posted again by a rebuild, one digest for a flood, one note an hour at most per chaton, none when turned off.
/// </summary>
public sealed class AggregatorNotesTests
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    [Fact]
    public async Task A_follower_gets_a_signed_note_of_a_new_chaton_in_its_shared_inbox_the_outbox_and_the_feed_have_it_and_a_rebuild_posts_nothing()
    {
        await using var aggregator = await TestAggregator.InitAsync([], Notes(true));
        await TestHost.WaitForAsync(() => Task.FromResult(aggregator.Directory.LastCrawlAt is not null), 10, "the poll at start");
        var actor = aggregator.PublicUrl + "/aggregator";
        await using var follower = await MastodonFollower.StartAsync();

        // Follow: a signed Accept comes back to the follower's own inbox.
        var follow = follower.Follow(actor);
        Assert.Equal(202, await follower.PostAsync(aggregator.Inbox, follow));
        var accept = await follower.WaitForAsync(a => Type(a) == "Accept" && a["object"]?["id"]?.GetValue<string>() == follow["id"]!.GetValue<string>(), "the Accept");
        Assert.Equal(("/users/ada/inbox", actor + "#main-key"), (accept.Path, accept.KeyId));
        Assert.Equal([follower.ActorId], await IdsAsync(aggregator, "/aggregator/followers"));

        // A new chaton followed by the aggregator: one Create of a Note at the follower's shared inbox.
        await using var lynx = await RealNodeTests.StartChatonAsync("lynx", "Lynx Net", RealNodeTests.Lynx);
        var lynxId = RealNodeTests.ActorId(lynx);
        await RealNodeTests.CliAsync("directory", "follow", lynxId, "--data", aggregator.Folder);
        var created = await follower.WaitForAsync(a => Type(a) == "Create", "the Create of the note");
        Assert.Equal(("/inbox", actor + "#main-key"), (created.Path, created.KeyId));
        var create = created.Activity;
        var note = create["object"]!.AsObject();
        var page = aggregator.PublicUrl + "/chaton?id=" + Uri.EscapeDataString(lynxId);
        Assert.Equal("Note", Type(note));
        Assert.Equal(actor, create["actor"]!.GetValue<string>());
        Assert.Equal(actor, note["attributedTo"]!.GetValue<string>());
        Assert.Equal(["https://www.w3.org/ns/activitystreams#Public"], Strings(note["to"]));
        Assert.Equal([aggregator.PublicUrl + "/aggregator/followers", lynxId], Strings(note["cc"]));
        Assert.Equal(page, note["url"]!.GetValue<string>());
        var content = note["content"]!.GetValue<string>();
        Assert.StartsWith($"<p><a href=\"{page.Replace("&", "&amp;", StringComparison.Ordinal)}\">Lynx Net</a> (Valence) rejoint l’annuaire des CHATONS : Mails, Rédaction collaborative (pad).</p>", content, StringComparison.Ordinal);
        Assert.Equal(content, note["contentMap"]!["fr"]!.GetValue<string>());
        Assert.Contains("Lynx Net</a> (Valence) joined the CHATONS directory: Email, Collaborative writing (pad).", note["contentMap"]!["en"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"\"", content, StringComparison.Ordinal);
        var tags = note["tag"]!.AsArray().Select(t => (Type(t!.AsObject()), t["name"]!.GetValue<string>(), t["href"]!.GetValue<string>())).ToList();
        Assert.Contains(("Mention", "@lynx@" + new Uri(lynx.PublicUrl).Authority, lynxId), tags);
        Assert.Contains(("Hashtag", "#CHATONS", aggregator.PublicUrl + "/"), tags);
        Assert.Contains(("Hashtag", "#Mails", aggregator.PublicUrl + "/?category=email"), tags);
        Assert.Contains(("Hashtag", "#RédactionCollaborativePad", aggregator.PublicUrl + "/?category=collaborative-writing"), tags);
        Assert.Equal(1, follower.Received.Count(r => Type(r.Activity) == "Create"));

        // The note and its Create dereference; the outbox pages them, newest first.
        var noteId = note["id"]!.GetValue<string>();
        Assert.StartsWith(actor + "/notes/", noteId, StringComparison.Ordinal);
        Assert.Equal(noteId, (await ActivityJsonAsync(aggregator, noteId))["id"]!.GetValue<string>());
        Assert.Equal(note.ToJsonString(), (await ActivityJsonAsync(aggregator, noteId)).ToJsonString());
        Assert.Equal(create["id"]!.GetValue<string>(), (await ActivityJsonAsync(aggregator, create["id"]!.GetValue<string>()))["id"]!.GetValue<string>());
        var outbox = await aggregator.GetJsonAsync("/aggregator/outbox");
        Assert.Equal(1, outbox["totalItems"]!.GetValue<int>());
        var firstPage = await aggregator.GetJsonAsync(new Uri(outbox["first"]!.GetValue<string>()).PathAndQuery);
        Assert.Equal([create["id"]!.GetValue<string>()], firstPage["orderedItems"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));

        // The Atom feed has the same entry, in French and in English; the site's pages link to it.
        using (var response = await aggregator.Http.GetAsync("/feed.atom"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/atom+xml; charset=utf-8", response.Content.Headers.ContentType!.ToString());
            var feed = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
            Assert.Equal(Atom + "feed", feed.Name);
            Assert.Equal(aggregator.PublicUrl + "/feed.atom", feed.Element(Atom + "id")!.Value);
            Assert.NotNull(feed.Element(Atom + "updated"));
            Assert.Contains(feed.Elements(Atom + "link"), l => (string?)l.Attribute("rel") == "self");
            var entry = Assert.Single(feed.Elements(Atom + "entry"));
            Assert.Equal(noteId, entry.Element(Atom + "id")!.Value);
            Assert.Equal("Lynx Net (Valence) rejoint l’annuaire des CHATONS : Mails, Rédaction collaborative (pad)", entry.Element(Atom + "title")!.Value);
            Assert.Equal(page, (string?)entry.Element(Atom + "link")!.Attribute("href"));
            Assert.Equal("html", (string?)entry.Element(Atom + "content")!.Attribute("type"));
            Assert.Equal(content, entry.Element(Atom + "content")!.Value);
            Assert.NotNull(entry.Element(Atom + "updated"));

            using var again = new HttpRequestMessage(HttpMethod.Get, "/feed.atom");
            again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
            using var notModified = await aggregator.Http.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }

        var english = XDocument.Parse(System.Text.Encoding.UTF8.GetString(await aggregator.GetBytesAsync("/feed.atom?lang=en"))).Root!;
        Assert.Contains("joined the CHATONS directory", english.Element(Atom + "entry")!.Element(Atom + "content")!.Value, StringComparison.Ordinal);
        using (var bad = await aggregator.Http.GetAsync("/feed.atom?lang=de"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("lang=fr or lang=en", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var home = System.Text.Encoding.UTF8.GetString(await aggregator.GetBytesAsync("/"));
        Assert.Contains("<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/feed.atom\"", home, StringComparison.Ordinal);
        Assert.Contains("<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/feed.atom?lang=en\"", home, StringComparison.Ordinal);

        // A rebuild empties the directory and fills it again with the same chaton: nothing is posted, nothing queued.
        var queued = NoteDeliveries(aggregator);
        Assert.Equal(2, queued);
        await RealNodeTests.CliAsync("directory", "rebuild", "--data", aggregator.Folder);
        Assert.Equal(1, (await aggregator.GetJsonAsync("/aggregator/outbox"))["totalItems"]!.GetValue<int>());
        Assert.Equal(queued, NoteDeliveries(aggregator));
        Assert.Equal(1, follower.Received.Count(r => Type(r.Activity) == "Create"));

        // Undo of the Follow: no longer a follower.
        Assert.Equal(202, await follower.PostAsync(aggregator.Inbox, follower.Undo(follow)));
        Assert.Equal(0, (await aggregator.GetJsonAsync("/aggregator/followers"))["totalItems"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_hundred_new_chatons_in_one_crawl_make_one_digest_note()
    {
        await using var fleet = await FleetServer.StartAsync(101, new FleetOptions { Following = FollowingGraph.Star });
        await using var aggregator = await TestAggregator.InitAsync([], s =>
        {
            Notes(true)(s);
            s["Discovery"]!["MaxNewPerSource"] = 200;
        });
        await TestHost.WaitForAsync(() => Task.FromResult(aggregator.Directory.LastCrawlAt is not null), 10, "the poll at start");
        await using var follower = await MastodonFollower.StartAsync();
        Assert.Equal(202, await follower.PostAsync(aggregator.Inbox, follower.Follow(aggregator.PublicUrl + "/aggregator")));

        // One chaton first (its own note), then a poll that finds the hundred others through it.
        await RealNodeTests.CliAsync("directory", "follow", fleet[1].ActorId.AbsoluteUri, "--data", aggregator.Folder);
        await follower.WaitForAsync(a => Type(a) == "Create", "the note of the first chaton");
        var report = await aggregator.RunAsync("refresh");
        Assert.Equal(101, report["listed"]!.GetValue<int>());

        var digest = (await follower.WaitForAsync(a => Type(a) == "Create" && a["object"]!["content"]!.GetValue<string>().Contains("chatons ajoutés", StringComparison.Ordinal), "the digest")).Activity["object"]!;
        Assert.StartsWith("<p>100 chatons ajoutés dans l’annuaire des CHATONS — <a href=\"", digest["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("<p>100 chatons added in the CHATONS directory", digest["contentMap"]!["en"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(aggregator.PublicUrl + "/?sort=updated", digest["url"]!.GetValue<string>());
        Assert.DoesNotContain(digest["tag"]!.AsArray(), t => Type(t!.AsObject()) == "Mention");
        Assert.Equal(2, (await aggregator.GetJsonAsync("/aggregator/outbox"))["totalItems"]!.GetValue<int>());
        Assert.Equal(2, follower.Received.Count(r => Type(r.Activity) == "Create"));
    }

    [Fact]
    public async Task Admission_services_added_and_departure_make_notes_and_a_chaton_gets_one_note_an_hour_at_most()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var hosts = new MembershipTests.MemberHosts();
        var root1 = (await hosts.StartAsync(2, clock)).Add("racine1", "Racine 1");
        var root2 = (await hosts.StartAsync(3, clock)).Add("racine2", "Racine 2");
        var a = (await hosts.StartAsync(4, clock)).Add("chaton1", "Chaton 1");
        a.AddService("mail", "email", "Courriel");
        await using var aggregator = await TestAggregator.InitAsync([root1.ActorId, root2.ActorId, a.ActorId], s =>
        {
            Notes(true)(s);
            s["Membership"] = new JsonObject { ["TrustRoots"] = new JsonArray(root1.ActorId, root2.ActorId), ["Quorum"] = 2 };
            s["PollInterval"] = "30.00:00:00";
            s["FollowChatons"] = false;
        }, time: clock);

        // The first round of an aggregator that announced nothing yet: one digest.
        await aggregator.Directory.RefreshAsync(null, CancellationToken.None);
        var notes = await NotesAsync(aggregator);
        Assert.StartsWith("<p>3 chatons ajoutés", Assert.Single(notes)["content"]!.GetValue<string>(), StringComparison.Ordinal);

        // Two endorsements admit the chaton: a note says so.
        root1.Endorse(a);
        root2.Endorse(a);
        clock.Advance(TimeSpan.FromMinutes(1));
        await aggregator.Directory.RefreshAsync(null, CancellationToken.None);
        notes = await NotesAsync(aggregator);
        Assert.Equal(2, notes.Count);
        Assert.Contains("Chaton 1</a> est désormais membre admis·e du collectif.", notes[0]["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(notes[0]["tag"]!.AsArray(), t => t!["name"]!.GetValue<string>() == a.Handle && t["href"]!.GetValue<string>() == a.ActorId);

        // Two services added within the hour that follows: no note yet, then one note that names both.
        clock.Advance(TimeSpan.FromMinutes(10));
        a.AddService("pad", "collaborative-writing", "Pad");
        await aggregator.Directory.RefreshAsync(null, CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(10));
        a.AddService("visio", "video-conference", "Visio");
        await aggregator.Directory.RefreshAsync(null, CancellationToken.None);
        Assert.Equal(3, (await aggregator.EntryAsync(a.ActorId))!["services"]!.AsArray().Count);
        Assert.Equal(2, (await NotesAsync(aggregator)).Count);

        clock.Advance(TimeSpan.FromHours(1));
        await aggregator.Directory.RefreshAsync(null, CancellationToken.None);
        notes = await NotesAsync(aggregator);
        Assert.Equal(3, notes.Count);
        var content = notes[0]["content"]!.GetValue<string>();
        Assert.Contains("Chaton 1</a> propose de nouveaux services : Rédaction collaborative (pad), Audio / visioconférence.", content, StringComparison.Ordinal);
        Assert.Contains("offers new services: Collaborative writing (pad), Audio / video conferencing.", notes[0]["contentMap"]!["en"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(notes[0]["tag"]!.AsArray(), t => t!["name"]!.GetValue<string>() == "#AudioVisioconférence");

        // Nothing changed since: nothing more.
        clock.Advance(TimeSpan.FromHours(2));
        await aggregator.Directory.RefreshAsync(null, CancellationToken.None);
        Assert.Equal(3, (await NotesAsync(aggregator)).Count);

        // The chaton leaves (a signed Delete of its actor): a note says so, without a Mention, and a rebuild says nothing more.
        var (code, _) = await a.DeliverAsync(aggregator.Inbox, a.DeleteActor());
        Assert.Equal(202, code);
        notes = await NotesAsync(aggregator);
        Assert.Equal(4, notes.Count);
        Assert.Contains("Chaton 1</a> a quitté l’annuaire des CHATONS.", notes[0]["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(notes[0]["tag"]!.AsArray(), t => t!["type"]!.GetValue<string>() == "Mention");
        await aggregator.Directory.RebuildAsync(null, CancellationToken.None);
        Assert.Equal(4, (await NotesAsync(aggregator)).Count);
    }

    [Fact]
    public async Task With_notes_off_nothing_is_posted_nor_remembered()
    {
        await using var hosts = new MembershipTests.MemberHosts();
        var a = (await hosts.StartAsync(2, null)).Add("chaton1", "Chaton 1");
        var b = (await hosts.StartAsync(3, null)).Add("chaton2", "Chaton 2");
        await using var aggregator = await TestAggregator.InitAsync([a.ActorId, b.ActorId], s =>
        {
            Notes(false)(s);
            s["FollowChatons"] = false;
        });
        await aggregator.Directory.RefreshAsync(null, CancellationToken.None);
        Assert.Equal(2, await RealNodeTests.TotalAsync(aggregator, string.Empty));
        Assert.Equal(0, (await aggregator.GetJsonAsync("/aggregator/outbox"))["totalItems"]!.GetValue<int>());
        var feed = XDocument.Parse(System.Text.Encoding.UTF8.GetString(await aggregator.GetBytesAsync("/feed.atom"))).Root!;
        Assert.Empty(feed.Elements(Atom + "entry"));
        Assert.Equal(0, aggregator.Running!.Services.GetRequiredService<AggregatorTables>().Announced.Count());
    }

    [Fact]
    public async Task A_follower_whose_inbox_answers_410_is_dropped()
    {
        await using var hosts = new MembershipTests.MemberHosts();
        var a = (await hosts.StartAsync(2, null)).Add("chaton1", "Chaton 1");
        await using var aggregator = await TestAggregator.InitAsync([], s =>
        {
            Notes(true)(s);
            s["FollowChatons"] = false;
        });
        await TestHost.WaitForAsync(() => Task.FromResult(aggregator.Directory.LastCrawlAt is not null), 10, "the poll at start");
        await using var follower = await MastodonFollower.StartAsync();
        Assert.Equal(202, await follower.PostAsync(aggregator.Inbox, follower.Follow(aggregator.PublicUrl + "/aggregator")));
        await follower.WaitForAsync(r => Type(r) == "Accept", "the Accept");

        follower.Gone = true;
        await RealNodeTests.CliAsync("directory", "follow", a.ActorId, "--data", aggregator.Folder);
        Assert.Equal(1, (await aggregator.GetJsonAsync("/aggregator/outbox"))["totalItems"]!.GetValue<int>());
        await TestHost.WaitForAsync(async () => (await aggregator.GetJsonAsync("/aggregator/followers"))["totalItems"]!.GetValue<int>() == 0, 20,
            "the follower dropped once its shared inbox answered 410");
    }

    [Fact]
    public void Notes_are_on_by_default_for_a_public_host_only_and_DigestAbove_is_at_least_one()
    {
        var notes = new AggregatorNotesOptions();
        Assert.True(notes.IsEnabled("https://annuaire.chatons.example"));
        Assert.True(notes.IsEnabled("https://203.0.113.9:8443"));
        Assert.False(notes.IsEnabled("http://127.0.0.1:5080"));
        Assert.False(notes.IsEnabled("http://localhost:5080"));
        Assert.False(notes.IsEnabled("http://192.168.1.20"));
        Assert.False(notes.IsEnabled("http://[::1]:5080"));
        Assert.False(new AggregatorNotesOptions { Enabled = false }.IsEnabled("https://annuaire.chatons.example"));
        Assert.True(new AggregatorNotesOptions { Enabled = true }.IsEnabled("http://127.0.0.1:5080"));

        var options = new NodeOptions { PublicUrl = "https://annuaire.chatons.example", ServeChaton = false };
        options.Aggregator.Enabled = true;
        Assert.DoesNotContain(NodeOptionsValidator.Check(options), e => e.Contains("DigestAbove", StringComparison.Ordinal));
        options.Aggregator.Notes.DigestAbove = 0;
        Assert.Contains(NodeOptionsValidator.Check(options), e => e.StartsWith("ChatonsFed:Aggregator:Notes:DigestAbove 0 must be at least 1", StringComparison.Ordinal));
    }

    private static Action<JsonObject> Notes(bool enabled) => s => s["Notes"] = new JsonObject { ["Enabled"] = enabled };

    private static string? Type(JsonObject activity) => activity["type"]?.GetValue<string>();

    private static string[] Strings(JsonNode? array) => [.. array!.AsArray().Select(i => i!.GetValue<string>())];

    private static async Task<List<string>> IdsAsync(TestAggregator aggregator, string collection)
    {
        var root = await aggregator.GetJsonAsync(collection);
        return root["first"] is { } first
            ? [.. (await aggregator.GetJsonAsync(new Uri(first.GetValue<string>()).PathAndQuery))["orderedItems"]!.AsArray().Select(i => i!.GetValue<string>())]
            : [];
    }

    /// <summary>The notes of the outbox's first page, newest first.</summary>
    private static async Task<List<JsonObject>> NotesAsync(TestAggregator aggregator)
    {
        var outbox = await aggregator.GetJsonAsync("/aggregator/outbox");
        return outbox["first"] is { } first
            ? [.. (await aggregator.GetJsonAsync(new Uri(first.GetValue<string>()).PathAndQuery))["orderedItems"]!.AsArray().Select(c => c!["object"]!.AsObject())]
            : [];
    }

    private static async Task<JsonObject> ActivityJsonAsync(TestAggregator aggregator, string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(id).PathAndQuery);
        request.Headers.Accept.ParseAdd("application/activity+json");
        using var response = await aggregator.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/activity+json", response.Content.Headers.ContentType!.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>The deliveries of notes queued (whatever became of them).</summary>
    private static int NoteDeliveries(TestAggregator aggregator) =>
        aggregator.Running!.Services.GetRequiredService<AggregatorTables>().Store.DeliveryJobs.FindAll().Count(j => j.ActivityId.Contains("/aggregator/notes/", StringComparison.Ordinal));
}
