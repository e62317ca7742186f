using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Directory.Node;
using ChatonsFed.Hosting;
using ChatonsFed.Hosting.Endpoints;
using ChatonsFed.Node.Features;
using ChatonsFed.Node.Hosting;
using ChatonsFed.Protocol.Proofs;

namespace ChatonsFed.Node.Tests;

/// <summary>
/// The signed public documents are served from bytes kept ready with their strong ETag: the same bytes and tag on every
/// request, 304 to If-None-Match, and, after every kind of change to what they say, the new signed bytes and a new tag
/// at once, the same as a freshly started node serves.
/// </summary>
public sealed class ServedDocumentTests
{
    private static readonly string[] SignedPaths = ["/actor", "/services", "/services/pad", "/attestation"];

    [Fact]
    public async Task Signed_documents_keep_a_strong_ETag_of_their_bytes_and_answer_304_to_If_None_Match()
    {
        await using var node = await TestNode.InitAsync();
        Assert.Equal(0, (await CliRunner.RunAsync("service", "add", "--data", node.Folder, "--category", "collaborative-writing", "--name", "Pad", "--url", "https://pad.example")).ExitCode);
        foreach (var path in SignedPaths)
        {
            var (body, etag) = await FetchAsync(node, path);
            Assert.False(etag.StartsWith("W/", StringComparison.Ordinal), $"{path}: {etag} is weak");
            Assert.Equal(DocumentResult.ETagOf(Encoding.UTF8.GetString(body)), etag);
            for (var i = 0; i < 3; i++)
            {
                var (againBody, againTag) = await FetchAsync(node, path);
                Assert.Equal(body, againBody);
                Assert.Equal(etag, againTag);
            }

            foreach (var match in new[] { etag, "W/" + etag, $"\"other\", {etag}", "*" })
            {
                using var conditional = node.Get(path);
                conditional.Headers.TryAddWithoutValidation("If-None-Match", match);
                using var notModified = await node.Http.SendAsync(conditional);
                Assert.True(notModified.StatusCode == HttpStatusCode.NotModified, $"{path} with If-None-Match: {match}: {notModified.StatusCode}");
                Assert.Equal(etag, notModified.Headers.ETag!.ToString());
                Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
                Assert.Equal(["Accept", "Accept-Language"], notModified.Headers.Vary);
            }

            using var other = node.Get(path);
            other.Headers.TryAddWithoutValidation("If-None-Match", "\"other\"");
            using var full = await node.Http.SendAsync(other);
            Assert.Equal(HttpStatusCode.OK, full.StatusCode);
            Assert.Equal(body, await full.Content.ReadAsByteArrayAsync());
            Assert.Equal("public, max-age=60", full.Headers.CacheControl!.ToString());
            Assert.NotNull(full.Content.Headers.LastModified);
        }
    }

