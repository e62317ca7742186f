using System.Net;
using System.Text.RegularExpressions;
using static ChatonsFed.Web.Tests.ServerRenderedTests;

namespace ChatonsFed.Web.Tests;

/// <summary>
/// The unsigned entries read from the ChatonsInfos federation file, as the pages show them: in a section of their own
/// after the verified hits, badged, each with its own page under a notice naming the files; never a verified chaton.
/// </summary>
[Collection(WebsiteTests.Collection)]
public sealed partial class UnsignedEntriesTests(WebsiteFixture site)
{
    /// <summary>The verified list (<c>ol#hits</c>) and the unsigned section, cut out of a search page.</summary>
    private static (string Verified, string Unsigned) Parts(string html)
    {
        var start = html.IndexOf("<ol id=\"hits\"", StringComparison.Ordinal);
        Assert.True(start > 0, "the page has the verified list");
        var end = html.IndexOf("</ol>", start, StringComparison.Ordinal);
        var section = html.IndexOf("<section id=\"unsigned\"", StringComparison.Ordinal);
        if (section < 0)
        {
            return (html[start..end], string.Empty);
        }

        Assert.True(section > end, "the unsigned section comes after the verified list, not inside it");
        return (html[start..end], html[section..html.IndexOf("</section>", section, StringComparison.Ordinal)]);
    }

