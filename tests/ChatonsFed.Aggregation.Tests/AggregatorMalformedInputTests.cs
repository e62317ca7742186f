using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ChatonsFed.Aggregation.Tests;

/// <summary>
/// What the aggregator answers to malformed input and to its admin API through a proxy: 400 or 403 with the reason,
/// never a 5xx nor a framework's words.
/// </summary>
public sealed class AggregatorMalformedInputTests
{
    /// <summary>An activity whose actor holds the byte 0xFF, which UTF-8 never uses.</summary>
    private static byte[] InvalidUtf8(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        bytes[Array.IndexOf(bytes, (byte)0xC3)] = 0xFF;
        return bytes;
    }

    [Fact]
    public async Task Invalid_UTF8_in_the_inbox_gets_400_before_any_signature_check()
    {
        await using var aggregator = await TestAggregator.InitAsync([]);
        var log = CapturedLog.AttachTo(aggregator.Running!);
        foreach (var signature in new[] { null, "keyId=\"https://x.example/users/a#main-key\",headers=\"(request-target) host date\",signature=\"AAAA\"" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, aggregator.Inbox)
            {
                Content = new ByteArrayContent(InvalidUtf8("{\"type\":\"Update\",\"actor\":\"https://x.example/users/\u00e9\",\"object\":\"https://x.example/users/a\"}")),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/activity+json");
            if (signature is not null)
            {
                request.Headers.Add("Signature", signature);
            }

            using var response = await aggregator.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("not valid UTF-8", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(2, log.OfEvent(2002).Count(line => line.Contains("from 127.0.0.1", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_directory_admin_API_refuses_proxied_requests_and_malformed_bodies_with_a_reason()
    {
        await using var aggregator = await TestAggregator.InitAsync([]);
        foreach (var path in new[] { "/api/admin/directory/status", "/API/ADMIN/directory/status", "/Api/Admin/Directory/Status" })
        {
            using var proxied = aggregator.Get(path, "application/json");
            proxied.Headers.Authorization = new AuthenticationHeaderValue("Bearer", aggregator.OwnerToken);
            proxied.Headers.Add("X-Forwarded-For", "203.0.113.5");
            using var refused = await aggregator.Http.SendAsync(proxied);
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{path}: {(int)refused.StatusCode}");
            Assert.Contains("through a proxy", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            using var local = aggregator.Get(path, "application/json");
            local.Headers.Authorization = new AuthenticationHeaderValue("Bearer", aggregator.OwnerToken);
            using var answered = await aggregator.Http.SendAsync(local);
            Assert.True(answered.StatusCode == HttpStatusCode.OK, $"{path}: {(int)answered.StatusCode}");
        }

        foreach (var (body, reason) in new[]
        {
            (InvalidUtf8("{\"address\":\"@lynx@h\u00e9risson.example\"}"), "not valid UTF-8"),
            (Encoding.UTF8.GetBytes("{\"address\":[\"@lynx@lynx.example\"]}"), "the JSON value at $.address is not of the expected type"),
            (Encoding.UTF8.GetBytes("{\"address\":"), "the body is not valid JSON"),
        })
        {
            using var follow = aggregator.Admin(HttpMethod.Post, "directory/follow", aggregator.OwnerToken);
            follow.Content = new ByteArrayContent(body);
            follow.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await aggregator.Http.SendAsync(follow);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{reason}: {(int)response.StatusCode} {text}");
            Assert.Contains(reason, JsonNode.Parse(text)!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        using var bootstrap = aggregator.Admin(HttpMethod.Post, "directory/bootstrap", aggregator.OwnerToken);
        bootstrap.Content = new ByteArrayContent(InvalidUtf8("{\"type\":\"ChatonsFedBundle\",\"name\":\"h\u00e9risson\"}"));
        using var bundle = await aggregator.Http.SendAsync(bootstrap);
        Assert.Equal(HttpStatusCode.BadRequest, bundle.StatusCode);
        Assert.Contains("not valid UTF-8", await bundle.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cursor=abc", "the cursor is not one this directory gave")]
    [InlineData("cursor=%25%25%25", "the cursor is not one this directory gave")]
    [InlineData("sort=name&cursor=OQp4CnkK", "belongs to a search with another sort")]
    public async Task A_bad_search_cursor_gets_400_with_a_reason_naming_no_parameter_of_the_code(string query, string reason)
    {
        await using var aggregator = await TestAggregator.InitAsync([]);
        using var response = await aggregator.Http.GetAsync("/api/directory/search?" + query);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, text, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", text, StringComparison.Ordinal);
    }
}
