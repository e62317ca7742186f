using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;

namespace ChatonsFed.Web.Tests;

/// <summary>
/// The observatory on the website, in Chromium: a chaton whose services and website are loopback pages, observed with
/// 'chatonsfed directory observe'; each service's badge in French and English, the third-party hosts and trackers, the
/// website's observation, the filters of the search form, and the Method page from the footer.
/// </summary>
[Collection(WebsiteTests.Collection)]
public sealed partial class ObservatoryPagesTests(WebsiteFixture site, ObservatoryPagesTests.Observed observed) : IClassFixture<ObservatoryPagesTests.Observed>
{
    [Fact]
    public async Task In_chromium_each_service_shows_its_badge_third_parties_and_trackers_in_both_languages()
    {
        await using var visit = await BrowserTests.Visit.OpenAsync(site, new BrowserNewContextOptions { BaseURL = observed.Aggregator.PublicUrl });
        var page = visit.Page;
        await page.GotoAsync("/chaton?id=" + Uri.EscapeDataString(observed.ActorId));

        var pad = page.Locator(".service", new PageLocatorOptions { HasText = "Pad" });
        var badge = await pad.Locator(".badge.observed.up").InnerTextAsync();
        Assert.Matches(FrenchBadge(), badge);
        var mail = page.Locator(".service", new PageLocatorOptions { HasText = "Courriel" });
        Assert.StartsWith("erreur (http 404) · 0,0 % sur 30 jours · vérifié il y a", await mail.Locator(".badge.observed.error").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Hôtes tiers chargés : images.other.example, www.google-analytics.com (traqueur)", await pad.Locator(".third-parties").InnerTextAsync());
        Assert.Equal("www.google-analytics.com (traqueur)", await pad.Locator(".third-parties .tracker").InnerTextAsync());
        Assert.Matches(FrenchBadge(), await page.Locator("#observatory .badge.observed.up").First.InnerTextAsync());
        Assert.Contains("est déclaré ouvert à l'inscription, mais sa page répond 404", await page.Locator("#observatory .discrepancies").InnerTextAsync(), StringComparison.Ordinal);
        await visit.ScreenshotAsync("observatory-chaton-desktop-fr", fullPage: true);

        await page.GotoAsync("/chaton?lang=en&id=" + Uri.EscapeDataString(observed.ActorId));
        Assert.Matches(EnglishBadge(), await page.Locator(".service", new PageLocatorOptions { HasText = "Pad" }).Locator(".badge.observed.up").InnerTextAsync());

        // The footer leads to the Method page, which names the User-Agent and the interval.
        await visit.ClickThenAsync("#method-link", "/method");
        Assert.Equal($"ChatonsFed-Observatory/1.0 (+{observed.Aggregator.PublicUrl}/methode)", await page.InnerTextAsync("#user-agent"));
        Assert.Equal("30 minutes", await page.InnerTextAsync("#interval"));
        visit.AssertOnlyOriginAndNoErrors(observed.Aggregator.PublicUrl);
    }

    [Fact]
    public async Task In_chromium_the_observed_and_third_party_filters_keep_the_chatons_that_match()
    {
        await using var visit = await BrowserTests.Visit.OpenAsync(site, new BrowserNewContextOptions { BaseURL = observed.Aggregator.PublicUrl });
        var page = visit.Page;
        await page.GotoAsync("/");
        Assert.Equal(2, await page.Locator("#hits .hit").CountAsync());

        await page.ClickAsync("details.criteria summary");
        await page.SelectOptionAsync("#thirdParty", "none");
        await visit.ClickThenAsync("#search button[type=submit]", "thirdParty=none");
        Assert.Equal(["Marmotte"], await page.Locator("#hits .hit h3 a").AllInnerTextsAsync());
        Assert.Equal("none", await page.InputValueAsync("#thirdParty"));

        await page.SelectOptionAsync("#thirdParty", string.Empty);
        await page.SelectOptionAsync("#observed", "up");
        await page.SelectOptionAsync("#category", "collaborative-writing");
        await visit.ClickThenAsync("#search button[type=submit]", "observed=up");
        Assert.Equal(["Lynx"], await page.Locator("#hits .hit h3 a").AllInnerTextsAsync());
        visit.AssertOnlyOriginAndNoErrors(observed.Aggregator.PublicUrl);
    }

    [GeneratedRegex(@"^en ligne · 100,0 % sur 30 jours · vérifié il y a (moins d'une minute|\d+ min)$")]
    private static partial Regex FrenchBadge();

    [GeneratedRegex(@"^up · 100\.0 % over 30 days · checked (less than a minute|\d+ min) ago$")]
    private static partial Regex EnglishBadge();

    /// <summary>Two chatons on nodes of their own, whose pages a loopback server serves, and an aggregator that observed them.</summary>
    public sealed class Observed : IAsyncLifetime
    {
        private const string TrackerPage = """<!DOCTYPE html><html><head><script src="https://www.google-analytics.com/analytics.js"></script></head><body><img src="https://images.other.example/a.png" alt=""></body></html>""";

        private readonly List<TestNode> _nodes = [];
        private LoopbackServer _pages = null!;

        internal TestAggregator Aggregator { get; private set; } = null!;

        public string ActorId => _nodes[0].PublicUrl + "/actor";

        public async Task InitializeAsync()
        {
            _pages = await LoopbackServer.StartAsync(context =>
            {
                if (context.Request.Path == "/inscription")
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                context.Response.ContentType = "text/html; charset=utf-8";
                return context.Response.WriteAsync(context.Request.Path == "/pad" ? TrackerPage : "<!DOCTYPE html><p>Bienvenue</p>", context.RequestAborted);
            });
            var u = _pages.Url;
            await AddAsync("lynx", "Lynx",
                ["profile", "set", "--website", u + "/", "--legal-notice", u + "/mentions"],
                ["service", "add", "--slug", "pad", "--category", "collaborative-writing", "--name", "Pad", "--url", u + "/pad", "--registration", "none", "--status", "ok"],
                ["service", "add", "--slug", "mail", "--category", "email", "--name", "Courriel", "--url", u + "/inscription", "--registration", "free", "--capacity", "open", "--status", "ok"]);
            await AddAsync("marmotte", "Marmotte",
                ["profile", "set", "--website", u + "/marmotte"],
                ["service", "add", "--slug", "visio", "--category", "video-conference", "--name", "Visio", "--url", u + "/visio", "--registration", "none", "--status", "ok"]);
            Aggregator = await TestAggregator.InitAsync(_nodes.Select(n => n.PublicUrl + "/actor"), s => s["FollowChatons"] = false);
            await Aggregator.Directory.RefreshAsync(null, CancellationToken.None);
            await TestHost.CliAsync("directory", "observe", "--data", Aggregator.Folder);
        }

        public async Task DisposeAsync()
        {
            await Aggregator.DisposeAsync();
            foreach (var node in _nodes)
            {
                await node.DisposeAsync();
            }

            await _pages.DisposeAsync();
        }

        private async Task AddAsync(string handle, string name, params string[][] changes)
        {
            var node = await TestNode.InitAsync($"http://127.0.0.1:{TestHost.FreePort()}", start: false, handle, name);
            _nodes.Add(node);
            foreach (var change in changes)
            {
                await TestHost.CliAsync([.. change, "--data", node.Folder]);
            }

            await node.StartOnPublicUrlAsync();
        }
    }
}
