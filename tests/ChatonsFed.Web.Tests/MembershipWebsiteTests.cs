using System.Net;
using Microsoft.Playwright;

namespace ChatonsFed.Web.Tests;

/// <summary>
/// Membership on the website of an aggregator that reads five real nodes (<see cref="MembershipSiteFixture"/>): each
/// chaton's mark on the list and on its page, in French and in English, who endorsed it, the admission filter of the
/// search form, and the "about" page naming the trust roots and the quorum. One test in Chromium; the rest in the HTML
/// as served.
/// </summary>
[Collection(WebsiteTests.Collection)]
public sealed class MembershipWebsiteTests(WebsiteFixture site, MembershipSiteFixture membership) : IClassFixture<MembershipSiteFixture>
{
    private const string AdmittedFr = "Membre admis·e — 2 parrainages";
    private const string AdmittedEn = "Admitted member — 2 endorsements";
    private const string RootFr = "Membre admis·e — racine de confiance";

    [Fact]
    public async Task In_a_browser_each_chaton_shows_its_admission_its_endorsers_link_to_their_pages_the_filter_works_and_about_names_the_roots()
    {
        await using var visit = await BrowserTests.Visit.OpenAsync(site, new BrowserNewContextOptions { BaseURL = membership.Origin });
        var page = visit.Page;
        var (alouette, blaireau, castor, dauphin, fouine) = (membership.Alouette, membership.Blaireau, membership.Castor, membership.Dauphin, membership.Fouine);

        // The list, in French by default: every chaton with its mark, in words.
        await page.GotoAsync("/");
        Assert.Equal(5, await page.Locator("#hits .hit").CountAsync());
        Assert.Equal(RootFr, await MarkAsync(page, alouette));
        Assert.Equal(RootFr, await MarkAsync(page, blaireau));
        Assert.Equal(AdmittedFr, await MarkAsync(page, castor));
        Assert.Equal("Candidat·e", await MarkAsync(page, dauphin));
        Assert.Equal("Admission révoquée", await MarkAsync(page, fouine));

        // The admission filter of the search form.
        await page.ClickAsync("details.criteria summary");
        await page.SelectOptionAsync("#admission", "admitted");
        await visit.ClickThenAsync("#search button[type=submit]", "admission=admitted");
        Assert.Equal(Ids(alouette, blaireau, castor), await HitIdsAsync(page));
        Assert.Equal("admitted", await page.InputValueAsync("#admission"));

        // Castor's page: its mark, and the two roots that endorsed it, each linked to its page in this directory.
        await visit.ClickThenAsync($"#hits .hit[data-id='{castor.ActorId}'] h3 a", "/chaton?");
        Assert.Equal("Castor", await page.InnerTextAsync("h1"));
        Assert.Equal(AdmittedFr, await page.InnerTextAsync(".admission-mark .badge"));
        var endorsers = page.Locator("table.endorsements tbody td:first-child a");
        Assert.Equal(["Alouette", "Blaireau"], await endorsers.AllInnerTextsAsync());
        Assert.Equal([ChatonPath(alouette), ChatonPath(blaireau)], (await Task.WhenAll((await endorsers.AllAsync()).Select(a => a.GetAttributeAsync("href")))).Select(href => href ?? "(none)"));
        Assert.Equal(["✓ compté", "✓ compté"], await page.Locator("table.endorsements tbody td.met").AllInnerTextsAsync());
        await BrowserTests.AssertNoSeriousViolationAsync(page);
        await visit.ScreenshotAsync("membership-chaton-desktop-fr", fullPage: true);

        await visit.ClickThenAsync("table.endorsements tbody tr:nth-child(2) a", Uri.EscapeDataString(blaireau.ActorId));
        Assert.Equal("Blaireau", await page.InnerTextAsync("h1"));
        Assert.Equal(RootFr, await page.InnerTextAsync(".admission-mark .badge"));

        // About: the quorum, and the trust roots as configured, each linked to its chaton's page.
        await visit.ClickThenAsync("#about-link", "/about");
        Assert.Equal("2", await page.InnerTextAsync("#quorum"));
        var roots = page.Locator("#trust-roots li");
        Assert.Equal(2, await roots.CountAsync());
        Assert.Equal(alouette.Acct, await roots.Nth(0).Locator("code").InnerTextAsync());
        Assert.Equal(ChatonPath(alouette), await roots.Nth(0).Locator("a").GetAttributeAsync("href"));
        Assert.Equal("Blaireau", await roots.Nth(1).Locator("a").InnerTextAsync());
        await BrowserTests.AssertNoSeriousViolationAsync(page);

        // In English.
        await visit.ClickThenAsync("#language-switch", "lang=en");
        Assert.Equal("Trust roots and quorum", await page.InnerTextAsync("#about-roots"));
        await visit.ClickThenAsync("a[href='/?lang=en']", "lang=en");
        Assert.Equal(AdmittedEn, await MarkAsync(page, castor));
        Assert.Equal("Candidate", await MarkAsync(page, dauphin));
        Assert.Equal("Admission revoked", await MarkAsync(page, fouine));
        await visit.ClickThenAsync($"#hits .hit[data-id='{castor.ActorId}'] h3 a", "/chaton?");
        Assert.Equal(AdmittedEn, await page.InnerTextAsync(".admission-mark .badge"));
        Assert.Equal(["Alouette", "Blaireau"], await endorsers.AllInnerTextsAsync());
        visit.AssertOnlyOriginAndNoErrors(membership.Origin);
    }

