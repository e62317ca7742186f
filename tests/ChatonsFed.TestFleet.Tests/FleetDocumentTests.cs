using System.Text.Json.Nodes;
using ChatonsFed.Directory.Node;
using ChatonsFed.Federation.Http;
using ChatonsFed.Protocol.Proofs;

namespace ChatonsFed.TestFleet.Tests;

/// <summary>What the fleet serves: real signed documents, plausible content, conditional GETs, the following graph.</summary>
public sealed class FleetDocumentTests : IAsyncLifetime
{
    private FleetServer _fleet = null!;

    public async Task InitializeAsync() => _fleet = await FleetServer.StartAsync(12, new FleetOptions { Seed = 7, Following = FollowingGraph.Ring(2) });

    public async Task DisposeAsync() => await _fleet.DisposeAsync();

    [Fact]
    public async Task Every_signed_document_verifies_against_its_actor_fetched_over_http()
    {
        var client = FleetClient.Create();
        foreach (var chaton in _fleet.Chatons)
        {
            var actor = await client.FetchObjectAsync(chaton.ActorId, CancellationToken.None);
            Assert.True(actor.IsOk, actor.ToString());
            Assert.Equal(FleetDocument.ActivityJson, actor.MediaType);
            var urls = new List<Uri> { chaton.ActorId, chaton.ServicesUrl, chaton.AttestationUrl };
            urls.AddRange(chaton.Services.Select(s => chaton.ServiceUrl(s.Slug)));
            foreach (var url in urls)
            {
                var fetched = await client.FetchObjectAsync(url, CancellationToken.None);
                Assert.True(fetched.IsOk, fetched.ToString());

                var verdict = ProofVerifier.Verify(fetched.Document!, actor.Document!);

                Assert.True(verdict.IsValid, $"{url}: {verdict}");
            }
        }
    }

    [Fact]
    public void Documents_are_what_the_node_library_builds_for_each_chaton()
    {
        var chaton = _fleet[3];
        var actor = chaton.Json(chaton.ActorId);
        var services = chaton.Json(chaton.ServicesUrl);
        var attestation = chaton.Json(chaton.AttestationUrl);

        Assert.Equal($"{_fleet.Origin}c/0004/actor", chaton.ActorId.AbsoluteUri);
        Assert.Equal("c0004", (string?)actor["preferredUsername"]);
        Assert.Equal(chaton.Profile.Name, (string?)actor["name"]);
        Assert.Equal(chaton.ProofKey.ToMultibase(), (string?)actor["assertionMethod"]![0]!["publicKeyMultibase"]);
        Assert.Equal($"{chaton.ActorId}#ed25519-key", (string?)actor["proof"]!["verificationMethod"]);
        Assert.Equal(5, (int?)services["totalItems"]);
        Assert.Equal(
            chaton.Services.Select(s => chaton.ServiceUrl(s.Slug).AbsoluteUri),
            services["orderedItems"]!.AsArray().Select(i => (string?)i));
        Assert.Equal(CharterCriteriaCatalog.LoadDefault().Criteria.Count, attestation["criteria"]!.AsArray().Count);
        Assert.Equal($"Déclaration de {chaton.Profile.Name} sur la charte CHATONS", (string?)attestation["name"]);
    }

    [Fact]
    public void Content_is_plausible_french_chatons()
    {
        var categories = ServiceCategoryCatalog.LoadDefault();
        var chatons = _fleet.Chatons;

        Assert.Equal(chatons.Count, chatons.Select(c => c.Profile.Name).Distinct().Count());
        Assert.Contains(chatons, c => c.Profile.Name.Any(ch => "éèêàâîôûçÉÊÎ".Contains(ch, StringComparison.Ordinal)));
        Assert.All(chatons, c =>
        {
            Assert.Equal("FR", c.Profile.Country);
            Assert.InRange(c.Profile.Location!.Latitude, 41.3, 51.2);
            Assert.InRange(c.Profile.Location.Longitude, -5.2, 9.6);
            Assert.Equal(5, c.Services.Count);
            Assert.Equal(5, c.Services.Select(s => s.Category).Distinct().Count());
            Assert.All(c.Services, s => Assert.True(categories.Contains(s.Category), s.Category));
            Assert.All(c.Services, s => Assert.Contains(s.Software!.Name, categories.Describe(s.Category).Software));
            Assert.Empty(c.Profile.Validate());
            Assert.All(c.Services, s => Assert.Empty(s.Validate()));
            Assert.Empty(c.Declaration.Validate(CharterCriteriaCatalog.LoadDefault()));
        });
        Assert.True(chatons.Select(c => c.Profile.Location!.Name).Distinct().Count() > 6, "chatons are spread over many towns");
    }

