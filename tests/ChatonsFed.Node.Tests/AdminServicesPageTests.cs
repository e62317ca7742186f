using System.Net;
using ChatonsFed.Node.Hosting;
using ChatonsFed.Protocol.Proofs;

namespace ChatonsFed.Node.Tests;

/// <summary>The services pages: add, change and remove a hosted service as the command line does.</summary>
public sealed class AdminServicesPageTests
{
    [Fact]
    public async Task A_service_added_through_the_form_is_in_the_actors_services_and_verifies()
    {
        await using var node = await AdminPageClient.StartNodeAsync();
        using var browser = new AdminPageClient(node.Running!.Address);
        await browser.SignInOrFailAsync(node.OwnerToken);

        var (_, form, formResponse) = await browser.GetAsync("/admin/services/new");
        Assert.Contains("<select id=\"category\" name=\"category\"", form, StringComparison.Ordinal);
        Assert.Contains("<optgroup label=", form, StringComparison.Ordinal);
        Assert.Contains("<option value=\"collaborative-writing\">", form, StringComparison.Ordinal);
        Assert.Contains("<label for=\"slug\">", form, StringComparison.Ordinal);
        Assert.Contains("aria-current=\"page\">Services</a>", form, StringComparison.Ordinal);
        formResponse.Dispose();

        using (var added = await browser.PostFormAsync("/admin/services/new", "/admin/services/new", Service(("name", "Pad"), ("category", "collaborative-writing"),
            ("url", "https://pad.lynx.example"), ("software", "Etherpad"), ("softwareVersion", "2.2"), ("license", "Apache-2.0"), ("registration", "none"), ("capacity", "open"), ("status", "ok"))))
        {
            Assert.Equal(HttpStatusCode.SeeOther, added.StatusCode);
            Assert.Equal("/admin/services", added.Headers.Location!.OriginalString);
        }

        var (_, list, listResponse) = await browser.GetAsync("/admin/services");
        Assert.Contains("Modification publiée", list, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Pad</th>", list, StringComparison.Ordinal);
        Assert.Contains("href=\"/admin/services/pad\"", list, StringComparison.Ordinal);
        listResponse.Dispose();

        var actor = await node.GetJsonAsync("/actor");
        var collection = await node.GetJsonAsync(new Uri(actor["services"]!.GetValue<string>()).AbsolutePath);
        Assert.Contains("https://", collection.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("/services/pad", collection.ToJsonString(), StringComparison.Ordinal);
        var service = await node.GetJsonAsync("/services/pad");
        Assert.Equal("Pad", service["name"]!.GetValue<string>());
        Assert.True(ProofVerifier.Verify(service, actor).IsValid);
        Assert.True(ProofVerifier.Verify(collection, actor).IsValid);
    }

    [Fact]
    public async Task A_service_is_changed_and_removed_through_its_pages()
    {
        await using var node = await AdminPageClient.StartNodeAsync();
        await node.Running!.ServiceCatalogue.AddAsync(new() { Name = "Pad", Category = "collaborative-writing", Url = "https://pad.lynx.example", Status = "ok" });
        using var browser = new AdminPageClient(node.Running!.Address);
        await browser.SignInOrFailAsync(node.OwnerToken);

        var (_, edit, editResponse) = await browser.GetAsync("/admin/services/pad");
        Assert.Contains("<option value=\"ok\" selected>", edit, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"slug\"", edit, StringComparison.Ordinal);
        editResponse.Dispose();
        using (var changed = await browser.PostFormAsync("/admin/services/pad", "/admin/services/pad", Service(("name", "Pad"), ("category", "collaborative-writing"), ("url", "https://pad.lynx.example/"), ("status", "down"))))
        {
            Assert.Equal(HttpStatusCode.SeeOther, changed.StatusCode);
        }

        Assert.Equal("down", (await node.GetJsonAsync("/services/pad"))["status"]!.GetValue<string>());

        using (var emptied = await browser.PostFormAsync("/admin/services/pad", "/admin/services/pad", Service(("name", "Pad"), ("category", "collaborative-writing"), ("url", " "), ("status", "down"))))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, emptied.StatusCode);
            Assert.Contains("url is required", await emptied.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var (_, confirm, confirmResponse) = await browser.GetAsync("/admin/services/pad/remove");
        Assert.Contains("<h1>Retirer le service « Pad » ?</h1>", confirm, StringComparison.Ordinal);
        confirmResponse.Dispose();
        Assert.Equal(HttpStatusCode.OK, (await node.Http.SendAsync(node.Get("/services/pad"))).StatusCode);
        using (var removed = await browser.PostFormAsync("/admin/services/pad/remove", "/admin/services/pad/remove", []))
        {
            Assert.Equal(HttpStatusCode.SeeOther, removed.StatusCode);
        }

        using var gone = await node.Http.SendAsync(node.Get("/services/pad"));
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        var (missing, _, missingResponse) = await browser.GetAsync("/admin/services/pad");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        missingResponse.Dispose();
    }

    [Theory]
    [InlineData("url", "not a url", "url &#39;not a url&#39; is not an http(s) URL")]
    [InlineData("category", "", "category is required")]
    [InlineData("license", "not a licence", "license &#39;not a licence&#39; is not an SPDX licence id")]
    public async Task A_refused_service_comes_back_next_to_its_field_and_is_not_added(string field, string value, string message)
    {
        await using var node = await AdminPageClient.StartNodeAsync();
        using var browser = new AdminPageClient(node.Running!.Address);
        await browser.SignInOrFailAsync(node.OwnerToken);
        using var refused = await browser.PostFormAsync("/admin/services/new", "/admin/services/new",
            Service(("name", "Pad"), ("category", "collaborative-writing"), ("url", "https://pad.lynx.example"), ("software", "Etherpad"), (field, value)));
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains($"<a href=\"#{field}\">", html, StringComparison.Ordinal);
        Assert.Matches($"id=\"{field}\" name=\"{field}\" aria-describedby=\"[^\"]*{field}-error\" aria-invalid=\"true\"", html);
        Assert.Contains(message, html, StringComparison.Ordinal);
        Assert.Contains("value=\"Pad\"", html, StringComparison.Ordinal);
        Assert.Empty(node.Running.ServiceCatalogue.List());
    }

    private static List<KeyValuePair<string, string>> Service(params (string Name, string Value)[] values) =>
        AdminPageClient.Fields(["name", "category", "url", "summary", "software", "softwareVersion", "license", "sourceCode", "registration", "capacity", "status"], values);
}