    [Theory]
    [InlineData("fr", "Candidat·e", "Il ne réunit pas encore 2 parrainages de membres admis sur des hôtes distincts.")]
    [InlineData("en", "Candidate", "It does not yet gather 2 endorsements from admitted members on distinct hosts.")]
    public async Task A_candidates_page_says_what_it_lacks(string lang, string mark, string why)
    {
        var html = await PageAsync(ChatonPath(membership.Dauphin, lang));
        Assert.Contains($"<p class=\"admission-mark\"><span class=\"badge admission candidate\">{mark}</span></p>", html, StringComparison.Ordinal);
        Assert.Contains(why, html, StringComparison.Ordinal);
        Assert.Contains(">Alouette</a>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fr", "Admission révoquée", "Un membre qui se portait garant de lui a révoqué son parrainage.", "révoqué", "— non compté")]
    [InlineData("en", "Admission revoked", "A member that vouched for it revoked its endorsement.", "revoked", "— not counted")]
    public async Task A_revoked_chatons_page_shows_the_revoked_endorsement_not_counted(string lang, string mark, string why, string state, string notCounted)
    {
        var html = await PageAsync(ChatonPath(membership.Fouine, lang));
        Assert.Contains($"<span class=\"badge admission revoked\">{mark}</span>", html, StringComparison.Ordinal);
        Assert.Contains(why, html, StringComparison.Ordinal);
        var blaireauRow = html[html.IndexOf(">Blaireau</a>", StringComparison.Ordinal)..];
        blaireauRow = blaireauRow[..blaireauRow.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Contains($"<td>{state}</td>", blaireauRow, StringComparison.Ordinal);
        Assert.Contains(notCounted, blaireauRow, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("admitted", "alouette blaireau castor")]
    [InlineData("candidate", "dauphin")]
    [InlineData("revoked", "fouine")]
    [InlineData("lapsed", "")]
    public async Task The_admission_filter_of_the_list_keeps_the_chatons_with_that_status(string admission, string handles)
    {
        var html = await PageAsync("/?admission=" + admission);
        var expected = membership.Chatons.Where(c => handles.Split(' ').Contains(c.Handle)).ToList();
        Assert.Equal(expected.Count, CountOf(html, "<li class=\"hit\""));
        Assert.All(expected, chaton => Assert.Contains($"data-id=\"{chaton.ActorId}\"", html, StringComparison.Ordinal));
        Assert.Contains($"<option value=\"{admission}\" selected>", html, StringComparison.Ordinal);
        var api = await membership.Aggregator.GetJsonAsync("/api/directory/search?admission=" + admission);
        Assert.Equal(expected.Count, api["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_about_page_names_the_trust_roots_as_configured_and_the_quorum()
    {
        var html = await PageAsync("/about?lang=en");
        Assert.Contains("Quorum: <strong id=\"quorum\">2</strong> endorsements from admitted members, on distinct hosts.", html, StringComparison.Ordinal);
        Assert.Contains($"<li><code>{membership.Alouette.Acct}</code> → <a href=\"{ChatonPath(membership.Alouette, "en").Replace("&", "&amp;", StringComparison.Ordinal)}\">Alouette</a></li>", html, StringComparison.Ordinal);
        Assert.Contains($"<li><a href=\"{ChatonPath(membership.Blaireau, "en").Replace("&", "&amp;", StringComparison.Ordinal)}\">Blaireau</a></li>", html, StringComparison.Ordinal);
        Assert.Contains("Admission computed at ", html, StringComparison.Ordinal);
        Assert.Contains(": 3 admitted members among the chatons listed.", html, StringComparison.Ordinal);
    }

    private async Task<string> PageAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await membership.Aggregator.Http.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}\n{html}");
        return html;
    }

    private static Task<string> MarkAsync(IPage page, ChatonNode chaton) =>
        page.Locator($"#hits .hit[data-id='{chaton.ActorId}'] .badge.admission").InnerTextAsync();

    private static async Task<List<string>> HitIdsAsync(IPage page) =>
        [.. (await Task.WhenAll((await page.Locator("#hits .hit").AllAsync()).Select(hit => hit.GetAttributeAsync("data-id")))).Select(id => id!).Order(StringComparer.Ordinal)];

    private static List<string> Ids(params ChatonNode[] chatons) => [.. chatons.Select(c => c.ActorId).Order(StringComparer.Ordinal)];

    private static string ChatonPath(ChatonNode chaton, string lang = "fr") =>
        "/chaton?id=" + Uri.EscapeDataString(chaton.ActorId) + (lang == "fr" ? string.Empty : "&lang=" + lang);

    private static int CountOf(string html, string text) => html.Split(text).Length - 1;
}
