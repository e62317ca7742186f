using System.Net;
using ChatonsFed.Federation.Http;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Federation.Tests;

public sealed class OutboundFetchTests : IAsyncLifetime
{
    private LoopbackServer _peer = null!;

    public async Task InitializeAsync() => _peer = await LoopbackServer.StartRecordingAsync();

    public async Task DisposeAsync() => await _peer.DisposeAsync();

    private string Doc(string path) => $$"""{"id":"{{_peer.Address(path).AbsoluteUri}}","type":"Note","content":"caf\u00e9"}""";

    [Fact]
    public async Task Fetches_the_document_as_received_with_its_validators()
    {
        _peer.Handler = (context, _) =>
        {
            context.Response.Headers.ETag = "\"v1\"";
            context.Response.Headers.LastModified = "Sun, 05 Jan 2025 21:31:40 GMT";
            return LoopbackServer.WriteJsonAsync(context, Doc("notes/1"));
        };

        var result = await Clients.Create().FetchObjectAsync(_peer.Address("notes/1#frag"), CancellationToken.None);

        Assert.Equal(FetchStatus.Ok, result.Status);
        Assert.Equal("café", (string?)result.Document!["content"]);
        Assert.Equal(Doc("notes/1"), System.Text.Encoding.UTF8.GetString(result.Body.Span));
        Assert.Equal("\"v1\"", result.ETag);
        Assert.Equal(new DateTimeOffset(2025, 1, 5, 21, 31, 40, TimeSpan.Zero), result.LastModified);
        var request = Assert.Single(_peer.Requests);
        Assert.Equal("/notes/1", request.PathAndQuery);
        Assert.Contains("application/activity+json", request.Headers.GetCombinedValue("Accept"));
        Assert.Contains("profile=\"https://www.w3.org/ns/activitystreams\"", request.Headers.GetCombinedValue("Accept"));
    }

    [Fact]
    public async Task Conditional_get_answers_not_modified()
    {
        _peer.Handler = (context, request) =>
        {
            if (request.Headers.GetCombinedValue("If-None-Match") == "\"v1\"")
            {
                context.Response.StatusCode = 304;
                return Task.CompletedTask;
            }

            context.Response.Headers.ETag = "\"v1\"";
            return LoopbackServer.WriteJsonAsync(context, Doc("a"));
        };
        var client = Clients.Create();

        var first = await client.FetchObjectAsync(_peer.Address("a"), CancellationToken.None);
        var second = await client.FetchObjectAsync(_peer.Address("a"), new FetchRequest { IfNoneMatch = first.ETag, IfModifiedSince = DateTimeOffset.UnixEpoch }, CancellationToken.None);

        Assert.Equal(FetchStatus.Ok, first.Status);
        Assert.Equal(FetchStatus.NotModified, second.Status);
        Assert.Null(second.Document);
        Assert.Equal("\"v1\"", second.ETag);
        Assert.NotNull(_peer.Requests.Last().Headers.GetCombinedValue("If-Modified-Since"));
    }

    [Fact]
    public async Task Loopback_literal_is_refused_without_a_connection_when_private_networks_are_not_allowed()
    {
        var client = Clients.Create(new OutboundHttpOptions { AllowHttp = true });

        var result = await client.FetchObjectAsync(_peer.Address("a"), CancellationToken.None);

        Assert.Equal(OutboundError.AddressRefused, result.Error);
        Assert.Contains("loopback", result.Reason);
        Assert.Empty(_peer.Requests);
    }

    [Fact]
    public async Task Host_name_resolving_to_loopback_is_refused_at_connection()
    {
        _peer.Handler = (context, _) => LoopbackServer.WriteJsonAsync(context, Doc("a"));
        var client = Clients.Create(new OutboundHttpOptions { AllowHttp = true });

        var result = await client.FetchObjectAsync(new Uri($"http://localhost:{_peer.BaseUri.Port}/a"), CancellationToken.None);

        Assert.Equal(OutboundError.AddressRefused, result.Error);
        Assert.Contains("does not connect to", result.Reason);
        Assert.Empty(_peer.Requests);
    }

    [Fact]
    public async Task Private_networks_are_reachable_when_allowed()
    {
        _peer.Handler = (context, _) => LoopbackServer.WriteJsonAsync(context, Doc("a"));
        var client = Clients.Create(new OutboundHttpOptions { AllowPrivateNetwork = true });

        var result = await client.FetchObjectAsync(_peer.Address("a"), CancellationToken.None);

        Assert.True(result.IsOk, result.ToString());
    }

