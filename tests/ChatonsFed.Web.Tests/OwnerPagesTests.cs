using System.Net;
using ChatonsFed.Directory.Node;
using ChatonsFed.Hosting.Admin;
using ChatonsFed.Node.Hosting;
using ChatonsFed.Protocol.Proofs;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;

namespace ChatonsFed.Web.Tests;

/// <summary>
/// The owner's pages of a real node in the machine's Chromium (<see cref="OwnerPagesFixture"/>): signing in with the
/// credential init printed, changes that reach the signed public actor, the antiforgery token, the sign-in lockout, the
/// session cookie's flags, the keyboard alone, axe-core on every page in French and English, and screenshots. Every test
/// checks that each request the pages made went to the node, and that the content security policy blocked nothing.
/// </summary>
public sealed class OwnerPagesTests(OwnerPagesFixture owner) : IClassFixture<OwnerPagesFixture>
{
    /// <summary>The viewport of the screenshots in the operator's guide.</summary>
    private static readonly ViewportSize GuideViewport = new() { Width = 1100, Height = 800 };

    [Fact]
    public async Task Changing_the_name_and_adding_a_service_in_the_browser_publish_signed_documents_and_say_the_followers_were_notified()
    {
        await using var visit = await owner.VisitAsync();
        var page = visit.Page;
        await SignInAsync(visit, owner.Lynx.Node.OwnerToken);
        Assert.Equal("Vue d'ensemble", await page.InnerTextAsync("h1"));

        await ClickThenAsync(page, "nav a[href='/admin/profile']", "/admin/profile");
        Assert.Equal("Profil", await page.InnerTextAsync("h1"));
        await page.FillAsync("#name", "Lynx, hébergeur renommé");
        await SubmitAsync(page);
        Assert.Contains("Modification publiée ; 1 abonné·e notifié·e", await page.InnerTextAsync(".flash"), StringComparison.Ordinal);
        Assert.Equal("Lynx, hébergeur renommé", await page.InputValueAsync("#name"));

        await ClickThenAsync(page, "nav a[href='/admin/services']", "/admin/services");
        await ClickThenAsync(page, "main a[href='/admin/services/new']", "/admin/services/new");
        await page.FillAsync("#name", "Nuage");
        await page.SelectOptionAsync("#category", "file-sharing");
        await page.FillAsync("#url", "https://nuage.lynx.example/");
        await page.FillAsync("#software", "Nextcloud");
        await page.FillAsync("#slug", "nuage");
        Assert.Equal((int)HttpStatusCode.SeeOther, (await SubmitAsync(page)).Status);
        Assert.Equal("/admin/services", new Uri(page.Url).AbsolutePath);
        Assert.Contains("Modification publiée ; 1 abonné·e notifié·e", await page.InnerTextAsync(".flash"), StringComparison.Ordinal);
        Assert.Contains("Nuage", await page.InnerTextAsync("main table"), StringComparison.Ordinal);

        // The public documents, as an ActivityPub client reads them: both changes, each verified by the actor's key.
        var actor = await owner.Lynx.Node.GetJsonAsync("/actor");
        Assert.Equal("Lynx, hébergeur renommé", actor["name"]!.GetValue<string>());
        var proof = ProofVerifier.Verify(actor, actor);
        Assert.True(proof.IsValid, proof.Failure);
        var service = await owner.Lynx.Node.GetJsonAsync("/services/nuage");
        Assert.Equal("Nuage", service["name"]!.GetValue<string>());
        Assert.True(ProofVerifier.Verify(service, actor).IsValid);
        var services = await owner.Lynx.Node.GetJsonAsync("/services");
        Assert.Contains(owner.Origin + "/services/nuage", services.ToJsonString(), StringComparison.Ordinal);
        Assert.True(ProofVerifier.Verify(services, actor).IsValid);
        visit.AssertOnlyOriginAndNoErrors(owner.Origin);
    }

