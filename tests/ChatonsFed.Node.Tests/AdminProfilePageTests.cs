using System.Net;
using ChatonsFed.Node.Hosting;
using ChatonsFed.Node.Storage;
using ChatonsFed.Protocol.Proofs;

namespace ChatonsFed.Node.Tests;

/// <summary>The profile page: a change is the command line's change (same rules, same signing, same delivery).</summary>
public sealed class AdminProfilePageTests
{
    [Fact]
    public async Task Changing_the_name_through_the_form_changes_the_signed_public_actor_and_tells_how_many_followers_are_notified()
    {
        await using var node = await AdminPageClient.StartNodeAsync();
        node.Running!.NodeStore.Followers.Upsert(new FollowerRecord { Id = "https://social.invalid/users/alice", Inbox = "https://social.invalid/users/alice/inbox" });
        using var browser = new AdminPageClient(node.Running!.Address);
        await browser.SignInOrFailAsync(node.OwnerToken);

        var (_, page, pageResponse) = await browser.GetAsync("/admin/profile");
        Assert.Contains("value=\"Lynx Net\"", page, StringComparison.Ordinal);
        Assert.Contains("<label for=\"website\">", page, StringComparison.Ordinal);
        Assert.Contains("aria-current=\"page\">Profil</a>", page, StringComparison.Ordinal);
        Assert.NotNull(pageResponse.Headers.GetValues("Content-Security-Policy").Single());
        pageResponse.Dispose();

        using (var changed = await browser.PostFormAsync("/admin/profile", "/admin/profile", Profile(("name", "Lynx Réseau"), ("website", "https://lynx.example"), ("latitude", "44,93"), ("longitude", "4.89"))))
        {
            Assert.Equal(HttpStatusCode.SeeOther, changed.StatusCode);
            Assert.Equal("/admin/profile", changed.Headers.Location!.OriginalString);
        }

        var (_, after, afterResponse) = await browser.GetAsync("/admin/profile");
        Assert.Contains("Modification publiée ; 1 abonné·e notifié·e (2 envois en file d&#39;attente).", after, StringComparison.Ordinal);
        Assert.Contains("value=\"Lynx Réseau\"", after, StringComparison.Ordinal);
        afterResponse.Dispose();
        var (_, again, againResponse) = await browser.GetAsync("/admin/profile");
        Assert.DoesNotContain("Modification publiée", again, StringComparison.Ordinal);
        againResponse.Dispose();

        var actor = await node.GetJsonAsync("/actor");
        Assert.Equal("Lynx Réseau", actor["name"]!.GetValue<string>());
        Assert.Contains("https://lynx.example/", actor["url"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(44.93, actor["location"]!["latitude"]!.GetValue<double>());
        Assert.True(ProofVerifier.Verify(actor, actor).IsValid);
        Assert.Equal(2, node.Running.NodeStore.DeliveryJobs.Count());
    }

    [Fact]
    public async Task Sending_the_form_unchanged_publishes_nothing()
    {
        await using var node = await AdminPageClient.StartNodeAsync();
        using var browser = new AdminPageClient(node.Running!.Address);
        await browser.SignInOrFailAsync(node.OwnerToken);
        var outbox = node.Running.NodeStore.Outbox.Count();
        using (var same = await browser.PostFormAsync("/admin/profile", "/admin/profile", Profile()))
        {
            Assert.Equal(HttpStatusCode.SeeOther, same.StatusCode);
        }

        var (_, html, response) = await browser.GetAsync("/admin/profile");
        Assert.Contains("Rien n&#39;a changé", html, StringComparison.Ordinal);
        response.Dispose();
        Assert.Equal(outbox, node.Running.NodeStore.Outbox.Count());
    }

    [Theory]
    [InlineData("website", "not a url", "website &#39;not a url&#39; is not an http(s) URL")]
    [InlineData("latitude", "200", "latitude 200 is out of range")]
    [InlineData("latitude", "north", "« north » n&#39;est pas un nombre")]
    [InlineData("name", " ", "name is required")]
    public async Task A_refused_value_comes_back_next_to_its_field_and_nothing_changes(string field, string value, string message)
    {
        await using var node = await AdminPageClient.StartNodeAsync();
        using var browser = new AdminPageClient(node.Running!.Address);
        await browser.SignInOrFailAsync(node.OwnerToken);
        var before = await node.GetBytesAsync("/actor");
        var fields = field == "latitude" ? Profile((field, value), ("longitude", "4.89"), ("summary", "Kept as typed")) : Profile((field, value), ("summary", "Kept as typed"));
        using var refused = await browser.PostFormAsync("/admin/profile", "/admin/profile", fields);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("id=\"error-summary\"", html, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"#{field}\">", html, StringComparison.Ordinal);
        Assert.Contains($"id=\"{field}-error\"", html, StringComparison.Ordinal);
        Assert.Matches($"<input type=\"[a-z]+\" id=\"{field}\" name=\"{field}\" aria-describedby=\"[^\"]*{field}-error\" aria-invalid=\"true\"", html);
        Assert.Contains(message, html, StringComparison.Ordinal);
        Assert.Contains("Kept as typed", html, StringComparison.Ordinal);
        Assert.Equal(before, await node.GetBytesAsync("/actor"));
        Assert.Equal("Lynx Net", node.Running.Profile.Get().Name);
    }

    [Fact]
    public async Task A_change_without_the_antiforgery_token_is_refused_and_changes_nothing()
    {
        await using var node = await AdminPageClient.StartNodeAsync();
        using var browser = new AdminPageClient(node.Running!.Address);
        await browser.SignInOrFailAsync(node.OwnerToken);
        using var refused = await browser.PostFormAsync("/admin/profile", "/admin/profile", Profile(("name", "Forged")), withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("Lynx Net", node.Running.Profile.Get().Name);
        Assert.Equal("Lynx Net", (await node.GetJsonAsync("/actor"))["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_a_session_the_profile_page_sends_to_the_sign_in_page_and_back()
    {
        await using var node = await AdminPageClient.StartNodeAsync();
        using var browser = new AdminPageClient(node.Running!.Address);
        var (status, _, response) = await browser.GetAsync("/admin/profile");
        Assert.Equal(HttpStatusCode.SeeOther, status);
        Assert.Equal("/admin/login?returnUrl=%2Fadmin%2Fprofile", response.Headers.Location!.OriginalString);
        response.Dispose();

        using (var anonymous = await browser.Http.PostAsync("/admin/profile", new FormUrlEncodedContent([new("name", "Forged")])))
        {
            Assert.Equal(HttpStatusCode.SeeOther, anonymous.StatusCode);
        }

        using var signedIn = await browser.PostFormAsync("/admin/login?returnUrl=%2Fadmin%2Fprofile", "/admin/login", [new("credential", node.OwnerToken), new("returnUrl", "/admin/profile")]);
        Assert.Equal("/admin/profile", signedIn.Headers.Location!.OriginalString);
        Assert.Equal("Lynx Net", node.Running.Profile.Get().Name);
    }

    [Fact]
    public async Task The_sign_in_page_does_not_send_the_owner_elsewhere()
    {
        await using var node = await AdminPageClient.StartNodeAsync();
        using var browser = new AdminPageClient(node.Running!.Address);
        using (var signedIn = await browser.PostFormAsync("/admin/login", "/admin/login", [new("credential", node.OwnerToken), new("returnUrl", "//evil.example/admin")]))
        {
            Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
            Assert.Equal("/admin", signedIn.Headers.Location!.OriginalString);
        }

        using var other = new AdminPageClient(node.Running.Address);
        using var fromQuery = await other.PostFormAsync("/admin/login", "/admin/login?returnUrl=%2Factor", [new("credential", node.OwnerToken)]);
        Assert.Equal(HttpStatusCode.SeeOther, fromQuery.StatusCode);
        Assert.Equal("/admin", fromQuery.Headers.Location!.OriginalString);
    }

    /// <summary>The profile form as the page shows it for a new node, with <paramref name="changes"/>.</summary>
    private static List<KeyValuePair<string, string>> Profile(params (string Name, string Value)[] changes) =>
        AdminPageClient.Fields(["name", "summary", "website", "contact", "legalNotice", "structureType", "country", "placeName", "latitude", "longitude", "icon"],
            [("name", "Lynx Net"), .. changes]);
}
