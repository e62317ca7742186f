using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace ChatonsFed.Web.Tests;

/// <summary>
/// The website of an aggregator with trust roots: each chaton's admission mark in the hits and on its page, who
/// endorsed it, the admission filter and the "about" page, in HTML as served and in Chromium.
/// </summary>
[Collection(WebsiteTests.Collection)]
public sealed class AdmissionPagesTests(WebsiteFixture site, AdmissionPagesTests.Members members) : IClassFixture<AdmissionPagesTests.Members>
{
    [Fact]
    public async Task The_hits_and_pages_carry_the_marks_the_endorsers_and_the_roots_in_both_languages()
    {
        var (response, home) = await GetAsync(members, "/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(">Membre admis·e — 2 parrainages</span>", home, StringComparison.Ordinal);
        Assert.Contains(">Membre admis·e — racine de confiance</span>", home, StringComparison.Ordinal);
        Assert.Contains(">Candidat·e</span>", home, StringComparison.Ordinal);
        Assert.Contains("<select id=\"admission\" name=\"admission\">", home, StringComparison.Ordinal);
        Assert.Contains("<a id=\"about-link\" href=\"/about\">À propos</a>", home, StringComparison.Ordinal);
        Assert.DoesNotMatch("<script>|<script(?![^>]*\\ssrc=)[^>]*>|<style|\\sstyle=", home);
        Assert.StartsWith("default-src 'self'; script-src 'self'; style-src 'self';", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        var (_, english) = await GetAsync(members, "/?lang=en");
        Assert.Contains(">Admitted member — 2 endorsements</span>", english, StringComparison.Ordinal);
        Assert.Contains(">Candidate</span>", english, StringComparison.Ordinal);

        // Only the admitted ones, as the API finds them.
        var (_, admitted) = await GetAsync(members, "/?admission=admitted");
        Assert.Equal(2, CountOf(admitted, "<li class=\"hit\""));
        Assert.DoesNotContain(">Candidat·e</span>", admitted, StringComparison.Ordinal);

        // A's page: its mark, and who endorsed it: the listed root by its page here, the other root by its actor.
        var (_, page) = await GetAsync(members, "/chaton?id=" + Uri.EscapeDataString(members.Admitted.ActorId));
        Assert.Contains("<p class=\"admission-mark\"><span class=\"badge admission admitted\">Membre admis·e — 2 parrainages</span></p>", page, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/chaton?id={Uri.EscapeDataString(members.Root.ActorId)}\">{members.Root.Profile.Name}</a>", page, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"{members.Collective.ActorId}\" rel=\"nofollow noopener noreferrer\">{members.Collective.ActorId}</a>", page, StringComparison.Ordinal);
        Assert.Equal(2, CountOf(page, "✓ compté"));

        var (aboutResponse, about) = await GetAsync(members, "/about");
        Assert.Equal(HttpStatusCode.OK, aboutResponse.StatusCode);
        Assert.Contains("<strong id=\"quorum\">2</strong>", about, StringComparison.Ordinal);
        Assert.Contains($"<code>{members.Root.AcctUri}</code> → <a href=\"/chaton?id={Uri.EscapeDataString(members.Root.ActorId)}\">", about, StringComparison.Ordinal);
        Assert.Contains(members.Collective.ActorId, about, StringComparison.Ordinal);

        // The fixture's own aggregator has no trust root: no mark, no filter, and its about page says so.
        var (_, plain) = await ServerRenderedTests.GetAsync(site, "/");
        Assert.DoesNotContain("badge admission", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"admission\"", plain, StringComparison.Ordinal);
        Assert.Contains("ne calcule pas l'admission", (await ServerRenderedTests.GetAsync(site, "/about")).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_chromium_the_admission_filter_keeps_the_admitted_and_the_header_leads_to_the_about_page()
    {
        await using var visit = await BrowserTests.Visit.OpenAsync(site, new BrowserNewContextOptions { BaseURL = members.Aggregator.PublicUrl });
        var page = visit.Page;
        await page.GotoAsync("/");

        await page.ClickAsync("details.criteria summary");
        await page.SelectOptionAsync("#admission", "admitted");
        await visit.ClickThenAsync("#search button[type=submit]", "admission=admitted");
        Assert.Equal(2, await page.Locator("#hits .hit").CountAsync());
        Assert.Equal(2, await page.Locator("#hits .badge.admission.admitted").CountAsync());
        Assert.Equal("admitted", await page.InputValueAsync("#admission"));
        await visit.ScreenshotAsync("admission-filter-desktop-fr");

        await visit.ClickThenAsync("#about-link", "/about");
        Assert.Equal("2", await page.InnerTextAsync("#quorum"));
        Assert.Equal(2, await page.Locator("#trust-roots li").CountAsync());
        visit.AssertOnlyOriginAndNoErrors(members.Aggregator.PublicUrl);
    }

    private static async Task<(HttpResponseMessage Response, string Html)> GetAsync(Members at, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html");
        var response = await at.Aggregator.Http.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;

    /// <summary>
    /// A root that is a chaton (by handle), a collective's actor that is not one (by URL), a chaton both endorse
    /// (admitted), one only the first endorses (candidate), on hosts of their own; an aggregator with both roots.
    /// </summary>
    public sealed class Members : IAsyncLifetime
    {
        private readonly List<MemberHost> _hosts = [];

        internal TestAggregator Aggregator { get; private set; } = null!;

        public Member Root { get; private set; } = null!;

        public Member Collective { get; private set; } = null!;

        public Member Admitted { get; private set; } = null!;

        public Member Candidate { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Root = await AddAsync(12, "racine", "Racine", chaton: true);
            Collective = await AddAsync(13, "collectif", "Collectif", chaton: false);
            Admitted = await AddAsync(14, "admis", "Chaton admis", chaton: true);
            Candidate = await AddAsync(15, "candidat", "Chaton candidat", chaton: true);
            Root.Endorse(Admitted);
            Collective.Endorse(Admitted);
            Root.Endorse(Candidate);
            Aggregator = await TestAggregator.InitAsync([Root.ActorId, Admitted.ActorId, Candidate.ActorId], settings =>
            {
                settings["Membership"] = new JsonObject { ["TrustRoots"] = new JsonArray(Root.AcctUri, Collective.ActorId), ["Quorum"] = 2 };
                settings["FollowChatons"] = false;
            });
            await Aggregator.Directory.RefreshAsync(null, CancellationToken.None);
        }

        public async Task DisposeAsync()
        {
            await Aggregator.DisposeAsync();
            foreach (var host in _hosts)
            {
                await host.DisposeAsync();
            }
        }

        private async Task<Member> AddAsync(int number, string handle, string name, bool chaton)
        {
            var host = await MemberHost.StartAsync(number);
            _hosts.Add(host);
            return host.Add(handle, name, chaton: chaton);
        }
    }
}
