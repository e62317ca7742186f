using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ChatonsFed.Hosting.Admin;
using ChatonsFed.Hosting.Operations;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Node.Tests;

/// <summary>
/// The admin API stays private: a request that came through a proxy is refused whatever its path's letter case or
/// encoding, failed sign-ins are counted per real client (the address a known proxy forwarded), the local command
/// line's run token is never locked out, and every failure is logged with the client and the reason, never the token.
/// </summary>
public sealed class PrivateAdminTests
{
    /// <summary>The admin API's profile, written in the ways a client can write it; routing and the guard read them all alike.</summary>
    public static readonly string[] ProfilePaths =
    [
        "/api/admin/profile", "/API/ADMIN/profile", "/Api/Admin/profile", "/api/%61dmin/profile", "/api/%2561dmin/profile",
        "/api%2Fadmin/profile", "/api%2fadmin/profile", "/api//admin/profile", "/api/./admin/profile", "/api/admin/../admin/profile",
        "/api\\admin/profile",
    ];

    private static readonly (string Name, string Value)[] ProxyHeaders =
    [
        ("X-Forwarded-For", "203.0.113.5"), ("x-forwarded-for", "203.0.113.5"), ("Forwarded", "for=203.0.113.5;proto=https"),
        ("X-Real-IP", "203.0.113.5"), ("X-Forwarded-Host", "chaton.test"), ("X-Forwarded-Proto", "https"),
    ];

