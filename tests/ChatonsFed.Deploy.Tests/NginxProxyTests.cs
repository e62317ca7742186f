using System.Net;
using System.Text.Json.Nodes;
using ChatonsFed.Directory.Node;
using ChatonsFed.Hosting;
using ChatonsFed.Node.Admin;
using ChatonsFed.Node.Hosting;

namespace ChatonsFed.Deploy.Tests;

/// <summary>
/// A real node behind the real nginx of deploy/nginx/chatonsfed.conf (TLS on 127.0.0.1), and the real Fedify peer
/// finding it by its handle and following it through the proxy: the node verifies the HTTP signature of Fedify's
/// Follow over the URL it rebuilds from nginx's forwarded headers, and Fedify verifies the node's signed Accept.
/// </summary>
public sealed class NginxProxyTests : IAsyncLifetime
{
    private TestNginx? _nginx;
    private TestNode? _node;

    private TestNginx Nginx => _nginx ?? throw new InvalidOperationException("nginx is not started");

    private RunningNode Node => _node?.Running ?? throw new InvalidOperationException("the node is not started");

    [Fact]
    public async Task Fedify_finds_the_node_by_its_handle_and_follows_it_through_nginx_with_signatures_checked_both_ways()
    {
        await StartAsync();
        await using var peer = await StartPeerAsync();

        // WebFinger and the actor, over https through the proxy, as Fedify looks up any account.
        var found = await peer.LookupAsync($"acct:lynx@127.0.0.1:{Nginx.HttpsPort}");
        Assert.True(found.Ok, $"{found.Error}\nnginx: {Nginx.ErrorLog}");
        Assert.Equal(Nginx.PublicUrl + "/actor", found.Id);
        Assert.Equal("Organization", found.ClassName);

        foreach (var knock in new[] { "rfc9421", "draft-cavage" })
        {
            var follow = await peer.FollowAsync(Nginx.PublicUrl + "/actor", knock, waitSeconds: 15);
            Assert.True(follow.Ok, $"{knock}: {follow.Error}\nnginx: {Nginx.AccessLog}");
            Assert.True(follow.Accepted, $"{knock}: no Accept within 15 s; peer errors: {string.Join("; ", (await peer.GetStateAsync()).Errors.Select(e => e.Message))}\nnginx: {Nginx.AccessLog}");
            Assert.StartsWith(knock, follow.KnockRemembered, StringComparison.Ordinal);
            Assert.Equal(Nginx.PublicUrl + "/actor", follow.Reply!["actor"]!.GetValue<string>());
        }

        // Each Follow went through nginx and its HTTP signature was accepted at once (202, no 401 and second knock).
        var posts = Nginx.AccessLog.Split('\n').Where(l => l.Contains("\"POST /", StringComparison.Ordinal)).ToList();
        Assert.True(posts.Count == 2, Nginx.AccessLog);
        Assert.All(posts, line => Assert.Contains("\" 202 ", line, StringComparison.Ordinal));

        using var http = Nginx.Client();
        using var followers = await GetAsync(http, "/actor/followers");
        Assert.Equal(1, JsonNode.Parse(await followers.Content.ReadAsStringAsync())!["totalItems"]!.GetValue<int>());
        Assert.Contains(peer.ActorUrl, Node.NodeStore.Followers.FindAll().Select(f => f.Id));
    }