    [Fact]
    public async Task Every_kind_of_change_is_served_at_once_signed_under_a_new_ETag()
    {
        await using var node = await TestNode.InitAsync();
        Assert.Equal(0, (await CliRunner.RunAsync("service", "add", "--data", node.Folder, "--category", "collaborative-writing", "--name", "Pad", "--url", "https://pad.example")).ExitCode);
        var served = await SnapshotAsync(node);

        // Profile: the actor says the new name.
        served = await ChangeAsync(node, served, ["profile", "set", "--name", "Lynx Network"], ["/actor"]);
        Assert.Equal("Lynx Network", JsonNode.Parse(served["/actor"].Body)!["name"]!.GetValue<string>());

        // A service added, then removed: the collection lists it, then no longer; the service answers 410.
        served = await ChangeAsync(node, served, ["service", "add", "--category", "video", "--name", "Visio", "--url", "https://visio.example"], ["/services"]);
        Assert.Contains("https://chaton.test/services/visio", JsonNode.Parse(served["/services"].Body)!["orderedItems"]!.AsArray().Select(i => i!.GetValue<string>()));
        served = await ChangeAsync(node, served, ["service", "remove", "visio"], ["/services"]);
        Assert.DoesNotContain("https://chaton.test/services/visio", JsonNode.Parse(served["/services"].Body)!["orderedItems"]!.AsArray().Select(i => i!.GetValue<string>()));
        using (var gone = await node.Http.SendAsync(node.Get("/services/visio")))
        {
            Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        }

        // A service changed: its own document.
        served = await ChangeAsync(node, served, ["service", "update", "pad", "--name", "Pad collaboratif"], ["/services/pad"]);
        Assert.Equal("Pad collaboratif", JsonNode.Parse(served["/services/pad"].Body)!["name"]!.GetValue<string>());

        // The attestation.
        served = await ChangeAsync(node, served, ["attestation", "set", "--met", "open.free-software"], ["/attestation"]);
        Assert.Contains(JsonNode.Parse(served["/attestation"].Body)!["criteria"]!.AsArray(), c => c!["id"]!.GetValue<string>() == "open.free-software" && c["met"]!.GetValue<bool>());

        // A key rotation re-signs every document with the new keys; the actor carries them.
        var oldPem = JsonNode.Parse(served["/actor"].Body)!["publicKey"]!["publicKeyPem"]!.GetValue<string>();
        served = await ChangeAsync(node, served, ["keys", "rotate"], SignedPaths);
        Assert.NotEqual(oldPem, JsonNode.Parse(served["/actor"].Body)!["publicKey"]!["publicKeyPem"]!.GetValue<string>());

        // What the running node serves is what a freshly started one reads from its store.
        await node.StopAsync();
        await node.StartAsync();
        var fresh = await SnapshotAsync(node);
        foreach (var path in SignedPaths)
        {
            Assert.Equal(served[path], fresh[path]);
        }
    }

    [Fact]
    public async Task Leaving_turns_the_kept_documents_into_tombstones_for_every_media_type()
    {
        await using var node = await TestNode.InitAsync();
        var before = await SnapshotAsync(node, "/actor", "/services", "/attestation");
        var leave = await CliRunner.RunAsync("leave", "--data", node.Folder, "--yes");
        Assert.True(leave.ExitCode == 0, leave.ToString());
        foreach (var path in new[] { "/actor", "/services", "/attestation" })
        {
            foreach (var accept in new[] { "application/activity+json", "text/html" })
            {
                using var request = node.Get(path, accept);
                request.Headers.TryAddWithoutValidation("If-None-Match", before[path].ETag);
                using var gone = await node.Http.SendAsync(request);
                Assert.True(gone.StatusCode == HttpStatusCode.Gone, $"{path} ({accept}): {gone.StatusCode}");
                Assert.Equal("Tombstone", JsonNode.Parse(await gone.Content.ReadAsStringAsync())!["type"]!.GetValue<string>());
            }
        }
    }

    [Fact]
    public async Task Endorsements_issued_or_received_leave_the_actors_as_they_were()
    {
        await using var lynx = await MembershipTests.StartAsync("127.0.0.2", "lynx", "Lynx Net");
        await using var marmotte = await MembershipTests.StartAsync("127.0.0.3", "marmotte", "La Marmotte");
        var issuer = await SnapshotAsync(lynx, "/actor");
        var subject = await SnapshotAsync(marmotte, "/actor");

        var endorse = await CliRunner.RunAsync("membership", "endorse", MembershipTests.ActorId(marmotte), "--data", lynx.Folder);
        Assert.True(endorse.ExitCode == 0, endorse.ToString());
        await TestHost.WaitForAsync(async () => (await marmotte.GetJsonAsync("/membership/endorsements"))["totalItems"]!.GetValue<int>() == 1, 20, "the subject holds the credential");

        // The actors only link the membership collections, which are served apart: their bytes and tags stay.
        Assert.Equal(issuer["/actor"], (await SnapshotAsync(lynx, "/actor"))["/actor"]);
        Assert.Equal(subject["/actor"], (await SnapshotAsync(marmotte, "/actor"))["/actor"]);
        Assert.Equal(1, (await lynx.GetJsonAsync("/membership/issued"))["totalItems"]!.GetValue<int>());
    }