    private static List<string> UnsignedIds(string section) => [.. UnsignedItem().Matches(section).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))];

    [GeneratedRegex("<li class=\"hit unsigned\" data-id=\"([^\"]*)\"")]
    private static partial Regex UnsignedItem();

    [Fact]
    public async Task The_search_page_lists_unsigned_entries_apart_after_the_verified_hits_each_badged()
    {
        var (response, html) = await GetAsync(site, "/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (verified, unsigned) = Parts(html);

        Assert.Contains("<h2 id=\"unsigned-title\">Non signés, d'après ChatonsInfos</h2>", unsigned, StringComparison.Ordinal);
        Assert.Contains("d'après les fichiers ChatonsInfos du collectif", unsigned, StringComparison.Ordinal);
        Assert.Contains("pas signé par la clé du chaton lui-même", unsigned, StringComparison.Ordinal);
        Assert.Equal([site.RiveBleue, site.Tilleul], UnsignedIds(unsigned));
        Assert.Equal(2, Regex.Count(unsigned, "<span class=\"badge unsigned\">Non signé</span>"));
        Assert.Contains("href=\"/unsigned?id=" + Uri.EscapeDataString(site.RiveBleue) + "\"", unsigned, StringComparison.Ordinal);
        Assert.Contains("Pad Rive Bleue (Etherpad)", unsigned, StringComparison.Ordinal);

        // The verified list is as before: every fleet chaton, and nothing unsigned.
        Assert.Equal(WebsiteFixture.Chatons, Regex.Count(verified, "<li class=\"hit\""));
        Assert.DoesNotContain("Rive Bleue", verified, StringComparison.Ordinal);
        Assert.DoesNotContain("badge", verified, StringComparison.Ordinal);
        Assert.DoesNotContain("/unsigned?", verified, StringComparison.Ordinal);

        // A verified chaton is never in the unsigned section: not the one whose website a file claims, nor the one a file names.
        foreach (var chaton in site.Fleet.Chatons)
        {
            Assert.DoesNotContain(Html(chaton.Profile.Name), unsigned, StringComparison.Ordinal);
            Assert.DoesNotContain(Uri.EscapeDataString(chaton.ActorId.AbsoluteUri), unsigned, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("meme-site", unsigned, StringComparison.Ordinal);
        Assert.DoesNotContain("/chaton?", unsigned, StringComparison.Ordinal);

        // The footer no longer says that every entry is signed.
        Assert.DoesNotContain("signés par sa propre clé", html, StringComparison.Ordinal);
        Assert.Contains("à part, ce que les fichiers ChatonsInfos", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("software=etherpad")]
    [InlineData("q=tilleul")]
    [InlineData("q=nantes&structure=ASSOCIATION")]
    [InlineData("near=47.2,-1.55&radius=25&sort=distance")]
    [InlineData("charter=all")]
    [InlineData("q=zzzz")]
    public async Task The_unsigned_section_holds_what_the_api_finds_with_source_chatonsinfos_for_the_same_search(string query)
    {
        var api = await site.Aggregator.GetJsonAsync("/api/directory/search?source=chatonsinfos&" + query);
        var expected = api["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToList();
        var (_, html) = await GetAsync(site, "/?" + query);
        var (verified, unsigned) = Parts(html);

        Assert.Equal(expected, UnsignedIds(unsigned));
        Assert.Equal(expected.Count > 0, html.Contains("Non signés, d'après ChatonsInfos", StringComparison.Ordinal));
        Assert.Equal((await site.ApiSearchAsync(query))["total"]!.GetValue<int>(), Regex.Count(verified, "<li class=\"hit\""));
        if (query.StartsWith("near=", StringComparison.Ordinal))
        {
            Assert.Contains("à 2,1 km", unsigned, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_unsigned_section_is_in_English_with_the_language_carried_on()
    {
        var (_, html) = await GetAsync(site, "/?lang=en&q=rive");
        var (_, unsigned) = Parts(html);
        Assert.Contains("<h2 id=\"unsigned-title\">Unsigned, from ChatonsInfos</h2>", unsigned, StringComparison.Ordinal);
        Assert.Contains("not signed with the chaton's own key", WebUtility.HtmlDecode(unsigned), StringComparison.Ordinal);
        Assert.Contains("<span class=\"badge unsigned\">Unsigned</span>", unsigned, StringComparison.Ordinal);
        Assert.Contains("href=\"/unsigned?id=" + Uri.EscapeDataString(site.RiveBleue) + "&amp;lang=en\"", unsigned, StringComparison.Ordinal);
        Assert.Contains("No chaton found", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("en")]
    public async Task An_unsigned_entry_has_its_own_page_under_a_notice_naming_the_files_without_signature_or_follow(string lang)
    {
        var (response, html) = await GetAsync(site, "/unsigned?lang=" + lang + "&id=" + Uri.EscapeDataString(site.RiveBleue));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("default-src 'self'; script-src 'self'; style-src 'self';", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var text = WebUtility.HtmlDecode(html);
        var english = lang == "en";

        Assert.Contains($"<html lang=\"{lang}\">", html, StringComparison.Ordinal);
        Assert.Contains(english ? "<h1>Rive Bleue <span class=\"badge unsigned\">Unsigned</span></h1>" : "<h1>Rive Bleue <span class=\"badge unsigned\">Non signé</span></h1>", html, StringComparison.Ordinal);
        var notice = text.IndexOf(english ? "Unsigned, from ChatonsInfos" : "Non signé, d'après ChatonsInfos", StringComparison.Ordinal);
        Assert.True(notice > 0 && notice < text.IndexOf("https://rivebleue.example/", StringComparison.Ordinal), "the notice comes before what the file says");
        Assert.Contains($"<a href=\"{site.Federation}\" rel=\"nofollow noopener noreferrer\">{site.Federation}</a>", html, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"{site.RiveBleue}\" rel=\"nofollow noopener noreferrer\">{site.RiveBleue}</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://rivebleue.example/\" rel=\"nofollow noopener noreferrer\">https://rivebleue.example/</a>", html, StringComparison.Ordinal);
        Assert.Contains("Association d'hébergement en bord de Loire.", text, StringComparison.Ordinal);
        Assert.Contains("Nantes (FR) — 47.2184, -1.5536", text, StringComparison.Ordinal);
        Assert.Contains("Pad Rive Bleue", text, StringComparison.Ordinal);
        Assert.Contains("<span class=\"software\">Etherpad 1.9.7</span> (Apache-2.0)", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"software\">Jitsi Meet</span>", html, StringComparison.Ordinal);
        Assert.Contains(english ? "not signed with the chaton's own key" : "pas signé par la clé du chaton lui-même", text, StringComparison.Ordinal);

        // No actor: nothing says it is signed by its own key, no charter declaration, no follow form, no map.
        foreach (var absent in new[] { "signed by its own key", "signed with its own key", "signé par sa propre clé", "signés par sa propre clé", "/follow", "class=\"follow\"", "id=\"charter\"", "id=\"verification\"", "id=\"map\"", "leaflet.js" })
        {
            Assert.DoesNotContain(absent, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Only_listed_unsigned_entries_have_a_page_and_a_verified_chaton_never_has_one()
    {
        foreach (var id in new[] { site.Fleet[1].ActorId.AbsoluteUri, site.Fleet[2].ActorId.AbsoluteUri, site.SameWebsite, site.Files.Url + "/named.properties", "https://nowhere.example/x.properties" })
        {
            var (response, html) = await GetAsync(site, "/unsigned?id=" + Uri.EscapeDataString(id));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain("badge unsigned", html, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(site, "/unsigned")).Response.StatusCode);

        // An unsigned entry is never shown as a chaton.
        var (chaton, notChaton) = await GetAsync(site, "/chaton?id=" + Uri.EscapeDataString(site.RiveBleue));
        Assert.Equal(HttpStatusCode.NotFound, chaton.StatusCode);
        Assert.Contains("Cet annuaire ne liste aucun chaton vérifié", notChaton, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/unsigned?id=" + Uri.EscapeDataString(site.RiveBleue) + "\">Voir l'entrée non signée", notChaton, StringComparison.Ordinal);
        Assert.DoesNotContain("/unsigned?", (await GetAsync(site, "/chaton?id=" + Uri.EscapeDataString(site.SameWebsite))).Html, StringComparison.Ordinal);
        var (follow, _) = await GetAsync(site, "/follow?instance=mastodon.example&id=" + Uri.EscapeDataString(site.RiveBleue));
        Assert.Equal(HttpStatusCode.NotFound, follow.StatusCode);
    }
}
