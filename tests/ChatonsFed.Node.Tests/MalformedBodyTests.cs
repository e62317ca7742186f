using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Hosting.Operations;
using ChatonsFed.Node.Hosting;

namespace ChatonsFed.Node.Tests;

/// <summary>
/// Bodies that are not what they should be (invalid UTF-8, cut short, of the wrong JSON type, missing) get 400 with the
/// reason, never a 5xx; every refused inbox request is logged with the client's address, at a bounded rate.
/// </summary>
public sealed class MalformedBodyTests
{
    /// <summary>A Follow whose actor holds the byte 0xFF, which UTF-8 never uses.</summary>
    internal static byte[] FollowWithInvalidUtf8()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"type\":\"Follow\",\"actor\":\"https://x.example/users/\u00e9\",\"object\":\"https://chaton.test/actor\"}");
        bytes[Array.IndexOf(bytes, (byte)0xC3)] = 0xFF;
        return bytes;
    }

    [Theory]
    [InlineData("/inbox", false)]
    [InlineData("/actor/inbox", false)]
    [InlineData("/actor/inbox", true)]
    public async Task Invalid_UTF8_in_an_inbox_body_gets_400_with_the_reason_and_is_logged_with_the_client(string inbox, bool withSignature)
    {
        await using var node = await TestNode.InitAsync();
        var log = CapturedLog.AttachTo(node.Running!);
        using var request = new HttpRequestMessage(HttpMethod.Post, inbox) { Content = new ByteArrayContent(FollowWithInvalidUtf8()) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/activity+json");
        // The client as the proxy in front forwarded it (loopback is a known proxy by default).
        request.Headers.Add("X-Forwarded-For", "192.0.2.44");
        if (withSignature)
        {
            request.Headers.Add("Signature", "keyId=\"https://x.example/users/a#main-key\",headers=\"(request-target) host date\",signature=\"AAAA\"");
        }

        using var response = await node.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not valid UTF-8", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var line = Assert.Single(log.OfEvent(2002));
        Assert.Contains("from 192.0.2.44", line, StringComparison.Ordinal);
        Assert.Contains("400, invalid", line, StringComparison.Ordinal);
        Assert.Empty(node.Running!.NodeStore.Followers.FindAll());
    }

    [Fact]
    public async Task A_flood_of_refused_inbox_requests_writes_a_bounded_number_of_lines_then_one_summary()
    {
        await using var node = await TestNode.InitAsync();
        var log = CapturedLog.AttachTo(node.Running!);
        const int Sent = 45;
        for (var i = 0; i < Sent; i++)
        {
            using var content = new StringContent("{\"type\":\"Follow\"", Encoding.UTF8, "application/activity+json");
            using var response = await node.Http.PostAsync("/inbox", content);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        Assert.Equal(LogThrottle.LinesPerMinute, log.OfEvent(2002).Count);
        Assert.Empty(log.OfEvent(1901));

        // The minute's summary is written when it ends, or, as here, when the node stops before.
        await node.StopAsync();
        var summary = Assert.Single(log.OfEvent(1901));
        Assert.Contains($"{Sent - LogThrottle.LinesPerMinute} more 'inbox refused: invalid' lines", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_parameter_of_the_wrong_type_gets_400_with_a_reason()
    {
        await using var node = await TestNode.InitAsync();
        using var response = await node.Http.SendAsync(node.Get("/actor/outbox?page=first"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("wrong type", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("invalid UTF-8", null, "not valid UTF-8")]
    [InlineData("{\"name\":12}", null, "the JSON value at $.name is not of the expected type")]
    [InlineData("{\"latitude\":\"north\"}", null, "the JSON value at $.latitude is not of the expected type")]
    [InlineData("[\"name\"]", null, "is not of the expected type")]
    [InlineData("{\"name\":\"Lynx", null, "the body is not valid JSON (line 1")]
    [InlineData("{\"name\" \"Lynx\"}", null, "the body is not valid JSON (line 1")]
    [InlineData("", null, "the request needs a JSON body")]
    [InlineData("{\"name\":\"Lynx\"}", "text/plain", "Content-Type: application/json")]
    public async Task A_malformed_admin_body_gets_400_with_the_reason(string body, string? contentType, string reason)
    {
        await using var node = await TestNode.InitAsync();
        using var request = node.Admin(HttpMethod.Patch, "profile", node.OwnerToken);
        var bytes = body == "invalid UTF-8" ? Encoding.UTF8.GetBytes("{\"name\":\"L\u00e9\"}").Select(b => b == 0xC3 ? (byte)0xFF : b).ToArray() : Encoding.UTF8.GetBytes(body);
        request.Content = PrivateAdminTests.JsonContent(bytes);
        if (contentType is not null)
        {
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }

        using var response = await node.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnsupportedMediaType, $"{(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = JsonNode.Parse(text)!["detail"]!.GetValue<string>();
        Assert.Contains(reason, detail, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", detail, StringComparison.Ordinal);
        Assert.Equal("Lynx Net", (await node.GetJsonAsync("/actor"))["name"]!.GetValue<string>());
    }
}