    [Fact]
    public async Task Content_negotiation_is_unchanged_by_the_kept_answers()
    {
        await using var node = await TestNode.InitAsync();
        // The JSON answer kept first, then every kind of request, twice, in turn.
        var (json, etag) = await FetchAsync(node, "/actor");
        for (var round = 0; round < 2; round++)
        {
            foreach (var accept in new[] { "text/html", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" })
            {
                using var page = await node.Http.SendAsync(node.Get("/actor", accept));
                Assert.Equal(HttpStatusCode.OK, page.StatusCode);
                Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
                Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                Assert.NotEqual(etag, page.Headers.ETag!.ToString());
                Assert.Equal(["Accept", "Accept-Language"], page.Headers.Vary);
            }

            foreach (var accept in new[] { "application/activity+json", "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"", "text/html, application/activity+json", "*/*" })
            {
                using var document = await node.Http.SendAsync(node.Get("/actor", accept));
                Assert.Equal("application/activity+json", document.Content.Headers.ContentType!.MediaType);
                Assert.Equal(json, await document.Content.ReadAsByteArrayAsync());
                Assert.Equal(etag, document.Headers.ETag!.ToString());
                Assert.Equal(["Accept", "Accept-Language"], document.Headers.Vary);
            }

            using var noAccept = await node.Http.GetAsync("/actor");
            Assert.Equal(json, await noAccept.Content.ReadAsByteArrayAsync());
        }

        using var unknown = await node.Http.SendAsync(node.Get("/services/never"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Public_documents_run_no_admin_authentication_whatever_Authorization_they_carry()
    {
        await using var node = await TestNode.InitAsync();
        var (body, _) = await FetchAsync(node, "/actor");
        // Servers that sign their fetches may send any Authorization header; on a public document it is not an admin
        // sign-in, and never counts as a failed one.
        foreach (var authorization in new[] { "Bearer not-the-token", "Signature keyId=\"https://elsewhere.test/actor#main-key\"" })
        {
            for (var i = 0; i < 8; i++)
            {
                using var request = node.Get("/actor");
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
                using var response = await node.Http.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
            }
        }

        using (var owner = await node.Http.SendAsync(node.Admin(HttpMethod.Get, "profile", node.OwnerToken)))
        {
            Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
        }

        using (var wrong = await node.Http.SendAsync(node.Admin(HttpMethod.Get, "profile", "not-the-token")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var missing = await node.Http.SendAsync(node.Admin(HttpMethod.Get, "profile", null));
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
    }

    [Fact]
    public async Task A_kept_answer_follows_every_write_and_a_rolled_back_one_is_forgotten()
    {
        await using var folder = await TestNode.InitAsync(start: false);
        using var node = new DataFolder(folder.Folder).OpenOffline(TimeProvider.System);
        var served = new ServedDocuments(node.Store, node.Outbox.Builder.Urls);
        var first = served.Find("/actor")!;
        Assert.Same(first, served.Find("/actor"));
        Assert.Equal(node.Store.FindDocument("/actor")!.Json, first.Result.Body);

        // A change through a feature.
        await node.Profile.SetAsync(new ProfileChanges { Name = "Lynx Network" });
        var changed = served.Find("/actor")!;
        Assert.NotEqual(first.Result.ETag, changed.Result.ETag);
        Assert.Equal(node.Store.FindDocument("/actor")!.Json, changed.Result.Body);
        var actor = JsonNode.Parse(changed.Result.Body)!.AsObject();
        Assert.True(ProofVerifier.Verify(actor, actor).IsValid);

        // A write straight to the table.
        var record = node.Store.FindDocument("/actor")!;
        record.Json = record.Json.Replace("Lynx Network", "Written directly", StringComparison.Ordinal);
        record.ETag = DocumentResult.ETagOf(record.Json);
        node.Store.Documents.Upsert(record);
        Assert.Contains("Written directly", served.Find("/actor")!.Result.Body, StringComparison.Ordinal);

        // A write read back inside its transaction, then rolled back.
        var before = served.Find("/actor")!;
        Assert.Throws<InvalidOperationException>(() => node.Store.InTransaction(() =>
        {
            node.Outbox.SaveDocument("/actor", new JsonObject { ["type"] = "Never committed" }, node.Outbox.Now());
            Assert.Contains("Never committed", served.Find("/actor")!.Result.Body, StringComparison.Ordinal);
            throw new InvalidOperationException("rolled back");
        }));
        Assert.Equal(before.Result.Body, served.Find("/actor")!.Result.Body);
        Assert.Equal(node.Store.FindDocument("/actor")!.Json, served.Find("/actor")!.Result.Body);

        // The chaton leaves: every kept document becomes its tombstone.
        await node.Leaving.LeaveAsync();
        var left = served.Find("/actor")!;
        Assert.True(left.Left);
        Assert.Equal(410, left.Result.StatusCode);
        Assert.Null(served.Find("/services/never"));
    }

    /// <summary>
    /// Runs the command line against the running node, then checks that every path in <paramref name="changed"/> is
    /// served with new bytes under a new tag (whose proof verifies against the served actor, and to which the old tag
    /// no longer answers 304) and every other signed path is served as before.
    /// </summary>
    private static async Task<Dictionary<string, Served>> ChangeAsync(TestNode node, Dictionary<string, Served> before, string[] command, string[] changed)
    {
        var run = await CliRunner.RunAsync([.. command, "--data", node.Folder]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("through the running node", run.Output, StringComparison.Ordinal);
        var after = await SnapshotAsync(node);
        var actor = JsonNode.Parse(after["/actor"].Body)!.AsObject();
        foreach (var path in SignedPaths)
        {
            if (!changed.Contains(path))
            {
                Assert.True(before[path] == after[path], $"{string.Join(' ', command)} changed {path}");
                continue;
            }

            Assert.NotEqual(before[path].ETag, after[path].ETag);
            Assert.NotEqual(before[path].Body, after[path].Body);
            Assert.Equal(DocumentResult.ETagOf(after[path].Body), after[path].ETag);
            var document = JsonNode.Parse(after[path].Body)!.AsObject();
            var verdict = ProofVerifier.Verify(document, actor);
            Assert.True(verdict.IsValid, $"{path} after {string.Join(' ', command)}: {verdict}");

            using var stale = node.Get(path);
            stale.Headers.TryAddWithoutValidation("If-None-Match", before[path].ETag);
            using var full = await node.Http.SendAsync(stale);
            Assert.Equal(HttpStatusCode.OK, full.StatusCode);
            Assert.Equal(after[path].Body, await full.Content.ReadAsStringAsync());
            using var current = node.Get(path);
            current.Headers.TryAddWithoutValidation("If-None-Match", after[path].ETag);
            using var notModified = await node.Http.SendAsync(current);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }

        return after;
    }

    private static async Task<Dictionary<string, Served>> SnapshotAsync(TestNode node, params string[] paths)
    {
        var snapshot = new Dictionary<string, Served>(StringComparer.Ordinal);
        foreach (var path in paths.Length > 0 ? paths : SignedPaths)
        {
            var (body, etag) = await FetchAsync(node, path);
            snapshot[path] = new Served(Encoding.UTF8.GetString(body), etag);
        }

        return snapshot;
    }

    private static async Task<(byte[] Body, string ETag)> FetchAsync(TestNode node, string path)
    {
        using var response = await node.Http.SendAsync(node.Get(path));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode}");
        Assert.Equal("application/activity+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(["Accept", "Accept-Language"], response.Headers.Vary);
        return (await response.Content.ReadAsByteArrayAsync(), response.Headers.ETag!.ToString());
    }

    private sealed record Served(string Body, string ETag);
}
