using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatonsFed.Directory.Node;

namespace ChatonsFed.Web.Tests;

/// <summary>The website's HTML as a browser without JavaScript gets it: list, chaton pages, languages, policy.</summary>
[Collection(WebsiteTests.Collection)]
public sealed partial class ServerRenderedTests(WebsiteFixture site)
{
    internal static async Task<(HttpResponseMessage Response, string Html)> GetAsync(WebsiteFixture site, string path, string? acceptLanguage = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html");
        if (acceptLanguage is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(acceptLanguage);
        }

        var response = await site.Aggregator.Http.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Text as the pages write it: markup characters escaped, letters as they are.</summary>
    internal static string Html(string text) => System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All).Encode(text);

    private static int Hits(string html) => HitPattern().Count(html);

    [GeneratedRegex("<li class=\"hit\"")]
    private static partial Regex HitPattern();

    [Fact]
    public async Task The_home_page_lists_every_chaton_in_French_by_default_under_a_strict_policy()
    {
        var (response, html) = await GetAsync(site, "/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<html lang=\"fr\">", html, StringComparison.Ordinal);
        Assert.Contains($"{WebsiteFixture.Chatons} chatons trouvés", html, StringComparison.Ordinal);
        Assert.Equal(WebsiteFixture.Chatons, Hits(html));
        foreach (var chaton in site.Fleet.Chatons)
        {
            Assert.Contains(Html(chaton.Profile.Name), html, StringComparison.Ordinal);
        }

        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.StartsWith("default-src 'self'; script-src 'self'; style-src 'self';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("http", policy, StringComparison.Ordinal);
        // Nothing is loaded from elsewhere, and there is no inline script or style.
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//[^\"]*\"[^>]*>\\s*</script>|<link[^>]*href=\"(https?:)?//", html);
        Assert.DoesNotMatch("<script>|<script(?![^>]*\\ssrc=)[^>]*>|<style|\\sstyle=", html);
    }

    [Fact]
    public async Task English_is_chosen_by_accept_language_or_by_the_lang_parameter_which_links_carry_on()
    {
        var (_, english) = await GetAsync(site, "/", "en-GB,en;q=0.9,fr;q=0.5");
        Assert.Contains("<html lang=\"en\">", english, StringComparison.Ordinal);
        Assert.Contains("Find a chaton", english, StringComparison.Ordinal);
        Assert.Contains($"{WebsiteFixture.Chatons} chatons found", english, StringComparison.Ordinal);
        // No link carries the language the visitor did not choose, except the English feed's, which every page gives.
        Assert.Contains("<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/feed.atom?lang=en\"", english, StringComparison.Ordinal);
        Assert.DoesNotContain("lang=en", english.Replace("href=\"/feed.atom?lang=en\"", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);

        var (response, chosen) = await GetAsync(site, "/?lang=en", "fr-FR");
        Assert.Equal("en", response.Content.Headers.ContentLanguage.Single());
        Assert.Contains("<html lang=\"en\">", chosen, StringComparison.Ordinal);
        Assert.Contains("<input type=\"hidden\" name=\"lang\" value=\"en\">", chosen, StringComparison.Ordinal);
        Assert.Contains("/chaton?id=" + Uri.EscapeDataString(site.Fleet[0].ActorId.AbsoluteUri) + "&amp;lang=en", chosen, StringComparison.Ordinal);

        var (_, french) = await GetAsync(site, "/?lang=fr", "en");
        Assert.Contains("<html lang=\"fr\">", french, StringComparison.Ordinal);
        Assert.Contains("Trouver un chaton", french, StringComparison.Ordinal);
        Assert.Contains("href=\"/?lang=en\"", french, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_search_by_service_lists_what_the_directory_api_finds()
    {
        var category = site.Fleet[3].Services[0].Category;
        var api = await site.ApiSearchAsync("category=" + category);
        var total = api["total"]!.GetValue<int>();
        Assert.InRange(total, 1, WebsiteFixture.Chatons);

        var (response, html) = await GetAsync(site, "/?q=&category=" + category + "&near=&radius=50&structure=&sort=name");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(total, Hits(html));
        foreach (var item in api["items"]!.AsArray())
        {
            Assert.Contains("data-id=\"" + item!["id"]!.GetValue<string>() + "\"", html, StringComparison.Ordinal);
        }

        Assert.Contains($"<option value=\"{category}\" selected>", html, StringComparison.Ordinal);
        Assert.Contains("data-api=\"/api/directory/search?category=" + category + "&amp;sort=name\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_search_near_a_place_sorts_by_distance_and_shows_each_distance()
    {
        var api = await site.ApiSearchAsync("near=45.76,4.84&radius=300&sort=distance");
        var (response, html) = await GetAsync(site, "/?near=45.76%2C+4.84&radius=300&sort=distance");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ids = HitIdPattern().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal([.. api["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>())], ids);
        Assert.Equal(ids.Count, DistancePattern().Count(html));
        Assert.Contains("data-near=\"45.76,4.84,300\"", html, StringComparison.Ordinal);
    }

    [GeneratedRegex("<li class=\"hit\" data-id=\"([^\"]+)\"")]
    private static partial Regex HitIdPattern();

    [GeneratedRegex("<span class=\"distance\">à [0-9,]+ km</span>")]
    private static partial Regex DistancePattern();

    [Fact]
    public async Task Criteria_filters_match_the_api_and_pages_follow_each_other()
    {
        var api = await site.ApiSearchAsync("structure=ASSOCIATION&open=true&charter=all");
        var (_, html) = await GetAsync(site, "/?structure=ASSOCIATION&registration=&membership=&charter=all&open=true");
        Assert.Equal(api["total"]!.GetValue<int>(), Hits(html));

        var (_, first) = await GetAsync(site, "/?offset=0&q=");
        Assert.Equal(WebsiteFixture.Chatons, Hits(first));
        Assert.DoesNotContain("rel=\"next\"", first, StringComparison.Ordinal);
        var (_, second) = await GetAsync(site, "/?offset=20");
        Assert.Equal(WebsiteFixture.Chatons - 20, Hits(second));
        Assert.Contains("<ol id=\"hits\" class=\"hits\" start=\"21\">", second, StringComparison.Ordinal);
        Assert.Contains("rel=\"prev\" href=\"/\"", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_search_that_cannot_be_read_says_why()
    {
        var (response, html) = await GetAsync(site, "/?near=north&radius=10");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("role=\"alert\">near &#x27;north&#x27; must be 2 numbers", html, StringComparison.Ordinal);
        Assert.Contains("value=\"north\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chaton_page_shows_its_profile_services_charter_verification_and_follow_form()
    {
        var chaton = site.Fleet[5];
        var (response, html) = await GetAsync(site, "/chaton?id=" + Uri.EscapeDataString(chaton.ActorId.AbsoluteUri));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<h1>" + Html(chaton.Profile.Name) + "</h1>", html, StringComparison.Ordinal);
        Assert.Contains($"@{chaton.Handle}@{chaton.ActorId.Authority}", html, StringComparison.Ordinal);
        foreach (var service in chaton.Services)
        {
            Assert.Contains(Html(service.Name), html, StringComparison.Ordinal);
            if (service.Software is { } software)
            {
                Assert.Contains(Html(software.Name), html, StringComparison.Ordinal);
            }
        }

        var criteria = CharterCriteriaCatalog.LoadDefault();
        Assert.Equal(criteria.Criteria.Count, CriterionRowPattern().Count(html));
        Assert.Equal(criteria.Parts.Count, Regex.Count(html, "<table class=\"criteria\">"));
        Assert.Matches("Signé par sa propre clé, vérifié le <time datetime=\"[0-9T:Z-]+\">[0-9-]+ [0-9:]+ UTC</time>", html);
        Assert.Contains("Dans cet annuaire depuis le", html, StringComparison.Ordinal);
        Assert.Contains("<form class=\"follow\" method=\"get\" action=\"/follow\">", html, StringComparison.Ordinal);
        Assert.Contains("data-point=\"", html, StringComparison.Ordinal);

        var (_, english) = await GetAsync(site, "/chaton?lang=en&id=" + Uri.EscapeDataString(chaton.ActorId.AbsoluteUri));
        Assert.Contains("Hosted services", english, StringComparison.Ordinal);
        Assert.Matches("Signed by its own key, checked at <time", english);
        Assert.Contains("Follow on the fediverse", english, StringComparison.Ordinal);
    }

    [GeneratedRegex("<tr><td>[^<]+</td><td>(obligatoire|recommandé)</td><td class=\"(met|unmet|unknown)\">")]
    private static partial Regex CriterionRowPattern();

    [Fact]
    public async Task An_unknown_chaton_is_not_found()
    {
        var (response, html) = await GetAsync(site, "/chaton?id=" + Uri.EscapeDataString("https://nowhere.example/actor"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Chaton introuvable", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mastodon.example", "mastodon.example")]
    [InlineData("@someone@Social.Example", "social.example")]
    [InlineData("https://pleroma.example:8443/web", "pleroma.example:8443")]
    public async Task Following_hands_off_to_the_visitors_instance(string typed, string host)
    {
        var actor = site.Fleet[2].ActorId.AbsoluteUri;
        var (response, html) = await GetAsync(site, "/follow?id=" + Uri.EscapeDataString(actor) + "&instance=" + Uri.EscapeDataString(typed));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("href=\"https://" + host + "/authorize_interaction?uri=" + Uri.EscapeDataString(actor) + "\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("localhost")]
    [InlineData("http://plain.example")]
    [InlineData("")]
    public async Task An_instance_that_is_no_https_host_is_refused(string typed)
    {
        var actor = site.Fleet[2].ActorId.AbsoluteUri;
        var (response, html) = await GetAsync(site, "/follow?id=" + Uri.EscapeDataString(actor) + "&instance=" + Uri.EscapeDataString(typed));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("authorize_interaction", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_map_files_are_served_by_the_aggregator_itself()
    {
        foreach (var (path, type) in new[]
        {
            ("/assets/leaflet.js", "text/javascript"), ("/assets/leaflet.css", "text/css"), ("/assets/site.js", "text/javascript"),
            ("/assets/site.css", "text/css"), ("/assets/images/marker-icon.png", "image/png"), ("/assets/countries.geojson", "application/geo+json"),
        })
        {
            using var response = await site.Aggregator.Http.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, path);
            Assert.Equal(type, response.Content.Headers.ContentType!.MediaType);
        }

        var outlines = JsonNode.Parse(await site.Aggregator.Http.GetStringAsync("/assets/countries.geojson"))!;
        Assert.Equal("FeatureCollection", outlines["type"]!.GetValue<string>());
        Assert.Contains(outlines["features"]!.AsArray(), f => f!["properties"]!["name"]!.GetValue<string>() == "France");

        using var missing = await site.Aggregator.Http.GetAsync("/assets/nothing.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task A_tile_server_is_allowed_by_the_policy_only_when_set_and_a_bad_one_stops_the_start()
    {
        await using var tiled = await TestAggregator.InitAsync([], s => s["Website"] = new JsonObject
        {
            ["TileUrl"] = "https://{s}.tiles.example/{z}/{x}/{y}.png",
            ["TileAttribution"] = "© Example <contributors>",
        });
        using var response = await tiled.Http.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("img-src 'self' data: https://*.tiles.example;", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("data-tiles=\"https://{s}.tiles.example/{z}/{x}/{y}.png\" data-attribution=\"© Example &lt;contributors&gt;\"", html, StringComparison.Ordinal);

        await using var wrong = await TestAggregator.InitAsync([], s => s["Website"] = new JsonObject { ["TileUrl"] = "tiles.example" }, start: false);
        var failure = await Assert.ThrowsAnyAsync<Exception>(wrong.StartAsync);
        Assert.Contains("ChatonsFed:Aggregator:Website:TileUrl 'tiles.example' is not a tile URL template", failure.Message, StringComparison.Ordinal);

        await using var off = await TestAggregator.InitAsync([], s => s["Website"] = new JsonObject { ["Enabled"] = false });
        using var none = await off.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }
}