    [Fact]
    public async Task Without_the_forwarded_host_and_scheme_the_node_cannot_verify_what_Fedify_signed()
    {
        // The same site, passing the Host without its port and neither X-Forwarded-Proto nor X-Forwarded-Host.
        await StartAsync(site => site
            .Replace("proxy_set_header Host $http_host;", "proxy_set_header Host $host;", StringComparison.Ordinal)
            .Replace("proxy_set_header X-Forwarded-Host $http_host;", string.Empty, StringComparison.Ordinal)
            .Replace("proxy_set_header X-Forwarded-Proto $scheme;", string.Empty, StringComparison.Ordinal));
        await using var peer = await StartPeerAsync();

        var follow = await peer.FollowAsync(Nginx.PublicUrl + "/actor", "rfc9421", waitSeconds: 3);

        Assert.False(follow.Ok && follow.Accepted, Nginx.AccessLog);
        var posts = Nginx.AccessLog.Split('\n').Where(l => l.Contains("\"POST /", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(posts);
        Assert.All(posts, line => Assert.Contains("\" 401 ", line, StringComparison.Ordinal));
        Assert.Empty(Node.NodeStore.Followers.FindAll());
    }

    [Fact]
    public async Task Public_documents_are_cached_by_nginx_and_the_admin_API_is_not_reachable_through_it()
    {
        await StartAsync();
        using var http = Nginx.Client();

        using var first = await GetAsync(http, "/actor");
        using var second = await GetAsync(http, "/actor");
        using var page = await GetAsync(http, "/actor", "text/html");

        Assert.Equal("MISS", CacheStatus(first));
        Assert.Equal("HIT", CacheStatus(second));
        Assert.Equal("application/activity+json", second.Content.Headers.ContentType?.MediaType);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Nginx.PublicUrl + "/actor", JsonNode.Parse(await second.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
        Assert.True(second.Headers.Contains("Strict-Transport-Security"));

        using var admin = new HttpRequestMessage(HttpMethod.Get, "/api/admin/profile");
        admin.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Node.RunToken);
        using var refused = await http.SendAsync(admin);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    /// <summary>
    /// The admin API's paths as a client may write them. nginx normalises each (%XX decoded, dot segments resolved,
    /// slashes merged) before matching its locations; the node's routing ignores letter case.
    /// </summary>
    private static readonly string[] AdminPathSpellings =
    [
        "/api/admin/x", "/API/ADMIN/x", "/Api/Admin/x", "/api/%61dmin/x", "/api//admin/x", "/api/./admin/x", "/api%2Fadmin/x",
        "/api/admin/profile", "/API/Admin/profile", "/api/%41DMIN/profile", "/x/../api/admin/profile",
    ];

    /// <summary>The site's rule that denies the admin API.</summary>
    private const string AdminRule = "    location ~* ^/+api/+admin(/|$) {\n        deny all;\n    }\n";

    [Fact]
    public async Task Nginx_denies_the_admin_API_in_every_letter_case_and_encoding()
    {
        await StartAsync();
        using var http = Nginx.Client();
        foreach (var path in AdminPathSpellings.Concat(["/HEALTHZ", "/ReadyZ", "/METRICS", "/metrics/", "//readyz"]))
        {
            using var request = AsSent(HttpMethod.Get, path);
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{path}: {(int)response.StatusCode} {body}\nnginx: {Nginx.AccessLog}");
            // nginx's own page, not the node's problem document: the request never reached the node.
            Assert.Contains("<center>nginx", body, StringComparison.Ordinal);
        }

        // Each path reached nginx as written.
        Assert.Contains("\"GET /api/%61dmin/x HTTP/1.1\" 403", Nginx.AccessLog, StringComparison.Ordinal);
        Assert.Contains("\"GET /api/./admin/x HTTP/1.1\" 403", Nginx.AccessLog, StringComparison.Ordinal);
        using var actor = await GetAsync(http, "/actor");
    }

    [Fact]
    public async Task Without_the_nginx_rule_the_node_still_refuses_admin_requests_that_came_through_the_proxy()
    {
        await StartAsync(site =>
        {
            Assert.Contains(AdminRule, site, StringComparison.Ordinal);
            return site.Replace(AdminRule, string.Empty, StringComparison.Ordinal);
        });
        using var http = Nginx.Client();
        foreach (var path in AdminPathSpellings)
        {
            using var request = AsSent(HttpMethod.Get, path);
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{path}: {(int)response.StatusCode} {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("it has a X-Forwarded-", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Health_and_metrics_answer_on_the_node_itself_but_not_through_nginx()
    {
        await StartAsync();
        using var http = Nginx.Client();
        using var direct = new HttpClient { BaseAddress = Node.Address };
        foreach (var path in new[] { "/healthz", "/readyz", "/metrics" })
        {
            using var refused = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using var live = await direct.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var ready = await direct.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        if (_nginx is not null)
        {
            await _nginx.DisposeAsync();
            Assert.True(_nginx.HasExited, "nginx is still running");
        }
    }

    /// <summary>A node made by 'chatonsfed init' for https://127.0.0.1:PORT, trusting 127.0.0.1 as its proxy, behind nginx at PORT.</summary>
    private async Task StartAsync(Func<string, string>? alterSite = null)
    {
        var folder = await TestNginx.PrepareFolderAsync();
        var httpsPort = TestHost.FreePort();
        var nodePort = TestHost.FreePort();
        _node = await TestNode.InitAsync($"https://127.0.0.1:{httpsPort}", start: false);
        await _node.ConfigureAsync(settings =>
        {
            settings["KnownProxies"] = new JsonArray("127.0.0.1");
            // Fedify also attaches an object proof to its activities, which a node accepts when the HTTP signature fails.
            // The node under test takes HTTP signatures only, so that an accepted Follow shows that the signature held
            // over the URL rebuilt behind the proxy.
            settings["AcceptObjectProofs"] = false;
        });
        await _node.StartAsync($"http://127.0.0.1:{nodePort}");
        await Node.ServiceCatalogue.AddAsync(new ServiceChanges { Category = "collaborative-writing", Name = "Pad", Url = "https://pad.example", Software = "Etherpad" });
        await Node.Attestation.SetAsync(new AttestationChanges { AllRequiredMet = true });
        _nginx = await TestNginx.StartAsync(folder, httpsPort, nodePort, alterSite);
    }

    private async Task<FedifyPeer> StartPeerAsync() =>
        await FedifyPeer.StartAsync(new FedifyPeerOptions
        {
            Environment = new Dictionary<string, string> { ["NODE_EXTRA_CA_CERTS"] = Nginx.CertificateFile },
        });

    /// <summary>A request with this run's admin token for <paramref name="path"/> exactly as written (nothing decoded nor resolved).</summary>
    private HttpRequestMessage AsSent(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(Nginx.PublicUrl + path, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Node.RunToken);
        return request;
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient http, string path, string accept = "application/activity+json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);
        var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
        return response;
    }

    private static string? CacheStatus(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Cache-Status", out var values) ? values.Single() : null;
}