    [Fact]
    public async Task A_proxied_admin_request_is_refused_with_any_forwarding_header_and_path_spelling_even_with_the_right_token()
    {
        await using var node = await TestNode.InitAsync();
        var log = CapturedLog.AttachTo(node.Running!);
        foreach (var (name, value) in ProxyHeaders)
        {
            foreach (var path in ProfilePaths)
            {
                using var request = AsSent(node, HttpMethod.Get, path, node.Running!.RunToken, (name, value));
                using var response = await node.Http.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{name} {path}: {(int)response.StatusCode} {body}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                var detail = JsonNode.Parse(body)!["detail"]!.GetValue<string>();
                Assert.Contains($"it has a {name} header", detail, StringComparison.Ordinal);
                Assert.Contains("ChatonsFed:Admin:AllowProxied", detail, StringComparison.Ordinal);
            }
        }

        // A change is refused as well, and nothing changes.
        using (var change = AsSent(node, HttpMethod.Patch, "/API/admin/profile", node.OwnerToken, ("X-Forwarded-For", "203.0.113.5")))
        {
            change.Content = JsonContent("{\"name\":\"Taken over\"}");
            using var refused = await node.Http.SendAsync(change);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        Assert.Equal("Lynx Net", (await node.GetJsonAsync("/actor"))["name"]!.GetValue<string>());

        // Without a proxy, the same paths (those routing reads as the admin API) answer the owner.
        foreach (var path in new[] { "/API/ADMIN/profile", "/api/%61dmin/profile", "/api/./admin/profile" })
        {
            using var local = AsSent(node, HttpMethod.Get, path, node.Running!.RunToken);
            using var answered = await node.Http.SendAsync(local);
            Assert.True(answered.StatusCode == HttpStatusCode.OK, $"{path}: {(int)answered.StatusCode}");
        }

        // Each refusal is logged with the address and why, at most LinesPerMinute lines a minute however many come.
        var lines = log.OfEvent(5001);
        Assert.InRange(lines.Count, 1, LogThrottle.LinesPerMinute);
        Assert.Contains(lines, line => line.Contains("from 127.0.0.1", StringComparison.Ordinal)
            && line.Contains("X-Forwarded-For header", StringComparison.Ordinal) && line.Contains("203.0.113.5", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains(node.Running!.RunToken, StringComparison.Ordinal));
    }

    [Fact]
    public void A_connection_from_a_listed_proxy_is_proxied_unless_it_is_a_loopback_address()
    {
        var none = new HeaderDictionary();
        string[] proxies = ["10.0.0.5", "::ffff:10.0.0.6", "127.0.0.1"];
        Assert.Contains("10.0.0.5, a proxy listed in ChatonsFed:KnownProxies", AdminGuard.ProxyEvidence(none, IPAddress.Parse("10.0.0.5"), proxies), StringComparison.Ordinal);
        Assert.NotNull(AdminGuard.ProxyEvidence(none, IPAddress.Parse("::ffff:10.0.0.5"), proxies));
        Assert.NotNull(AdminGuard.ProxyEvidence(none, IPAddress.Parse("10.0.0.6"), proxies));
        Assert.Null(AdminGuard.ProxyEvidence(none, IPAddress.Parse("10.0.0.7"), proxies));
        // The local command line connects from loopback too: a proxy there is known by its headers only.
        Assert.Null(AdminGuard.ProxyEvidence(none, IPAddress.Loopback, proxies));
        Assert.Null(AdminGuard.ProxyEvidence(none, IPAddress.IPv6Loopback, proxies));
        Assert.NotNull(AdminGuard.ProxyEvidence(new HeaderDictionary { ["X-Forwarded-Port"] = "443" }, IPAddress.Loopback, []));
    }

    [Fact]
    public void Admin_paths_are_recognised_in_any_case_and_encoding_and_others_are_not()
    {
        Assert.All(ProfilePaths, path => Assert.True(AdminGuard.IsAdminPath(path), path));
        Assert.True(AdminGuard.IsAdminPath("/api/admin"));
        Assert.True(AdminGuard.IsAdminPath("/x/../api/ADMIN/directory/status"));
        Assert.False(AdminGuard.IsAdminPath("/api/directory/search"));
        Assert.False(AdminGuard.IsAdminPath("/api/administrator"));
        Assert.False(AdminGuard.IsAdminPath("/api/admin/../directory"));
        Assert.False(AdminGuard.IsAdminPath("/actor"));
        Assert.False(AdminGuard.IsAdminPath(null));
    }

    [Fact]
    public async Task With_AllowProxied_the_admin_API_answers_through_a_proxy()
    {
        await using var node = await TestNode.InitAsync(start: false);
        await node.ConfigureAsync(settings => settings["Admin"] = new JsonObject { ["AllowProxied"] = true });
        await node.StartAsync();
        Assert.True(node.Running!.Options.Admin.AllowProxied);
        foreach (var (name, value) in ProxyHeaders)
        {
            using var request = AsSent(node, HttpMethod.Get, "/API/Admin/profile", node.OwnerToken, (name, value));
            using var response = await node.Http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Failures_through_a_proxy_lock_out_that_client_only_never_another_one_nor_the_run_token()
    {
        await using var node = await TestNode.InitAsync(start: false);
        await node.ConfigureAsync(settings => settings["Admin"] = new JsonObject { ["AllowProxied"] = true });
        await node.StartAsync();
        var log = CapturedLog.AttachTo(node.Running!);
        const string Attacker = "203.0.113.7";
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            // Through the proxy (loopback is a known proxy by default), in another letter case than the CLI's.
            using var guess = AsSent(node, HttpMethod.Get, "/API/ADMIN/profile", "cf_guess_secret_" + i, ("X-Forwarded-For", Attacker));
            using var response = await node.Http.SendAsync(guess);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, statuses[0]);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);

        // That client waits, even with the owner's credential.
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(node, node.OwnerToken, ("X-Forwarded-For", Attacker)));
        // Another client behind the same proxy does not, nor a client on the proxy's own address.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(node, node.OwnerToken, ("X-Forwarded-For", "198.51.100.8")));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(node, node.OwnerToken));
        // The run token is never locked out, whatever address it comes from.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(node, node.Running!.RunToken, ("X-Forwarded-For", Attacker)));

        // Each failure is logged with the real client and the reason, never what was presented.
        var failed = log.OfEvent(5002);
        Assert.Equal(5, failed.Count);
        Assert.All(failed, line =>
        {
            Assert.Contains($"from {Attacker}", line, StringComparison.Ordinal);
            Assert.Contains("the admin token is not valid", line, StringComparison.Ordinal);
            Assert.DoesNotContain("cf_guess", line, StringComparison.Ordinal);
        });
        var locked = log.OfEvent(5003);
        Assert.Equal(3, locked.Count);
        Assert.All(locked, line => Assert.Contains($"from {Attacker}", line, StringComparison.Ordinal));
        Assert.DoesNotContain(log.Lines, line => line.Message.Contains("cf_guess", StringComparison.Ordinal) || line.Message.Contains(node.OwnerToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_malformed_Authorization_header_is_logged_with_its_reason_and_not_its_value()
    {
        await using var node = await TestNode.InitAsync();
        var log = CapturedLog.AttachTo(node.Running!);
        using var request = AsSent(node, HttpMethod.Get, "/api/admin/profile", null);
        request.Headers.TryAddWithoutValidation("Authorization", "Basic b3duZXI6aHVudGVyMg==");
        using var response = await node.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var line = Assert.Single(log.OfEvent(5002));
        Assert.Contains("from 127.0.0.1", line, StringComparison.Ordinal);
        Assert.Contains("not 'Bearer TOKEN'", line, StringComparison.Ordinal);
        Assert.DoesNotContain("b3duZXI6aHVudGVyMg", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_command_line_goes_through_the_running_node_while_its_address_is_locked_out()
    {
        await using var node = await TestNode.InitAsync();
        for (var i = 0; i < 6; i++)
        {
            await StatusAsync(node, "cf_wrong" + i);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(node, node.OwnerToken));

        // The command line, on the same address, presents the run token: it is admitted, and never writes offline.
        var set = await CliRunner.RunAsync("profile", "set", "--data", node.Folder, "--summary", "Toujours joignable");
        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.Contains("through the running node", set.Output, StringComparison.Ordinal);
        Assert.Contains("Toujours joignable", (await node.GetJsonAsync("/actor"))["summary"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>A request for <paramref name="path"/> exactly as written (no dot segment removed, nothing decoded).</summary>
    internal static HttpRequestMessage AsSent(TestHost host, HttpMethod method, string path, string? token, params (string Name, string Value)[] headers)
    {
        var uri = new Uri(host.Http.BaseAddress!.GetLeftPart(UriPartial.Authority) + path, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        var request = new HttpRequestMessage(method, uri);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    internal static ByteArrayContent JsonContent(string json) => JsonContent(System.Text.Encoding.UTF8.GetBytes(json));

    internal static ByteArrayContent JsonContent(byte[] json)
    {
        var content = new ByteArrayContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static async Task<HttpStatusCode> StatusAsync(TestNode node, string token, params (string Name, string Value)[] headers)
    {
        using var request = AsSent(node, HttpMethod.Get, "/api/admin/profile", token, headers);
        using var response = await node.Http.SendAsync(request);
        return response.StatusCode;
    }
}
