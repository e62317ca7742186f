using System.Net;
using System.Net.Http.Headers;
using ChatonsFed.Hosting.Admin;
using ChatonsFed.Node.Hosting;
using ChatonsFed.Node.Pages.Admin;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace ChatonsFed.Node.Tests;

/// <summary>Signing in to the owner's web page, its session cookie, its lockout, and the layout every page shares.</summary>
public sealed class AdminPageSignInTests
{
    [Fact]
    public async Task Signing_in_with_the_printed_credential_sets_an_HttpOnly_SameSite_Strict_cookie()
    {
        await using var node = await AdminPageClient.StartNodeAsync();
        using var browser = new AdminPageClient(node.Running!.Address);

        var (status, _, before) = await browser.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.SeeOther, status);
        Assert.Equal("/admin/login", before.Headers.Location!.OriginalString);

        var (loginStatus, login, loginResponse) = await browser.GetAsync("/admin/login");
        Assert.Equal(HttpStatusCode.OK, loginStatus);
        Assert.Contains("name=\"credential\"", login, StringComparison.Ordinal);
        Assert.Contains("<label for=\"credential\">", login, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", loginResponse.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        using var signedIn = await browser.SignInAsync(node.OwnerToken);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.Equal("/admin", signedIn.Headers.Location!.OriginalString);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AdminPageSession.SessionCookie + "=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", cookie, StringComparison.Ordinal);
        Assert.Contains("samesite=strict", cookie, StringComparison.Ordinal);
        Assert.Contains("path=/admin", cookie, StringComparison.Ordinal);
        // Plain http at an http public URL: a browser would not send a Secure cookie back.
        Assert.DoesNotContain("secure", cookie, StringComparison.Ordinal);

        var (overviewStatus, overview, response) = await browser.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.OK, overviewStatus);
        Assert.Contains("<html lang=\"fr\">", overview, StringComparison.Ordinal);
        Assert.Contains("<h1>Vue d&#39;ensemble</h1>", overview, StringComparison.Ordinal);
        Assert.Contains("Lynx Net", overview, StringComparison.Ordinal);
        Assert.Contains("<a class=\"skip\" href=\"#main\">", overview, StringComparison.Ordinal);
        Assert.Contains("<main id=\"main\"", overview, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/admin\" aria-current=\"page\">", overview, StringComparison.Ordinal);
        Assert.Contains("action=\"/admin/logout\"", overview, StringComparison.Ordinal);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Equal(AdminLayout.ContentSecurityPolicy, policy);
        Assert.Contains("form-action 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", policy, StringComparison.Ordinal);
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var (slash, _, slashResponse) = await browser.GetAsync("/admin/");
        Assert.Equal(HttpStatusCode.OK, slash);
        slashResponse.Dispose();
    }

    [Fact]
    public async Task The_cookies_are_Secure_when_the_public_URL_is_https_even_over_plain_http_behind_a_proxy()
    {
        // The test node's public URL is https://chaton.test; it listens on plain http, as behind a TLS proxy.
        await using var node = await TestNode.InitAsync();
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = node.Running!.Address };
        using var login = await client.GetAsync("/admin/login");
        var formCookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AdminPageSession.AntiforgeryCookie + "=", StringComparison.Ordinal));
        Assert.Contains("secure", formCookie.ToLowerInvariant(), StringComparison.Ordinal);

        using var post = new HttpRequestMessage(HttpMethod.Post, "/admin/login")
        {
            Content = new FormUrlEncodedContent([new("credential", node.OwnerToken), new(AdminPageClient.TokenField, AdminPageClient.TokenOf(await login.Content.ReadAsStringAsync()))]),
        };
        post.Headers.Add("Cookie", formCookie.Split(';')[0]);
        using var signedIn = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        var session = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AdminPageSession.SessionCookie + "=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("secure", session, StringComparison.Ordinal);
        Assert.Contains("httponly", session, StringComparison.Ordinal);
        Assert.Contains("samesite=strict", session, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_credential_shows_the_form_again_with_its_error_and_is_logged_without_the_secret()
    {
        await using var node = await AdminPageClient.StartNodeAsync();
        var log = CapturedLog.AttachTo(node.Running!);
        using var browser = new AdminPageClient(node.Running!.Address);
        const string Wrong = "cf_this-is-not-the-credential-1234";
        using var response = await browser.SignInAsync(Wrong);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("aria-invalid=\"true\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"credential-hint credential-error\"", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#credential\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Wrong, html, StringComparison.Ordinal);
        Assert.DoesNotContain(browser.Cookies.GetCookies(node.Running.Address).Cast<Cookie>(), c => c.Name == AdminPageSession.SessionCookie);

        var failures = log.OfEvent(5004);
        Assert.Single(failures);
        Assert.Contains("127.0.0.1", failures[0], StringComparison.Ordinal);
        Assert.DoesNotContain(log.Lines, line => line.Message.Contains(Wrong, StringComparison.Ordinal));
        var (after, _, afterResponse) = await browser.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.SeeOther, after);
        afterResponse.Dispose();
    }

    [Fact]
    public async Task After_five_failures_even_the_right_credential_gets_429_for_fifteen_minutes()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var node = await AdminPageClient.StartNodeAsync(time);
        var log = CapturedLog.AttachTo(node.Running!);
        using var browser = new AdminPageClient(node.Running!.Address);
        var form = string.Empty;
        for (var i = 0; i < AdminSignIn.MaxFailures; i++)
        {
            using var wrong = await browser.SignInAsync("wrong password " + i);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
            form = await wrong.Content.ReadAsStringAsync();
        }

        Assert.Equal(AdminSignIn.MaxFailures, log.OfEvent(5004).Count);
        var token = AdminPageClient.TokenOf(form);
        using (var sixth = await PostLoginAsync(browser, node.OwnerToken, token))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
            var retry = sixth.Headers.RetryAfter?.Delta ?? TimeSpan.Zero;
            Assert.InRange(retry.TotalSeconds, 14 * 60, 15 * 60);
            Assert.DoesNotContain(browser.Cookies.GetCookies(node.Running.Address).Cast<Cookie>(), c => c.Name == AdminPageSession.SessionCookie);
        }

        Assert.NotEmpty(log.OfEvent(5005));
        var (lockedStatus, _, locked) = await browser.GetAsync("/admin/login");
        Assert.Equal(HttpStatusCode.TooManyRequests, lockedStatus);
        locked.Dispose();

        time.Advance(TimeSpan.FromMinutes(14));
        using (var stillLocked = await PostLoginAsync(browser, node.OwnerToken, token))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, stillLocked.StatusCode);
        }

        time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        await browser.SignInOrFailAsync(node.OwnerToken);
        var (status, _, overview) = await browser.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.OK, status);
        overview.Dispose();
    }

    [Fact]
    public async Task Behind_a_known_proxy_the_pages_answer_and_failures_count_per_forwarded_client()
    {
        await using var node = await AdminPageClient.StartNodeAsync();
        using var attacker = new AdminPageClient(node.Running!.Address);
        attacker.Http.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.5");
        for (var i = 0; i < AdminSignIn.MaxFailures; i++)
        {
            using var wrong = await attacker.SignInAsync("wrong password " + i);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        }

        var (locked, _, lockedResponse) = await attacker.GetAsync("/admin/login");
        Assert.Equal(HttpStatusCode.TooManyRequests, locked);
        lockedResponse.Dispose();

        // Another client behind the same proxy is not locked out. The loopback proxy is trusted: a request it says came
        // over https gets Secure cookies (a client on this plain http connection would not send them back, so only the
        // last request says so).
        using var owner = new AdminPageClient(node.Running.Address);
        owner.Http.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.6");
        var (_, login, loginResponse) = await owner.GetAsync("/admin/login");
        loginResponse.Dispose();
        using var post = new HttpRequestMessage(HttpMethod.Post, "/admin/login")
        {
            Content = new FormUrlEncodedContent([new("credential", node.OwnerToken), new(AdminPageClient.TokenField, AdminPageClient.TokenOf(login))]),
        };
        post.Headers.Add("X-Forwarded-Proto", "https");
        using var signedIn = await owner.Http.SendAsync(post);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.Contains("secure", signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AdminPageSession.SessionCookie + "=", StringComparison.Ordinal)).ToLowerInvariant(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forms_without_the_antiforgery_token_are_refused_with_400_and_a_reason()
    {
        await using var node = await AdminPageClient.StartNodeAsync();
        using var browser = new AdminPageClient(node.Running!.Address);
        using (var login = await browser.PostFormAsync("/admin/login", "/admin/login", [new("credential", node.OwnerToken)], withToken: false))
        {
            Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
            Assert.Contains("rien n&#39;a été modifié", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.NotNull(login.Headers.GetValues("Content-Security-Policy").Single());
        }

        await browser.SignInOrFailAsync(node.OwnerToken);
        using (var signOut = await browser.PostFormAsync("/admin", "/admin/logout", [], withToken: false))
        {
            Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        }

        var (status, _, response) = await browser.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.OK, status);
        response.Dispose();
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        await using var node = await AdminPageClient.StartNodeAsync();
        using var browser = new AdminPageClient(node.Running!.Address);
        await browser.SignInOrFailAsync(node.OwnerToken);
        using (var signOut = await browser.PostFormAsync("/admin", "/admin/logout", []))
        {
            Assert.Equal(HttpStatusCode.SeeOther, signOut.StatusCode);
            Assert.Equal("/admin/login", signOut.Headers.Location!.OriginalString);
        }

        var (loginStatus, login, loginResponse) = await browser.GetAsync("/admin/login");
        Assert.Equal(HttpStatusCode.OK, loginStatus);
        Assert.Contains("Vous êtes déconnecté·e.", login, StringComparison.Ordinal);
        loginResponse.Dispose();
        var (status, _, response) = await browser.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.SeeOther, status);
        response.Dispose();
    }

    [Fact]
    public async Task The_bearer_API_still_works_and_the_page_cookie_does_not_open_it()
    {
        await using var node = await AdminPageClient.StartNodeAsync();
        using var browser = new AdminPageClient(node.Running!.Address);
        await browser.SignInOrFailAsync(node.OwnerToken);
        var session = browser.Cookies.GetCookies(new Uri(node.Running.Address, "/admin")).Cast<Cookie>().Single(c => c.Name == AdminPageSession.SessionCookie);

        // The cookie's path keeps browsers from sending it to the API; sent anyway, it is not a credential there.
        Assert.DoesNotContain(browser.Cookies.GetCookies(new Uri(node.Running.Address, "/api/admin/profile")).Cast<Cookie>(), c => c.Name == AdminPageSession.SessionCookie);
        using var withCookie = node.Admin(HttpMethod.Get, "profile", null);
        withCookie.Headers.Add("Cookie", $"{session.Name}={session.Value}");
        using (var refused = await node.Http.SendAsync(withCookie))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var bearer = await node.Http.SendAsync(node.Admin(HttpMethod.Get, "profile", node.OwnerToken));
        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);

        // Nor does the bearer credential open the pages: they want the session.
        using var page = new HttpRequestMessage(HttpMethod.Get, "/admin");
        page.Headers.Authorization = new AuthenticationHeaderValue("Bearer", node.OwnerToken);
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = node.Running.Address };
        using var redirected = await noRedirects.SendAsync(page);
        Assert.Equal(HttpStatusCode.SeeOther, redirected.StatusCode);
    }

    [Fact]
    public async Task The_page_is_in_French_by_default_and_in_English_when_asked_which_a_cookie_remembers()
    {
        await using var node = await AdminPageClient.StartNodeAsync();
        using (var english = new AdminPageClient(node.Running!.Address, "en-GB,en;q=0.9"))
        {
            var (_, html, response) = await english.GetAsync("/admin/login");
            Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
            Assert.Contains("<h1>Sign in</h1>", html, StringComparison.Ordinal);
            Assert.Equal("en", response.Content.Headers.ContentLanguage.Single());
            response.Dispose();
        }

        using var browser = new AdminPageClient(node.Running.Address);
        var (_, french, first) = await browser.GetAsync("/admin/login");
        Assert.Contains("<h1>Connexion</h1>", french, StringComparison.Ordinal);
        Assert.Contains("href=\"/admin/login?lang=en\"", french, StringComparison.Ordinal);
        first.Dispose();
        (_, _, first) = await browser.GetAsync("/admin/login?lang=en");
        first.Dispose();
        await browser.SignInOrFailAsync(node.OwnerToken);
        var (_, overview, second) = await browser.GetAsync("/admin");
        Assert.Contains("<html lang=\"en\">", overview, StringComparison.Ordinal);
        Assert.Contains("<h1>Overview</h1>", overview, StringComparison.Ordinal);
        Assert.Contains("Sign out", overview, StringComparison.Ordinal);
        second.Dispose();
    }

    [Theory]
    [InlineData("/admin/login")]
    [InlineData("/admin")]
    [InlineData("/admin/profile")]
    [InlineData("/admin/services")]
    [InlineData("/admin/services/new")]
    [InlineData("/admin/services/pad")]
    [InlineData("/admin/services/pad/remove")]
    [InlineData("/admin/services/nothing-here")]
    [InlineData("/admin/charter")]
    [InlineData("/admin/followers")]
    [InlineData("/admin/endorsements")]
    [InlineData("/admin/endorsements/revoke?id=nothing-here")]
    [InlineData("/admin/keys")]
    [InlineData("/admin/keys/rotate")]
    [InlineData("/admin/leave")]
    public async Task Every_page_has_the_strict_content_security_policy_and_one_h1(string path)
    {
        await using var node = await AdminPageClient.StartNodeAsync();
        await node.Running!.ServiceCatalogue.AddAsync(new() { Name = "Pad", Category = "collaborative-writing", Url = "https://pad.lynx.example" });
        using var browser = new AdminPageClient(node.Running!.Address);
        await browser.SignInOrFailAsync(node.OwnerToken);
        var (status, html, response) = await browser.GetAsync(path);
        Assert.True(status is HttpStatusCode.OK or HttpStatusCode.NotFound or HttpStatusCode.SeeOther, $"{path}: {(int)status}");
        if (status != HttpStatusCode.SeeOther)
        {
            Assert.Equal(AdminLayout.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Single(html.Split("<h1>").Skip(1));
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(" style=", html, StringComparison.Ordinal);
            // Every form that posts carries the token (a form sent with GET, which only leads to a confirmation, does not).
            foreach (var form in html.Split("<form method=\"post\"").Skip(1))
            {
                Assert.Contains("name=\"form_token\"", form.Split("</form>")[0], StringComparison.Ordinal);
            }

            Assert.All(html.Split("<form ").Skip(1), form => Assert.Matches("^method=\"(post|get)\"", form));
        }

        response.Dispose();
    }

    [Fact]
    public async Task A_node_nobody_administers_by_the_web_loads_no_key_ring()
    {
        await using var node = await AdminPageClient.StartNodeAsync();
        Assert.DoesNotContain(node.Running!.Services.GetServices<IHostedService>(), s => s.GetType().Name == "DataProtectionHostedService");
        using (var actor = await node.Http.SendAsync(node.Get("/actor")))
        {
            Assert.Equal(HttpStatusCode.OK, actor.StatusCode);
        }

        var ring = Path.Combine(node.Folder, "keys", AdminPageSession.KeyRingFolder);
        Assert.False(System.IO.Directory.Exists(ring) && System.IO.Directory.EnumerateFiles(ring).Any());
        using var browser = new AdminPageClient(node.Running.Address);
        await browser.SignInOrFailAsync(node.OwnerToken);
        Assert.NotEmpty(System.IO.Directory.EnumerateFiles(ring, "key-*.xml"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(ring));
        }
    }

    /// <summary>The sign-in page itself answers 429 while locked out: the form is posted with a token read before.</summary>
    private static async Task<HttpResponseMessage> PostLoginAsync(AdminPageClient browser, string credential, string token)
    {
        using var content = new FormUrlEncodedContent([new("credential", credential), new(AdminPageClient.TokenField, token)]);
        return await browser.Http.PostAsync("/admin/login", content);
    }
}