    [Fact]
    public async Task The_session_cookie_is_HttpOnly_and_SameSite_Strict()
    {
        await using var visit = await owner.VisitAsync();
        await SignInAsync(visit, owner.Lynx.Node.OwnerToken);
        var session = Assert.Single(await visit.Context.CookiesAsync(), c => c.Name == AdminPageSession.SessionCookie);
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        Assert.Equal("/admin", session.Path);
        var form = Assert.Single(await visit.Context.CookiesAsync(), c => c.Name == AdminPageSession.AntiforgeryCookie);
        Assert.True(form.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, form.SameSite);

        // Scripts cannot read it either.
        Assert.DoesNotContain(AdminPageSession.SessionCookie, await visit.Page.EvaluateAsync<string>("document.cookie"), StringComparison.Ordinal);
        visit.AssertOnlyOriginAndNoErrors(owner.Origin);
    }

    [Fact]
    public async Task A_form_sent_without_its_antiforgery_token_is_refused_with_400_and_changes_nothing()
    {
        await using var visit = await owner.VisitAsync();
        var page = visit.Page;
        await SignInAsync(visit, owner.Lynx.Node.OwnerToken);
        await page.GotoAsync("/admin/profile");
        var before = await owner.Lynx.Node.GetBytesAsync("/actor");
        await page.Locator($"main form input[name='{AdminPageSession.AntiforgeryField}']").EvaluateAsync("input => input.remove()");
        await page.FillAsync("#name", "Contrefait");

        var response = await SubmitAsync(page);

        Assert.Equal((int)HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("Formulaire refusé", await page.InnerTextAsync("h1"));
        Assert.Equal(before, await owner.Lynx.Node.GetBytesAsync("/actor"));
        visit.AssertOnlyOriginAndNoErrors(owner.Origin, StatusCodes.Status400BadRequest);
    }

    [Fact]
    public async Task The_sixth_wrong_credential_within_fifteen_minutes_gets_429()
    {
        // A node of its own: the lockout would keep the other tests' browser out for fifteen minutes.
        var host = "127.0.0.22";
        await using var node = await TestNode.InitAsync($"http://{host}:{TestHost.FreePort(host)}", start: false);
        await node.StartOnPublicUrlAsync();
        await using var visit = await BrowserTests.Visit.OpenAsync(await owner.Chromium.BrowserAsync(), new BrowserNewContextOptions { BaseURL = node.PublicUrl });
        var page = visit.Page;
        await page.GotoAsync("/admin/login");
        for (var i = 1; i <= AdminSignIn.MaxFailures; i++)
        {
            await page.FillAsync("#credential", "not the credential " + i);
            var wrong = await SubmitAsync(page);
            Assert.Equal((int)HttpStatusCode.UnprocessableEntity, wrong.Status);
            Assert.Equal("true", await page.GetAttributeAsync("#credential", "aria-invalid"));
        }

        await page.FillAsync("#credential", "not the credential either");
        var sixth = await SubmitAsync(page);

        Assert.Equal((int)HttpStatusCode.TooManyRequests, sixth.Status);
        Assert.NotNull(await sixth.HeaderValueAsync("retry-after"));
        Assert.Equal("Connexion suspendue", await page.InnerTextAsync("h1"));
        Assert.DoesNotContain(await visit.Context.CookiesAsync(), c => c.Name == AdminPageSession.SessionCookie);
        visit.AssertOnlyOriginAndNoErrors(node.PublicUrl, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status429TooManyRequests);
    }

    [Fact]
    public async Task The_keyboard_alone_signs_in_and_sends_the_profile_form()
    {
        await using var visit = await owner.VisitAsync();
        var page = visit.Page;
        var keyboard = page.Keyboard;
        await page.GotoAsync("/admin/login");

        await TabToAsync(page, "document.activeElement.id === 'credential'");
        await keyboard.TypeAsync(owner.Lynx.Node.OwnerToken);
        await PressThenAsync(page, "Enter", url => url.EndsWith("/admin", StringComparison.Ordinal));
        Assert.Equal("Vue d'ensemble", await page.InnerTextAsync("h1"));

        await TabToAsync(page, "document.activeElement.getAttribute('href') === '/admin/profile'");
        await PressThenAsync(page, "Enter", url => url.EndsWith("/admin/profile", StringComparison.Ordinal));
        await TabToAsync(page, "document.activeElement.id === 'name'");
        await keyboard.PressAsync("Control+A");
        await keyboard.TypeAsync("Lynx au clavier");
        var sent = page.WaitForResponseAsync(r => r.Request.Method == "POST" && r.Url.EndsWith("/admin/profile", StringComparison.Ordinal));
        await keyboard.PressAsync("Enter");
        Assert.Equal((int)HttpStatusCode.SeeOther, (await sent).Status);

        await page.WaitForSelectorAsync(".flash");
        Assert.Contains("abonné·e notifié·e", await page.InnerTextAsync(".flash"), StringComparison.Ordinal);
        Assert.Equal("Lynx au clavier", (await owner.Lynx.Node.GetJsonAsync("/actor"))["name"]!.GetValue<string>());
        visit.AssertOnlyOriginAndNoErrors(owner.Origin);
    }

    [Theory]
    [InlineData("/admin/login", "fr")]
    [InlineData("/admin/login", "en")]
    [InlineData("/admin", "fr")]
    [InlineData("/admin/profile", "fr")]
    [InlineData("/admin/profile", "en")]
    [InlineData("/admin/services", "fr")]
    [InlineData("/admin/services/new", "fr")]
    [InlineData("/admin/services/pad", "en")]
    [InlineData("/admin/charter", "fr")]
    [InlineData("/admin/followers", "fr")]
    [InlineData("/admin/keys", "fr")]
    [InlineData("/admin/keys/rotate", "en")]
    [InlineData("/admin/leave", "fr")]
    [InlineData("/admin/endorsements", "fr")]
    [InlineData("/admin/endorsements", "en")]
    [InlineData("/admin/endorsements/revoke", "fr")]
    public async Task Axe_core_finds_no_serious_violation_on_the_owners_pages(string path, string lang)
    {
        await using var visit = await owner.VisitAsync(lang == "en" ? "en-GB" : "fr-FR");
        var page = visit.Page;
        if (path != "/admin/login")
        {
            await SignInAsync(visit, owner.Lynx.Node.OwnerToken);
        }

        var response = await page.GotoAsync(path == "/admin/endorsements/revoke" ? path + "?id=" + Uri.EscapeDataString(owner.Issued.Id) : path);
        Assert.Equal((int)HttpStatusCode.OK, response!.Status);
        Assert.Equal(lang, await page.GetAttributeAsync("html", "lang"));
        await BrowserTests.AssertNoSeriousViolationAsync(page);

        // And with the errors of a refused form, where the page has one.
        if (path is "/admin/profile" or "/admin/services/new" or "/admin/endorsements" or "/admin/followers" or "/admin/leave")
        {
            if (path == "/admin/profile")
            {
                await page.FillAsync("#website", "pas une adresse");
            }

            await SubmitAsync(page);
            await page.WaitForSelectorAsync("#error-summary");
            await BrowserTests.AssertNoSeriousViolationAsync(page);
        }

        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways");
        visit.AssertOnlyOriginAndNoErrors(owner.Origin, StatusCodes.Status422UnprocessableEntity);
    }

    /// <summary>
    /// The screenshots of the operator's guide, always under .test-results/screenshots/owner-pages, and also in the folder
    /// named by <c>CHATONSFED_SCREENSHOTS</c> when it is set (relative to the repository's root), e.g.
    /// <c>CHATONSFED_SCREENSHOTS=docs/images/owner-pages dotnet test tests/ChatonsFed.Web.Tests --filter Category=Screenshots</c>.
    /// </summary>
    [Fact]
    [Trait("Category", "Screenshots")]
    public async Task Screenshots_of_the_main_pages()
    {
        var folders = new List<string> { Path.Combine(WebsiteFixture.ScreenshotFolder, "owner-pages") };
        if (Environment.GetEnvironmentVariable("CHATONSFED_SCREENSHOTS") is { Length: > 0 } asked)
        {
            folders.Add(Path.IsPathRooted(asked) ? asked : Path.Combine(WebsiteFixture.RepositoryRoot(), asked));
        }

        // The name the chaton was made with, whichever test renamed it before.
        await owner.Lynx.Node.Running!.Profile.SetAsync(new ProfileChanges { Name = owner.Lynx.Name });
        await using var visit = await owner.VisitAsync(viewport: GuideViewport);
        var page = visit.Page;
        async Task ShotAsync(string name)
        {
            foreach (var folder in folders)
            {
                System.IO.Directory.CreateDirectory(folder);
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png") });
            }
        }

        await page.GotoAsync("/admin/login");
        await ShotAsync("login");
        await SignInAsync(visit, owner.Lynx.Node.OwnerToken);
        await ShotAsync("overview");

        await page.GotoAsync("/admin/profile");
        await page.FillAsync("#website", "lynx point example");
        await SubmitAsync(page);
        Assert.Equal("true", await page.GetAttributeAsync("#website", "aria-invalid"));
        await ShotAsync("profile-error");

        await page.GotoAsync("/admin/services");
        await ShotAsync("services");
        await page.GotoAsync("/admin/charter");
        await ShotAsync("charter");
        await page.GotoAsync("/admin/endorsements");
        await ShotAsync("endorsements");
        foreach (var folder in folders)
        {
            Assert.All(System.IO.Directory.EnumerateFiles(folder, "*.png"), file => Assert.InRange(new FileInfo(file).Length, 1_000, 400_000));
        }

        visit.AssertOnlyOriginAndNoErrors(owner.Origin, StatusCodes.Status422UnprocessableEntity);
    }

    /// <summary>Signs in through the form with <paramref name="credential"/>, and waits for the overview.</summary>
    private static async Task SignInAsync(BrowserTests.Visit visit, string credential)
    {
        var page = visit.Page;
        await page.GotoAsync("/admin/login");
        await page.FillAsync("#credential", credential);
        await ClickThenAsync(page, "main form[method=post] button[type=submit]", "/admin");
    }

    /// <summary>Clicks <paramref name="selector"/> and waits for the page whose path ends with <paramref name="path"/>.</summary>
    private static async Task ClickThenAsync(IPage page, string selector, string path)
    {
        await page.ClickAsync(selector);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == path, new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
    }

    /// <summary>Sends the page's last form that posts, and returns the answer to the POST (the browser follows a redirect).</summary>
    private static async Task<IResponse> SubmitAsync(IPage page)
    {
        var form = page.Locator("main form[method=post]").Last;
        var action = await form.GetAttributeAsync("action");
        var answer = page.WaitForResponseAsync(r => r.Request.Method == "POST" && new Uri(r.Url).AbsolutePath == action);
        await form.Locator("button[type=submit]").ClickAsync();
        var response = await answer;
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        return response;
    }

    /// <summary>Presses Tab until <paramref name="condition"/> (a script over <c>document.activeElement</c>) holds, at most 40 times.</summary>
    private static async Task TabToAsync(IPage page, string condition)
    {
        for (var i = 0; i < 40; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>(condition))
            {
                return;
            }
        }

        throw new InvalidOperationException($"Tab never reached the element where {condition}");
    }

    /// <summary>Presses <paramref name="key"/> and waits for the page whose URL matches <paramref name="url"/>.</summary>
    private static async Task PressThenAsync(IPage page, string key, Func<string, bool> url)
    {
        await page.Keyboard.PressAsync(key);
        await page.WaitForURLAsync(url, new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
    }
}