    [Theory]
    [InlineData("http://10.1.2.3/actor")]
    [InlineData("http://192.168.0.10/actor")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[::ffff:10.0.0.1]/actor")]
    [InlineData("http://[fd00::1]/actor")]
    public async Task Redirect_to_a_private_address_is_refused(string target)
    {
        _peer.Handler = (context, _) =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = target;
            return Task.CompletedTask;
        };

        var result = await Clients.Create().FetchObjectAsync(_peer.Address("a"), CancellationToken.None);

        Assert.Equal(OutboundError.AddressRefused, result.Error);
        Assert.Single(_peer.Requests);
    }

    [Fact]
    public async Task Redirects_are_followed_and_the_id_is_checked_against_the_final_origin()
    {
        _peer.Handler = (context, request) =>
        {
            if (request.PathAndQuery == "/old")
            {
                context.Response.StatusCode = 301;
                context.Response.Headers.Location = "/new";
                return Task.CompletedTask;
            }

            return LoopbackServer.WriteJsonAsync(context, Doc("new"));
        };

        var result = await Clients.Create().FetchObjectAsync(_peer.Address("old"), CancellationToken.None);

        Assert.True(result.IsOk, result.ToString());
        Assert.Equal(_peer.Address("new"), result.FinalUri);
    }

    [Fact]
    public async Task Too_many_redirects_fail()
    {
        _peer.Handler = (context, request) =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = request.PathAndQuery + "x";
            return Task.CompletedTask;
        };
        var options = Clients.LoopbackOnly();
        options.MaxRedirects = 3;

        var result = await Clients.Create(options).FetchObjectAsync(_peer.Address("a"), CancellationToken.None);