    [Fact]
    public async Task Same_seed_gives_the_same_chatons_and_keys_and_each_chaton_its_own_ed25519_key()
    {
        await using var again = await FleetServer.StartAsync(3, new FleetOptions { Seed = 7 });
        await using var other = await FleetServer.StartAsync(3, new FleetOptions { Seed = 8 });

        Assert.Equal(_fleet[2].Profile, again[2].Profile);
        Assert.Equal(_fleet[2].Services, again[2].Services);
        Assert.Equal(_fleet[2].ProofKey, again[2].ProofKey);
        Assert.NotEqual(_fleet[2].ProofKey, other[2].ProofKey);
        Assert.Equal(_fleet.Chatons.Count, _fleet.Chatons.Select(c => c.ProofKey.ToMultibase()).Distinct().Count());
    }

    [Fact]
    public async Task Conditional_gets_answer_not_modified()
    {
        var client = FleetClient.Create();
        var url = _fleet[0].ServiceUrl(_fleet[0].Services[1].Slug);
        var first = await client.FetchObjectAsync(url, CancellationToken.None);

        var byETag = await client.FetchObjectAsync(url, new FetchRequest { IfNoneMatch = first.ETag }, CancellationToken.None);
        var byDate = await client.FetchObjectAsync(url, new FetchRequest { IfModifiedSince = first.LastModified }, CancellationToken.None);
        var stale = await client.FetchObjectAsync(url, new FetchRequest { IfNoneMatch = "\"old\"" }, CancellationToken.None);

        Assert.Equal(_fleet[0].Document(url).ETag, first.ETag);
        Assert.Equal(_fleet[0].Services[1].Updated, first.LastModified);
        Assert.Equal(FetchStatus.NotModified, byETag.Status);
        Assert.Equal(304, byETag.StatusCode);
        Assert.Equal(FetchStatus.NotModified, byDate.Status);
        Assert.Equal(FetchStatus.Ok, stale.Status);
        Assert.Equal(first.Body.ToArray(), stale.Body.ToArray());
        Assert.Equal(4, _fleet.RequestCount(url));
    }

    [Fact]
    public async Task Following_and_followers_link_the_chatons_page_by_page()
    {
        await using var star = await FleetServer.StartAsync(30, new FleetOptions { Following = FollowingGraph.Star, PageSize = 20 });
        var client = FleetClient.Create();
        var hub = star[0];

        var head = (await client.FetchObjectAsync(hub.FollowingUrl, CancellationToken.None)).Document!;
        var page1 = (await client.FetchObjectAsync(new Uri((string)head["first"]!), CancellationToken.None)).Document!;
        var page2 = (await client.FetchObjectAsync(new Uri((string)page1["next"]!), CancellationToken.None)).Document!;
        var followed = page1["orderedItems"]!.AsArray().Concat(page2["orderedItems"]!.AsArray()).Select(i => (string)i!).ToList();
        var followersOfFifth = (await client.FetchObjectAsync(star[4].FollowersUrl, CancellationToken.None)).Document!;

        Assert.Equal(29, (int?)head["totalItems"]);
        Assert.Equal(star.Chatons.Skip(1).Select(c => c.ActorId.AbsoluteUri), followed);
        Assert.Equal(1, (int?)followersOfFifth["totalItems"]);
        Assert.Equal([hub], star[4].Followers);
        Assert.Equal([hub], star[4].Following);
    }

    [Fact]
    public void Ring_graph_follows_the_next_chatons()
    {
        Assert.Equal([_fleet[1], _fleet[2]], _fleet[0].Following);
        Assert.Equal([_fleet[0], _fleet[1]], _fleet[11].Following);
        Assert.Equal([_fleet[10], _fleet[11]], _fleet[0].Followers);
    }

    [Fact]
    public async Task Unknown_paths_answer_404_and_every_request_is_counted()
    {
        var client = FleetClient.Create();
        _fleet.ResetRequestCounts();

        var missing = await client.FetchObjectAsync(new Uri(_fleet.Origin, "c/0001/services/nope"), CancellationToken.None);
        var noChaton = await client.FetchObjectAsync(new Uri(_fleet.Origin, "c/9999/actor"), CancellationToken.None);
        await client.FetchObjectAsync(_fleet[0].ActorId, CancellationToken.None);

        Assert.Equal(404, missing.StatusCode);
        Assert.Equal(404, noChaton.StatusCode);
        Assert.Equal(1, _fleet.RequestCount("/c/0001/services/nope"));
        Assert.Equal(1, _fleet.RequestCount(_fleet[0].ActorId));
        Assert.Equal(3, _fleet.TotalRequests);
    }

    [Fact]
    public void Accented_names_are_served_as_utf8_not_escaped()
    {
        var chaton = _fleet.Chatons.First(c => c.Profile.Name.Any(ch => ch > 127));

        var text = System.Text.Encoding.UTF8.GetString(chaton.Document(chaton.ActorId).Body.Span);

        Assert.Contains(chaton.Profile.Name, text, StringComparison.Ordinal);
        Assert.Equal(chaton.Profile.Name, (string?)JsonNode.Parse(text)!["name"]);
    }
}
