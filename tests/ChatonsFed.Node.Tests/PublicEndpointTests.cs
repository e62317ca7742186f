using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Proofs;

namespace ChatonsFed.Node.Tests;

public sealed class PublicEndpointTests
{
    [Fact]
    public async Task WebFinger_answers_the_account_as_JRD_with_CORS()
    {
        await using var node = await TestNode.InitAsync();
        using var response = await node.Http.GetAsync("/.well-known/webfinger?resource=acct:lynx@chaton.test");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/jrd+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var jrd = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("acct:lynx@chaton.test", jrd["subject"]!.GetValue<string>());
        var self = jrd["links"]!.AsArray().Single(l => l!["rel"]!.GetValue<string>() == "self")!;
        Assert.Equal("application/activity+json", self["type"]!.GetValue<string>());
        Assert.Equal("https://chaton.test/actor", self["href"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/.well-known/webfinger", HttpStatusCode.BadRequest, "resource")]
    [InlineData("/.well-known/webfinger?resource=acct:someone@chaton.test", HttpStatusCode.NotFound, "acct:lynx@chaton.test")]
    [InlineData("/.well-known/webfinger?resource=acct:lynx@elsewhere.test", HttpStatusCode.NotFound, "chaton.test")]
    [InlineData("/.well-known/webfinger?resource=lynx", HttpStatusCode.BadRequest, "@HOST")]
    public async Task WebFinger_refusals_say_why(string path, HttpStatusCode status, string reasonPart)
    {
        await using var node = await TestNode.InitAsync();
        using var response = await node.Http.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(reasonPart, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task NodeInfo_names_the_software_protocol_and_actor()
    {
        await using var node = await TestNode.InitAsync();
        var wellKnown = JsonNode.Parse(await node.Http.GetStringAsync("/.well-known/nodeinfo"))!;
        var href = wellKnown["links"]![0]!["href"]!.GetValue<string>();
        Assert.Equal("https://chaton.test/nodeinfo/2.1", href);
        using var response = await node.Http.GetAsync("/nodeinfo/2.1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var info = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("chatonsfed", info["software"]!["name"]!.GetValue<string>());
        Assert.Contains("activitypub", info["protocols"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal("https://chaton.test/actor", info["metadata"]!["chatons"]!["actor"]!.GetValue<string>());
        var hostMeta = await node.Http.GetStringAsync("/.well-known/host-meta");
        Assert.Contains("https://chaton.test/.well-known/webfinger?resource={uri}", hostMeta, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/activity+json")]
    [InlineData("application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"")]
    [InlineData("application/activity+json, application/ld+json")]
    public async Task Actor_is_served_as_activity_json_and_its_proof_verifies(string accept)
    {
        await using var node = await TestNode.InitAsync();
        using var response = await node.Http.SendAsync(node.Get("/actor", accept));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/activity+json", response.Content.Headers.ContentType!.MediaType);
        var actor = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal("Organization", actor["type"]!.GetValue<string>());
        Assert.Equal("lynx", actor["preferredUsername"]!.GetValue<string>());
        Assert.Equal("https://chaton.test/actor#main-key", actor["publicKey"]!["id"]!.GetValue<string>());
        Assert.Equal("https://chaton.test/actor#ed25519-key", actor["assertionMethod"]![0]!["id"]!.GetValue<string>());
        Assert.True(ProofVerifier.Verify(actor, actor).IsValid, ProofVerifier.Verify(actor, actor).ToString());
    }

    [Fact]
    public async Task The_attestation_answers_every_criterion_of_the_charter_list_and_refuses_unknown_ids()
    {
        await using var node = await TestNode.InitAsync(start: false);
        var unknown = await CliRunner.RunAsync("attestation", "set", "--data", node.Folder, "--met", "open.no-such-thing");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("not in the charter criteria list", unknown.Error, StringComparison.Ordinal);

        var all = await CliRunner.RunAsync("attestation", "set", "--data", node.Folder, "--all-required-met");
        Assert.True(all.ExitCode == 0, all.ToString());
        await node.StartAsync();

        using var response = await node.Http.SendAsync(node.Get("/attestation"));
        var attestation = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        var ids = attestation["criteria"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).ToList();
        var catalog = ChatonsFed.Directory.Node.CharterCriteriaCatalog.LoadDefault();
        Assert.Equal(catalog.Criteria.Select(c => c.Id), ids);
        var required = catalog.Criteria.Where(c => c.Level == ChatonsFed.Directory.Node.CriterionLevel.Required).Select(c => c.Id).ToHashSet();
        Assert.All(attestation["criteria"]!.AsArray(), c => Assert.Equal(required.Contains(c!["id"]!.GetValue<string>()), c["met"]!.GetValue<bool>()));
        Assert.Matches("^sha256-[A-Za-z0-9+/]{43}=$", attestation["charter"]!["digest"]!.GetValue<string>());
    }

    [Fact]
    public async Task Services_and_attestation_are_signed_documents()
    {
        await using var node = await TestNode.InitAsync(start: false);
        var add = await CliRunner.RunAsync("service", "add", "--data", node.Folder, "--category", "collaborative-writing", "--name", "Pad", "--url", "https://pad.example", "--software", "Etherpad");
        Assert.True(add.ExitCode == 0, add.ToString());
        var attest = await CliRunner.RunAsync("attestation", "set", "--data", node.Folder, "--met", "open.free-software", "--not-met", "solidarity.spread", "--note", "open.free-software=Tout est libre");
        Assert.True(attest.ExitCode == 0, attest.ToString());
        await node.StartAsync();

        var actor = JsonNode.Parse(await node.Http.GetStringAsync("/actor"))!.AsObject();
        var collection = JsonNode.Parse(await node.Http.GetStringAsync("/services"))!;
        Assert.Equal("https://chaton.test/services/pad", collection["orderedItems"]![0]!.GetValue<string>());
        using var serviceResponse = await node.Http.SendAsync(node.Get("/services/pad"));
        Assert.Equal("application/activity+json", serviceResponse.Content.Headers.ContentType!.MediaType);
        var service = JsonNode.Parse(await serviceResponse.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal("HostedService", service["type"]![1]!.GetValue<string>());
        Assert.True(ProofVerifier.Verify(service, actor).IsValid);
        var attestation = JsonNode.Parse(await node.Http.GetStringAsync("/attestation"))!.AsObject();
        Assert.True(ProofVerifier.Verify(attestation, actor).IsValid);
        var criteria = attestation["criteria"]!.AsArray();
        Assert.Contains(criteria, c => c!["id"]!.GetValue<string>() == "open.free-software" && c["met"]!.GetValue<bool>() && c["note"]!.GetValue<string>() == "Tout est libre");
        Assert.Contains(criteria, c => c!["id"]!.GetValue<string>() == "solidarity.spread" && !c["met"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Documents_answer_304_to_If_None_Match_and_If_Modified_Since()
    {
        await using var node = await TestNode.InitAsync();
        using var first = await node.Http.SendAsync(node.Get("/actor"));
        var etag = first.Headers.ETag!.Tag;
        var body = await first.Content.ReadAsByteArrayAsync();
        using var again = await node.Http.SendAsync(node.Get("/actor"));
        Assert.Equal(body, await again.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, again.Headers.ETag!.Tag);

        using var conditional = node.Get("/actor");
        conditional.Headers.IfNoneMatch.ParseAdd(etag);
        using var notModified = await node.Http.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var byDate = node.Get("/actor");
        byDate.Headers.IfModifiedSince = first.Content.Headers.LastModified;
        using var notModifiedByDate = await node.Http.SendAsync(byDate);
        Assert.Equal(HttpStatusCode.NotModified, notModifiedByDate.StatusCode);

        using var stale = node.Get("/actor");
        stale.Headers.IfNoneMatch.ParseAdd("\"other\"");
        using var full = await node.Http.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
    }

    [Fact]
    public async Task Browsers_get_a_self_contained_page_in_French_or_English()
    {
        await using var node = await TestNode.InitAsync(start: false);
        await CliRunner.RunAsync("service", "add", "--data", node.Folder, "--category", "collaborative-writing", "--name", "Pad", "--url", "https://pad.example");
        await CliRunner.RunAsync("attestation", "set", "--data", node.Folder, "--met", "open.free-software");
        await node.StartAsync();

        using var french = await node.Http.SendAsync(node.Get("/actor", "text/html,application/xhtml+xml"));
        Assert.Equal("text/html", french.Content.Headers.ContentType!.MediaType);
        var html = await french.Content.ReadAsStringAsync();
        Assert.Contains("lang=\"fr\"", html, StringComparison.Ordinal);
        Assert.Contains("Services hébergés", html, StringComparison.Ordinal);
        Assert.Contains("Pad", html, StringComparison.Ordinal);
        Assert.Contains("logiciels libres", html, StringComparison.OrdinalIgnoreCase);
        var csp = french.Headers.GetValues("Content-Security-Policy").Single();
        Assert.StartsWith("default-src 'none'", csp, StringComparison.Ordinal);
        foreach (var forbidden in new[] { "<script", "<link", "src=", "@import", "url(" })
        {
            Assert.DoesNotContain(forbidden, html, StringComparison.OrdinalIgnoreCase);
        }

        using var englishRequest = node.Get("/actor", "text/html");
        englishRequest.Headers.AcceptLanguage.ParseAdd("en-GB,en;q=0.9,fr;q=0.5");
        using var english = await node.Http.SendAsync(englishRequest);
        var englishHtml = await english.Content.ReadAsStringAsync();
        Assert.Contains("lang=\"en\"", englishHtml, StringComparison.Ordinal);
        Assert.Contains("Hosted services", englishHtml, StringComparison.Ordinal);
        Assert.Contains("Services run exclusively on free software", englishHtml, StringComparison.Ordinal);

        using var byQuery = await node.Http.SendAsync(node.Get("/actor?lang=en", "text/html"));
        Assert.Contains("Declaration on the CHATONS charter", await byQuery.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removed_services_answer_410_Gone()
    {
        await using var node = await TestNode.InitAsync();
        Assert.Equal(0, (await CliRunner.RunAsync("service", "add", "--data", node.Folder, "--category", "video", "--name", "Visio", "--url", "https://visio.example")).ExitCode);
        using (var present = await node.Http.SendAsync(node.Get("/services/visio")))
        {
            Assert.Equal(HttpStatusCode.OK, present.StatusCode);
        }

        var remove = await CliRunner.RunAsync("service", "remove", "--data", node.Folder, "visio");
        Assert.True(remove.ExitCode == 0, remove.ToString());
        using var gone = await node.Http.SendAsync(node.Get("/services/visio"));
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        Assert.Equal("Tombstone", JsonNode.Parse(await gone.Content.ReadAsStringAsync())!["type"]!.GetValue<string>());
        using var unknown = await node.Http.SendAsync(node.Get("/services/never"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Outbox_followers_and_following_are_paged_collections()
    {
        await using var node = await TestNode.InitAsync();
        await CliRunner.RunAsync("profile", "set", "--data", node.Folder, "--country", "FR");
        var outbox = JsonNode.Parse(await node.Http.GetStringAsync("/actor/outbox"))!;
        Assert.Equal(2, outbox["totalItems"]!.GetValue<int>());
        var page = JsonNode.Parse(await node.Http.GetStringAsync(outbox["first"]!.GetValue<string>().Replace("https://chaton.test", string.Empty, StringComparison.Ordinal)))!;
        Assert.Equal("OrderedCollectionPage", page["type"]!.GetValue<string>());
        Assert.Equal(2, page["orderedItems"]!.AsArray().Count);
        var followers = JsonNode.Parse(await node.Http.GetStringAsync("/actor/followers"))!;
        Assert.Equal(0, followers["totalItems"]!.GetValue<int>());
        var following = JsonNode.Parse(await node.Http.GetStringAsync("/actor/following"))!;
        Assert.Equal("OrderedCollection", following["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Start_to_first_served_actor_is_quick()
    {
        await using var node = await TestNode.InitAsync(start: false);
        var clock = Stopwatch.StartNew();
        await node.StartAsync();
        using var response = await node.Http.SendAsync(node.Get("/actor"));
        clock.Stop();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The target is 1 s; the bound leaves room for a loaded test machine.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed.TotalMilliseconds} ms");
    }
}
