using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace ChatonsFed.Node.Tests;

public sealed class InboxLimitTests
{
    [Fact]
    public async Task A_body_over_the_limit_gets_413_with_a_reason()
    {
        await using var node = await TestNode.InitAsync();
        var big = "{\"type\":\"Follow\",\"x\":\"" + new string('a', 1024 * 1024) + "\"}";
        using var content = new StringContent(big, Encoding.UTF8, "application/activity+json");
        using var response = await node.Http.PostAsync("/actor/inbox", content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("1048576 bytes", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deeply_nested_JSON_gets_400()
    {
        await using var node = await TestNode.InitAsync();
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100);
        using var content = new StringContent(deep, Encoding.UTF8, "application/activity+json");
        using var response = await node.Http.PostAsync("/inbox", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("nested deeper", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unsigned_activity_gets_401_with_a_reason()
    {
        await using var node = await TestNode.InitAsync();
        using var content = new StringContent("{\"type\":\"Follow\",\"actor\":\"https://x.example/a\",\"object\":\"https://chaton.test/actor\"}", Encoding.UTF8, "application/activity+json");
        using var response = await node.Http.PostAsync("/actor/inbox", content);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("not signed", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Too_many_unverified_requests_from_one_address_get_429_with_Retry_After()
    {
        await using var node = await TestNode.InitAsync(start: false);
        await node.ConfigureAsync(settings => settings["InboxUnverifiedRequestsPerMinute"] = 3);
        await node.StartAsync();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last?.Dispose();
            using var content = new StringContent("{}", Encoding.UTF8, "application/activity+json");
            last = await node.Http.PostAsync("/inbox", content);
        }

        using (last)
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, last!.StatusCode);
            Assert.NotNull(last.Headers.RetryAfter);
            Assert.Contains("too many unverified requests from this address", await last.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(null, 6)]
    [InlineData("10.9.9.9", 2)]
    public async Task A_forwarded_client_address_is_believed_from_known_proxies_only(string? proxy, int answered)
    {
        // Loopback is the default known proxy: a request from 127.0.0.1 that says it is for another client counts
        // for that client. With another proxy named, the same header is not believed and 127.0.0.1 is the client.
        await using var node = await TestNode.InitAsync(start: false);
        await node.ConfigureAsync(settings =>
        {
            settings["InboxUnverifiedRequestsPerMinute"] = 2;
            if (proxy is not null)
            {
                settings["KnownProxies"] = new JsonArray(proxy);
            }
        });
        await node.StartAsync();
        string[] clients = ["198.51.100.1", "198.51.100.2", "198.51.100.3"];
        var statuses = new List<HttpStatusCode>();
        foreach (var client in clients.Concat(clients))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/inbox") { Content = new StringContent("{}", Encoding.UTF8, "application/activity+json") };
            request.Headers.Add("X-Forwarded-For", client);
            using var response = await node.Http.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        // Believed: each of the three clients has its own budget of two. Not believed: one client, two in all.
        Assert.Equal(answered, statuses.Count(s => s == HttpStatusCode.BadRequest));
        Assert.Equal(6 - answered, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }
}
