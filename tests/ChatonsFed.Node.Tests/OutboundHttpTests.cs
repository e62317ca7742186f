using System.Text.RegularExpressions;
using ChatonsFed.Federation.Http;
using ChatonsFed.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace ChatonsFed.Node.Tests;

/// <summary>
/// Every outbound client comes from the factory that <see cref="OutboundHttp.AddOutboundHttp"/> configures: other
/// servers through the address policy, the local admin API on loopback without it.
/// </summary>
public sealed partial class OutboundHttpTests
{
    private const string PublicStandIn = "127.0.0.2";

    [Fact]
    public async Task The_hosts_federation_client_refuses_a_private_address_and_reaches_an_allowed_one()
    {
        await using var hidden = await PeerServer.StartAsync("127.0.0.1");
        await using var allowed = await PeerServer.StartAsync(PublicStandIn);
        await using var node = await TestNode.InitPublicAsync(PublicStandIn + "/32");
        using var http = node.Running!.Services.GetRequiredService<IHttpClientFactory>().CreateClient(OutboundHttp.Federation);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(hidden.ActorId)));
        var reason = Assert.IsType<AddressRefusedException>(refused.InnerException);
        Assert.Contains("127.0.0.1 is a loopback address", reason.Message, StringComparison.Ordinal);
        Assert.Equal(0, hidden.RequestCount);

        using var response = await http.GetAsync(new Uri(allowed.ActorId));
        Assert.True(response.IsSuccessStatusCode, response.StatusCode.ToString());
        Assert.Equal(1, allowed.RequestCount);
    }

    [Fact]
    public async Task The_admin_client_reaches_loopback()
    {
        await using var local = await PeerServer.StartAsync("127.0.0.1");
        using var clients = OutboundClients.Create(new OutboundHttpOptions());
        using var http = clients.CreateClient(OutboundHttp.Admin);

        using var response = await http.GetAsync(new Uri(local.ActorId));

        Assert.True(response.IsSuccessStatusCode, response.StatusCode.ToString());
        Assert.Equal(1, local.RequestCount);
        await Assert.ThrowsAsync<HttpRequestException>(() => clients.CreateFederationClient().GetAsync(new Uri(local.ActorId)));
        Assert.Equal(1, local.RequestCount);
    }

    [Fact]
    public void No_source_file_constructs_an_HttpClient()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        var offences = System.IO.Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .Where(l => ConstructsHttpClient(l.Text))
            .Select(l => $"{Path.GetRelativePath(src, l.File)}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        Assert.True(offences.Count == 0, "HttpClient constructed instead of taken from IHttpClientFactory:\n" + string.Join('\n', offences));
    }

    [Theory]
    [InlineData("using var http = new HttpClient(handler, disposeHandler: true);", true)]
    [InlineData("var http = new System.Net.Http.HttpClient { Timeout = t };", true)]
    [InlineData("HttpClient http = new();", true)]
    [InlineData("private readonly HttpClient _http = new() { Timeout = t };", true)]
    [InlineData("HttpClient? http = new(handler);", true)]
    [InlineData("var http = factory.CreateClient(OutboundHttp.Federation);", false)]
    [InlineData("var handler = new HttpClientHandler();", false)]
    [InlineData("HttpClient? http = null;", false)]
    public void The_scan_recognises_a_constructed_client(string line, bool constructs) =>
        Assert.Equal(constructs, ConstructsHttpClient(line));

    private static bool ConstructsHttpClient(string line) => NewHttpClient().IsMatch(line) || TargetTypedHttpClient().IsMatch(line);

    [GeneratedRegex(@"\bnew\s+(System\.Net\.Http\.)?HttpClient\s*[({]")]
    private static partial Regex NewHttpClient();

    [GeneratedRegex(@"\bHttpClient\??\s+\w+\s*=\s*new\s*[({]")]
    private static partial Regex TargetTypedHttpClient();

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ChatonsFed.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("ChatonsFed.sln not found above " + AppContext.BaseDirectory);
    }
}