        Assert.Equal(OutboundError.TooManyRedirects, result.Error);
        Assert.Equal(4, _peer.Requests.Count);
    }

    [Theory]
    [InlineData("ftp://example.com/actor")]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://example.com/")]
    public async Task Non_http_schemes_are_refused(string url)
    {
        var result = await Clients.Create().FetchObjectAsync(new Uri(url), CancellationToken.None);

        Assert.Equal(OutboundError.SchemeRefused, result.Error);
    }

    [Fact]
    public async Task Plain_http_is_refused_unless_allowed()
    {
        var result = await Clients.Create(new OutboundHttpOptions()).FetchObjectAsync(new Uri("http://example.com/actor"), CancellationToken.None);

        Assert.Equal(OutboundError.SchemeRefused, result.Error);
    }

    [Fact]
    public async Task Redirect_to_a_non_http_scheme_is_refused()
    {
        _peer.Handler = (context, _) =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = "file:///etc/passwd";
            return Task.CompletedTask;
        };

        var result = await Clients.Create().FetchObjectAsync(_peer.Address("a"), CancellationToken.None);

        Assert.Equal(OutboundError.SchemeRefused, result.Error);
    }

    [Fact]
    public async Task Oversized_response_is_refused_by_its_content_length()
    {
        _peer.Handler = (context, _) =>
        {
            context.Response.ContentLength = 5000;
            return LoopbackServer.WriteJsonAsync(context, "{\"id\":\"x\",\"pad\":\"" + new string('a', 5000 - 18) + "\"}");
        };
        var options = Clients.LoopbackOnly();
        options.MaxResponseBytes = 1000;

        var result = await Clients.Create(options).FetchObjectAsync(_peer.Address("a"), CancellationToken.None);

        Assert.Equal(OutboundError.TooLarge, result.Error);
    }

    [Fact]
    public async Task Oversized_streamed_response_is_refused_while_reading()
    {
        _peer.Handler = async (context, _) =>
        {
            context.Response.ContentType = "application/activity+json";
            for (var i = 0; i < 20; i++)
            {
                await context.Response.WriteAsync(new string(' ', 1000));
                await context.Response.Body.FlushAsync();
            }
        };
        var options = Clients.LoopbackOnly();
        options.MaxResponseBytes = 4096;

        var result = await Clients.Create(options).FetchObjectAsync(_peer.Address("a"), CancellationToken.None);

        Assert.Equal(OutboundError.TooLarge, result.Error);
    }

    [Fact]
    public async Task Document_whose_id_is_on_another_origin_is_refused()
    {
        _peer.Handler = (context, _) => LoopbackServer.WriteJsonAsync(context, """{"id":"https://evil.example/users/alice","type":"Person"}""");

        var result = await Clients.Create().FetchObjectAsync(_peer.Address("users/alice"), CancellationToken.None);

        Assert.Equal(OutboundError.CrossOriginId, result.Error);
        Assert.Contains("https://evil.example/users/alice", result.Reason);
    }

    [Fact]
    public async Task Document_on_another_port_of_the_same_host_is_refused()
    {
        _peer.Handler = (context, _) => LoopbackServer.WriteJsonAsync(context, $$"""{"id":"http://127.0.0.1:{{_peer.BaseUri.Port + 1}}/a"}""");

        var result = await Clients.Create().FetchObjectAsync(_peer.Address("a"), CancellationToken.None);

        Assert.Equal(OutboundError.CrossOriginId, result.Error);
    }

    [Theory]
    [InlineData("text/html", "<html></html>", OutboundError.NotJson)]
    [InlineData("application/activity+json", "[1,2]", OutboundError.NotJson)]
    [InlineData("application/activity+json", "{not json", OutboundError.NotJson)]
    [InlineData("application/activity+json", "{\"type\":\"Note\"}", OutboundError.CrossOriginId)]
    public async Task Bodies_that_are_not_documents_are_refused(string contentType, string body, OutboundError expected)
    {
        _peer.Handler = (context, _) => LoopbackServer.WriteJsonAsync(context, body, contentType: contentType);

        var result = await Clients.Create().FetchObjectAsync(_peer.Address("a"), CancellationToken.None);

        Assert.Equal(expected, result.Error);
    }

    [Fact]
    public async Task Error_status_is_reported_with_its_code()
    {
        _peer.Handler = (context, _) =>
        {
            context.Response.StatusCode = StatusCodes.Status410Gone;
            return Task.CompletedTask;
        };

        var result = await Clients.Create().FetchObjectAsync(_peer.Address("a"), CancellationToken.None);

        Assert.Equal(OutboundError.HttpStatus, result.Error);
        Assert.Equal(410, result.StatusCode);
    }

    [Fact]
    public async Task Slow_server_times_out()
    {
        _peer.Handler = async (context, _) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted);
        };
        var options = Clients.LoopbackOnly();
        options.RequestTimeout = TimeSpan.FromMilliseconds(300);

        var result = await Clients.Create(options).FetchObjectAsync(_peer.Address("a"), CancellationToken.None);

        Assert.Equal(OutboundError.Timeout, result.Error);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.5.4")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fc00::1")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:192.168.0.1")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("2002:c0a8:101::1")]
    public void Non_public_addresses_are_refused(string address)
    {
        Assert.True(NetworkAddressPolicy.TryGetRefusal(IPAddress.Parse(address), out var reason));
        Assert.NotNull(reason);
    }

    [Theory]
    [InlineData("169.254.169.254", "a link-local address")]
    [InlineData("fe80::1", "a link-local address")]
    [InlineData("fd00:ec2::254", "a cloud metadata address")]
    [InlineData("::ffff:169.254.169.254", "a link-local address")]
    [InlineData("64:ff9b::a9fe:a9fe", "a NAT64 address of a link-local address")]
    [InlineData("2002:a9fe:a9fe::1", "a 6to4 address of a link-local address")]
    public void Link_local_and_metadata_addresses_are_refused_whatever_else_is_allowed(string address, string expected)
    {
        var options = new OutboundHttpOptions { AllowPrivateNetwork = true, AlwaysRefuseLinkLocal = true };

        Assert.False(NetworkAddressPolicy.IsAllowed(IPAddress.Parse(address), options, out var reason));
        Assert.Equal($"{address} is {expected}", reason);
    }

    [Theory]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("2002:c0a8:101::1")]
    [InlineData("10.0.0.1")]
    public void Private_addresses_stay_allowed_when_private_networks_are_and_only_link_local_is_refused(string address)
    {
        var options = new OutboundHttpOptions { AllowPrivateNetwork = true, AlwaysRefuseLinkLocal = true };

        Assert.True(NetworkAddressPolicy.IsAllowed(IPAddress.Parse(address), options, out _));
    }

    [Theory]
    [InlineData("1.1.1.1")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void Public_addresses_are_allowed(string address)
    {
        Assert.False(NetworkAddressPolicy.TryGetRefusal(IPAddress.Parse(address), out _));
    }
}
