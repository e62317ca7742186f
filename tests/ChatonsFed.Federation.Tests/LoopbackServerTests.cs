using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Federation.Tests;

/// <summary>The shared test server: real sockets, recording, routes, other loopback addresses, a clean stop.</summary>
public sealed class LoopbackServerTests
{
    [Fact]
    public async Task Recording_keeps_the_exact_target_headers_and_body_and_the_handler_can_read_the_body_again()
    {
        await using var server = await LoopbackServer.StartRecordingAsync();
        server.Handler = async (context, _) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            await context.Response.WriteAsync("echo " + await reader.ReadToEndAsync());
        };
        using var client = new HttpClient();
        using var content = new StringContent("bonjour", Encoding.UTF8, "text/plain");
        content.Headers.Add("X-Test", "1");
        using var answer = await client.PostAsync(server.Address("a%2Fb/c?x=1"), content);

        Assert.Equal("echo bonjour", await answer.Content.ReadAsStringAsync());
        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/a%2Fb/c?x=1", request.PathAndQuery);
        Assert.Equal(server.Url + "/a%2Fb/c?x=1", request.Snapshot.TargetUri);
        Assert.Equal("bonjour", Encoding.UTF8.GetString(request.Body));
        Assert.Equal("1", request.Headers.GetCombinedValue("X-Test"));
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Routes_answer_and_every_request_is_counted()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/hello", () => "hi"));
        using var client = new HttpClient { BaseAddress = server.BaseUri };

        Assert.Equal("hi", await client.GetStringAsync("hello"));
        using var missing = await client.GetAsync("elsewhere");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(2, server.RequestCount);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Listens_on_the_loopback_address_given_and_refuses_any_other()
    {
        await using var server = await LoopbackServer.StartAsync(context => context.Response.WriteAsync(context.Connection.LocalIpAddress!.ToString()), "127.0.0.2");
        using var client = new HttpClient();

        Assert.StartsWith("http://127.0.0.2:", server.BaseUri.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("127.0.0.2", await client.GetStringAsync(server.BaseUri));
        await Assert.ThrowsAsync<ArgumentException>(() => LoopbackServer.StartAsync(_ => Task.CompletedTask, "192.0.2.1"));
    }

    [Fact]
    public async Task Once_disposed_the_port_refuses_connections()
    {
        var server = await LoopbackServer.StartAsync(context => context.Response.WriteAsync("up"));
        using var client = new HttpClient();
        Assert.Equal("up", await client.GetStringAsync(server.BaseUri));

        await server.DisposeAsync();

        Assert.True(server.Stopping.IsCancellationRequested);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(IPAddress.Loopback, server.Port));
    }
}
