using System.Collections.Concurrent;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace ChatonsFed.Web.Tests;

/// <summary>
/// The website in the machine's Chromium: searches, near me with a mocked geolocation, criteria, the language switch,
/// a chaton page and the follow hand-off, the map linked with the list, axe-core, phone-sized screens. Every test
/// checks that each request the page made went to the aggregator, and that the policy blocked nothing.
/// </summary>
[Collection(WebsiteTests.Collection)]
public sealed class BrowserTests(WebsiteFixture site)
{
    private static readonly ViewportSize Desktop = new() { Width = 1280, Height = 900 };
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    /// <summary>A page in a new context that records every request and every console error.</summary>
    internal sealed class Visit : IAsyncDisposable
    {
        private readonly IBrowserContext _context;

        private Visit(IBrowserContext context, IPage page)
        {
            _context = context;
            Page = page;
            page.Request += (_, request) => Requests.Add(request.Url);
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    Errors.Add(message.Text + " " + message.Location);
                }
            };
            page.PageError += (_, error) => Errors.Add(error);
        }

        public IPage Page { get; }

        /// <summary>The browser context: its cookies, its requests.</summary>
        public IBrowserContext Context => _context;

        public ConcurrentBag<string> Requests { get; } = [];

        public ConcurrentBag<string> Errors { get; } = [];

        public static async Task<Visit> OpenAsync(WebsiteFixture site, BrowserNewContextOptions? options = null)
        {
            options ??= new BrowserNewContextOptions();
            options.BaseURL ??= site.Origin;
            return await OpenAsync(await site.BrowserAsync(), options);
        }

        /// <summary>A page of <paramref name="browser"/> in a new context (desktop-sized and French unless <paramref name="options"/> say otherwise).</summary>
        public static async Task<Visit> OpenAsync(IBrowser browser, BrowserNewContextOptions options)
        {
            ArgumentNullException.ThrowIfNull(browser);
            ArgumentNullException.ThrowIfNull(options);
            options.ViewportSize ??= Desktop;
            options.Locale ??= "fr-FR";
            var context = await browser.NewContextAsync(options);
            // Pages load in well under a second; the margin is for a loaded two-core machine running the whole suite.
            context.SetDefaultTimeout(60_000);
            context.SetDefaultNavigationTimeout(60_000);
            return new Visit(context, await context.NewPageAsync());
        }

        /// <summary>Every request went to the aggregator's origin, and nothing was blocked or failed in the page.</summary>
        public void AssertOnlyOwnOriginAndNoErrors(WebsiteFixture site) => AssertOnlyOriginAndNoErrors(site.Origin);

        /// <summary>
        /// Every request went to <paramref name="origin"/>, and nothing was blocked or failed in the page, but for pages of
        /// <paramref name="origin"/> answered with one of the <paramref name="expectedStatuses"/> (a form sent back with
        /// its errors, for instance), which the browser reports as errors.
        /// </summary>
        public void AssertOnlyOriginAndNoErrors(string origin, params int[] expectedStatuses)
        {
            ArgumentNullException.ThrowIfNull(expectedStatuses);
            Assert.NotEmpty(Requests);
            Assert.All(Requests, url => Assert.StartsWith(origin + "/", url, StringComparison.Ordinal));
            var unexpected = Errors.Where(error => !expectedStatuses.Any(status =>
                error.StartsWith($"Failed to load resource: the server responded with a status of {status} ", StringComparison.Ordinal)
                && error.Contains(" " + origin + "/", StringComparison.Ordinal))).ToList();
            Assert.True(unexpected.Count == 0, string.Join("\n", unexpected));
        }

        /// <summary>What the screen shows (the whole page with <paramref name="fullPage"/>), kept under .test-results/screenshots.</summary>
        public async Task ScreenshotAsync(string name, bool fullPage = false)
        {
            System.IO.Directory.CreateDirectory(WebsiteFixture.ScreenshotFolder);
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(WebsiteFixture.ScreenshotFolder, name + ".png"), FullPage = fullPage });
        }

        /// <summary>The map's markers are in place (site.js writes their count once the hits are loaded).</summary>
        public async Task<int> MarkersAsync()
        {
            await Page.WaitForSelectorAsync("#map[data-markers]", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
            return int.Parse(await Page.GetAttributeAsync("#map", "data-markers") ?? "-1", System.Globalization.CultureInfo.InvariantCulture);
        }

        /// <summary>Waits until the element of <paramref name="selector"/> is visible and keeps its place on the screen.</summary>
        public async Task WaitUntilStillAsync(string selector)
        {
            var element = Page.Locator(selector).First; // the element Page.ClickAsync would click
            await element.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var before = await element.BoundingBoxAsync();
            while (clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(200);
                var now = await element.BoundingBoxAsync();
                if (now is not null && before is not null && now.X == before.X && now.Y == before.Y)
                {
                    return;
                }

                before = now;
            }

            throw new TimeoutException($"{selector} still moves after 30 s");
        }

        /// <summary>Clicks and waits for the page whose URL holds <paramref name="urlPart"/>.</summary>
        public async Task ClickThenAsync(string selector, string urlPart)
        {
            // A map popup pans the map to fit (an animation): click once the element stands still, not while it moves.
            await WaitUntilStillAsync(selector);
            await Page.ClickAsync(selector);
            try
            {
                // Wait for the new page's URL to be committed and its document parsed, not for its 'load' event: on a
                // busy machine the page could be at the right URL with the wait still pending on 'load'.
                await Page.WaitForURLAsync(url => url.Contains(urlPart, StringComparison.Ordinal), new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
                await Page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
            }
            catch (TimeoutException e)
            {
                var status = await Page.Locator("#map-status").CountAsync() > 0 ? await Page.InnerTextAsync("#map-status") : string.Empty;
                throw new TimeoutException($"no page with '{urlPart}' after a click on {selector}: at {Page.Url}, map status '{status}', errors: {string.Join(" | ", Errors)}", e);
            }
        }

        public async ValueTask DisposeAsync() => await _context.DisposeAsync();
    }

    /// <summary>The home page, once the map shows its markers.</summary>
    private async Task<Visit> HomeWithMarkersAsync()
    {
        var visit = await Visit.OpenAsync(site);
        await visit.Page.GotoAsync("/");
        await visit.MarkersAsync();
        return visit;
    }

    /// <summary>axe-core finds no serious or critical violation in the page as it is.</summary>
    internal static async Task AssertNoSeriousViolationAsync(IPage page)
    {
        var results = await page.RunAxe();
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(v => $"{v.Impact} {v.Id}: {v.Help} — {string.Join(" | ", v.Nodes.Select(n => n.Html))}")));
    }

    private async Task<int> ApiTotalAsync(string query) => (await site.ApiSearchAsync(query))["total"]!.GetValue<int>();

    [Fact]
    public async Task Search_by_service_lists_and_maps_the_chatons_that_host_it()
    {
        await using var visit = await Visit.OpenAsync(site);
        var page = visit.Page;
        await page.GotoAsync("/");
        Assert.Equal(WebsiteFixture.Chatons, await visit.MarkersAsync());
        Assert.Equal(WebsiteFixture.Chatons, await page.Locator(".leaflet-marker-icon").CountAsync());
        await visit.ScreenshotAsync("home-desktop-fr");

        var category = site.Fleet[3].Services[0].Category;
        await page.SelectOptionAsync("#category", category);
        await visit.ClickThenAsync("#search button[type=submit]", "category=" + category);

        var total = await ApiTotalAsync("category=" + category);
        Assert.Equal(total, await page.Locator("#hits .hit").CountAsync());
        Assert.Equal(total, await visit.MarkersAsync());
        Assert.Equal(category, await page.InputValueAsync("#category"));
        await visit.ScreenshotAsync("search-by-service-desktop");
        visit.AssertOnlyOwnOriginAndNoErrors(site);
    }

    [Fact]
    public async Task Near_me_uses_the_browsers_position_and_sorts_by_distance()
    {
        await using var visit = await Visit.OpenAsync(site, new BrowserNewContextOptions
        {
            Geolocation = new Geolocation { Latitude = 45.764f, Longitude = 4.8357f },
            Permissions = ["geolocation"],
        });
        var page = visit.Page;
        await page.GotoAsync("/");
        await page.SelectOptionAsync("#radius", "200");
        await visit.ClickThenAsync("#near-me", "near=45.76");

        Assert.Contains("sort=distance", page.Url, StringComparison.Ordinal);
        Assert.Contains("radius=200", page.Url, StringComparison.Ordinal);
        var total = await ApiTotalAsync("near=45.764,4.8357&radius=200");
        var hits = page.Locator("#hits .hit");
        Assert.Equal(total, await hits.CountAsync());
        var distances = await page.Locator("#hits .distance").AllInnerTextsAsync();
        Assert.Equal(total, distances.Count);
        var kilometres = distances.Select(d => double.Parse(d.Replace("à ", string.Empty, StringComparison.Ordinal).Replace(" km", string.Empty, StringComparison.Ordinal).Replace(',', '.'), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(kilometres.Order(), kilometres);
        Assert.All(kilometres, km => Assert.InRange(km, 0, 200));
        Assert.Equal(total, await visit.MarkersAsync());
        Assert.Equal(1, await page.Locator("path.leaflet-interactive, path[stroke='#b34700']").CountAsync());
        await visit.ScreenshotAsync("near-me-desktop");
        visit.AssertOnlyOwnOriginAndNoErrors(site);
    }

    [Fact]
    public async Task A_click_on_the_map_chooses_the_centre_of_the_search()
    {
        await using var visit = await HomeWithMarkersAsync();
        var page = visit.Page;
        var map = await page.Locator("#map").BoundingBoxAsync();
        await page.Mouse.ClickAsync(map!.X + 20, map.Y + map.Height - 20);

        var near = await page.InputValueAsync("#near");
        Assert.Matches("^-?[0-9]+\\.[0-9]{4}, -?[0-9]+\\.[0-9]{4}$", near);
        Assert.Contains(near, await page.InnerTextAsync("#map-status"), StringComparison.Ordinal);
        await visit.ClickThenAsync(".leaflet-popup-content button", "near=");
        Assert.Equal("distance", await page.InputValueAsync("#sort"));
        visit.AssertOnlyOwnOriginAndNoErrors(site);
    }

    [Fact]
    public async Task Criteria_filters_narrow_the_list_and_the_url_holds_them()
    {
        await using var visit = await Visit.OpenAsync(site);
        var page = visit.Page;
        await page.GotoAsync("/");
        await page.ClickAsync("details.criteria summary");
        await page.SelectOptionAsync("#structure", "ASSOCIATION");
        await page.SelectOptionAsync("#registration", "free");
        await page.SelectOptionAsync("#charter", "all");
        await page.CheckAsync("#open");
        await visit.ClickThenAsync("#search button[type=submit]", "structure=ASSOCIATION");

        var total = await ApiTotalAsync("structure=ASSOCIATION&registration=free&charter=all&open=true");
        Assert.Equal(total, await page.Locator("#hits .hit").CountAsync());
        Assert.Contains("registration=free", page.Url, StringComparison.Ordinal);
        Assert.Contains("charter=all", page.Url, StringComparison.Ordinal);
        Assert.Contains("open=true", page.Url, StringComparison.Ordinal);
        Assert.True(await page.IsCheckedAsync("#open"));

        // The URL alone gives the same page: a search can be shared.
        var shared = page.Url;
        await using var other = await Visit.OpenAsync(site);
        await other.Page.GotoAsync(shared);
        Assert.Equal(total, await other.Page.Locator("#hits .hit").CountAsync());
        Assert.Equal("ASSOCIATION", await other.Page.InputValueAsync("#structure"));
        Assert.True(await other.Page.IsVisibleAsync("#structure"), "the criteria in use are shown");
        visit.AssertOnlyOwnOriginAndNoErrors(site);
    }

    [Fact]
    public async Task The_language_switch_turns_the_site_to_English_and_the_choice_is_kept()
    {
        await using var visit = await Visit.OpenAsync(site);
        var page = visit.Page;
        await page.GotoAsync("/");
        Assert.Equal("fr", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal("Trouver un chaton", await page.InnerTextAsync("h1"));

        await visit.ClickThenAsync("#language-switch", "lang=en");
        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal("Find a chaton", await page.InnerTextAsync("h1"));
        Assert.Equal("Use my position", await page.InnerTextAsync("#near-me"));

        await page.ClickAsync("details.criteria summary");
        await page.SelectOptionAsync("#structure", "ASSOCIATION");
        await visit.ClickThenAsync("#search button[type=submit]", "structure=ASSOCIATION");
        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        await visit.ClickThenAsync("#hits .hit h3 a", "/chaton?");
        Assert.Equal("Hosted services", await page.InnerTextAsync("#services"));
        await visit.ScreenshotAsync("chaton-desktop-en");

        await visit.ClickThenAsync("#language-switch", "lang=fr");
        Assert.Equal("Services hébergés", await page.InnerTextAsync("#services"));
        visit.AssertOnlyOwnOriginAndNoErrors(site);
    }

    [Fact]
    public async Task A_chaton_page_shows_everything_and_hands_the_follow_to_the_visitors_instance()
    {
        await using var visit = await Visit.OpenAsync(site);
        var page = visit.Page;
        var chaton = site.Fleet[7];
        await page.GotoAsync("/?q=" + Uri.EscapeDataString(chaton.Profile.Name));
        await visit.ClickThenAsync($"#hits .hit[data-id='{chaton.ActorId.AbsoluteUri}'] h3 a", "/chaton?");

        Assert.Equal(chaton.Profile.Name, await page.InnerTextAsync("h1"));
        Assert.Equal(chaton.Services.Count, await page.Locator(".service").CountAsync());
        Assert.Equal(ChatonsFed.Directory.Node.CharterCriteriaCatalog.LoadDefault().Criteria.Count, await page.Locator("table.criteria tbody tr").CountAsync());
        Assert.StartsWith("Signé par sa propre clé, vérifié le ", await page.InnerTextAsync(".verification li"), StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator(".leaflet-marker-icon").CountAsync());
        await visit.ScreenshotAsync("chaton-desktop-fr");
        await visit.ScreenshotAsync("chaton-desktop-fr-full", fullPage: true);

        await page.FillAsync("#instance", "@moi@mastodon.example");
        await visit.ClickThenAsync("form.follow button", "/follow?");
        Assert.Equal("https://mastodon.example/authorize_interaction?uri=" + Uri.EscapeDataString(chaton.ActorId.AbsoluteUri), await page.GetAttributeAsync("#follow-link", "href"));
        visit.AssertOnlyOwnOriginAndNoErrors(site);
    }

    [Fact]
    public async Task The_list_and_the_map_are_linked_both_ways()
    {
        await using var visit = await HomeWithMarkersAsync();
        var page = visit.Page;
        var first = page.Locator("#hits .hit").First;
        var name = await first.Locator("h3").InnerTextAsync();

        await first.Locator(".show-on-map").ClickAsync();
        Assert.Equal(name, await page.InnerTextAsync(".leaflet-popup-content strong"));
        Assert.Contains("selected", await first.GetAttributeAsync("class") ?? string.Empty, StringComparison.Ordinal);

        await visit.WaitUntilStillAsync(".leaflet-popup-content a[href='#']");
        await page.ClickAsync(".leaflet-popup-content a[href='#']");
        await Assertions.Expect(first.Locator("h3 a")).ToBeFocusedAsync();

        // A marker reached with the keyboard opens its popup, which links to the chaton's page.
        await page.Locator(".leaflet-marker-icon").Nth(3).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await visit.ClickThenAsync(".leaflet-popup-content a[href^='/chaton']", "/chaton?");
        visit.AssertOnlyOwnOriginAndNoErrors(site);
    }

    [Fact]
    public async Task The_list_and_chaton_pages_work_without_javascript()
    {
        await using var visit = await Visit.OpenAsync(site, new BrowserNewContextOptions { JavaScriptEnabled = false });
        var page = visit.Page;
        await page.GotoAsync("/");
        Assert.Equal(WebsiteFixture.Chatons, await page.Locator("#hits .hit").CountAsync());
        Assert.False(await page.IsVisibleAsync("#map"));
        await page.FillAsync("#near", "43.6, 1.44");
        await page.SelectOptionAsync("#sort", "distance");
        await visit.ClickThenAsync("#search button[type=submit]", "near=");
        Assert.Equal(await ApiTotalAsync("near=43.6,1.44&radius=50"), await page.Locator("#hits .hit").CountAsync());
        await page.GotoAsync("/?lang=en");
        await page.ClickAsync("#hits .hit h3 a");
        Assert.Equal("Charter declaration", await page.InnerTextAsync("#charter"));
        visit.AssertOnlyOwnOriginAndNoErrors(site);
    }

    [Fact]
    public async Task Unsigned_entries_are_listed_apart_after_the_verified_ones_badged_off_the_map_with_a_page_of_their_own()
    {
        await using var visit = await Visit.OpenAsync(site);
        var page = visit.Page;
        await page.GotoAsync("/?software=etherpad");

        // The map shows the verified hits only; the unsigned section comes below the verified list, badged.
        var total = await ApiTotalAsync("software=etherpad");
        Assert.Equal(total, await visit.MarkersAsync());
        Assert.Equal(total, await page.Locator(".leaflet-marker-icon").CountAsync());
        Assert.Equal(total, await page.Locator("#hits .hit").CountAsync());
        var section = page.Locator("#unsigned");
        Assert.Equal("Non signés, d'après ChatonsInfos", await section.Locator("h2").InnerTextAsync());
        var item = section.Locator("#unsigned-hits .hit.unsigned");
        Assert.Equal(1, await item.CountAsync());
        Assert.True(await item.Locator(".badge").IsVisibleAsync());
        Assert.Equal("Non signé", await item.Locator(".badge").InnerTextAsync());
        Assert.Equal(0, await page.Locator("#hits .badge").CountAsync());
        Assert.Equal(0, await item.Locator(".show-on-map").CountAsync());
        var list = await page.Locator("#hits").BoundingBoxAsync();
        var apart = await section.BoundingBoxAsync();
        Assert.True(apart!.Y >= list!.Y + list.Height, "the unsigned section is below the verified list");
        await AssertNoSeriousViolationAsync(page);
        await section.ScrollIntoViewIfNeededAsync();
        await visit.ScreenshotAsync("unsigned-section-desktop-fr");

        // Its page: the notice first, naming the files; what the file says; no follow form and no map.
        await visit.ClickThenAsync("#unsigned-hits .hit.unsigned h3 a", "/unsigned?");
        Assert.Equal("Non signé, d'après ChatonsInfos", await page.Locator(".unsigned-notice h2").InnerTextAsync());
        Assert.Contains(site.Federation, await page.Locator(".unsigned-notice").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Etherpad 1.9.7", await page.Locator(".services-list").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("form.follow, #map").CountAsync());
        await AssertNoSeriousViolationAsync(page);
        await visit.ScreenshotAsync("unsigned-entry-desktop-fr", fullPage: true);
        visit.AssertOnlyOwnOriginAndNoErrors(site);
    }

    [Theory]
    [InlineData("/", "fr", false)]
    [InlineData("/?lang=en&category=email", "en", false)]
    [InlineData("/?near=45.76,4.84&radius=200&sort=distance", "fr", true)]
    [InlineData("/chaton", "fr", false)]
    [InlineData("/chaton", "en", true)]
    [InlineData("/unsigned", "en", true)]
    public async Task Axe_core_finds_no_serious_violation(string path, string lang, bool phone)
    {
        await using var visit = await Visit.OpenAsync(site, new BrowserNewContextOptions
        {
            ViewportSize = phone ? Phone : Desktop,
            IsMobile = phone,
            HasTouch = phone,
            Locale = lang == "en" ? "en-GB" : "fr-FR",
        });
        var page = visit.Page;
        var url = path switch
        {
            "/chaton" => "/chaton?id=" + Uri.EscapeDataString(site.Fleet[4].ActorId.AbsoluteUri),
            "/unsigned" => "/unsigned?id=" + Uri.EscapeDataString(site.RiveBleue),
            _ => path,
        };
        await page.GotoAsync(url);
        if (await page.Locator("#map").CountAsync() > 0)
        {
            await page.WaitForSelectorAsync(".leaflet-marker-icon");
        }

        Assert.Equal(lang, await page.GetAttributeAsync("html", "lang"));
        await AssertNoSeriousViolationAsync(page);

        // Nothing wider than the screen.
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways");
        if (phone)
        {
            await visit.ScreenshotAsync((path.Length > 1 ? path[1..] : "search") + "-phone-" + lang);
        }
    }
}
