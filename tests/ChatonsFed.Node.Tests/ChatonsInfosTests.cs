using System.Net;
using System.Text;
using ChatonsFed.ChatonsInfos;
using ChatonsFed.Cli;
using ChatonsFed.Protocol.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Node.Tests;

public class ChatonsInfosTests
{
    private static string Sample(string name) => RepositoryFiles.ChatonsInfosSample(name);

    [Theory]
    [InlineData("rivebleue.properties", "Rive Bleue Numérique", new[] { "pad", "visio" })]
    [InlineData("tilleul.properties", "Le Tilleul", new[] { "mail" })]
    public async Task Each_sample_organization_is_imported_and_a_second_run_changes_nothing(string file, string name, string[] slugs)
    {
        await using var node = await TestNode.InitAsync(start: false);

        var first = await CliRunner.RunAsync("import-chatonsinfos", "--data", node.Folder, Sample(file));
        var again = await CliRunner.RunAsync("import-chatonsinfos", "--data", node.Folder, Sample(file));

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains($"Organization file {Sample(file)}: {name}", first.Output, StringComparison.Ordinal);
        Assert.Contains($"{slugs.Length} added", first.Output, StringComparison.Ordinal);
        Assert.Contains("  skipped: line", first.Output, StringComparison.Ordinal);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("Profile unchanged", again.Output, StringComparison.Ordinal);
        Assert.Contains($"0 added, 0 updated, {slugs.Length} unchanged", again.Output, StringComparison.Ordinal);
        var list = await CliRunner.RunAsync("service", "list", "--data", node.Folder);
        Assert.Equal(slugs, list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]));
    }

    [Fact]
    public async Task Import_then_export_gives_the_same_data_and_an_import_over_http_from_the_export_gives_it_again()
    {
        await using var origin = await TestNode.InitAsync(start: false, handle: "rivebleue");
        Assert.Equal(0, (await CliRunner.RunAsync("import-chatonsinfos", "--data", origin.Folder, Sample("rivebleue.properties"))).ExitCode);
        await origin.StartAsync();

        var organization = await ReadAsync(origin.Http, "/.well-known/chatonsinfos/rivebleue.properties");
        var exported = ChatonsInfosParser.ParseOrganization(organization).Value!;
        var sample = ChatonsInfosParser.ParseOrganization(File.ReadAllBytes(Sample("rivebleue.properties"))).Value!;
        Assert.Equal(OrganizationData(sample), OrganizationData(exported));
        Assert.Equal(origin.PublicUrl + "/actor", exported.Actor);
        foreach (var (slug, file) in new[] { ("pad", "rivebleue-pad.properties"), ("visio", "rivebleue-visio.properties") })
        {
            var service = ChatonsInfosParser.ParseService(await ReadAsync(origin.Http, $"/.well-known/chatonsinfos/rivebleue-{slug}.properties")).Value!;
            var original = ChatonsInfosParser.ParseService(File.ReadAllBytes(Sample(file))).Value!;
            Assert.Equal(ServiceData(original), ServiceData(service with { Category = null }));
            Assert.NotNull(service.Category);
        }

        // The export's subs. lines are under the node's public URL; a copy node reads them from the running origin.
        var served = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["/o.properties"] = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(organization).Replace(origin.PublicUrl + "/.well-known/chatonsinfos/", "{base}/", StringComparison.Ordinal)),
            ["/rivebleue-pad.properties"] = await ReadAsync(origin.Http, "/.well-known/chatonsinfos/rivebleue-pad.properties"),
            ["/rivebleue-visio.properties"] = await ReadAsync(origin.Http, "/.well-known/chatonsinfos/rivebleue-visio.properties"),
        };
        await using var server = await StartFileServerAsync(served);
        await using var copy = await TestNode.InitAsync(start: false, handle: "rivebleue");
        var import = await CliRunner.RunAsync("import-chatonsinfos", "--data", copy.Folder, server.Url + "/o.properties");
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains("2 added", import.Output, StringComparison.Ordinal);
        await copy.StartAsync();
        foreach (var path in new[] { "rivebleue.properties", "rivebleue-pad.properties", "rivebleue-visio.properties" })
        {
            Assert.Equal(
                WithoutFileLines(await ReadAsync(origin.Http, "/.well-known/chatonsinfos/" + path)),
                WithoutFileLines(await ReadAsync(copy.Http, "/.well-known/chatonsinfos/" + path)));
        }
    }

    [Fact]
    public async Task Hostile_files_over_http_give_reasons_and_the_import_goes_on()
    {
        var subs = new StringBuilder();
        for (var i = 0; i < 3000; i++)
        {
            subs.Append("subs.s").Append(i).Append(" = {base}/missing").Append(i).Append(".properties\n");
        }

        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["/loop.properties"] = Encoding.UTF8.GetBytes("file.class = organization\norganization.name = Loop\nsubs.self = {base}/loop.properties\nsubs.org = {base}/org2.properties\nsubs.ok = {base}/ok.properties\nsubs.big = {base}/big.properties\nsubs.bin = {base}/bin.properties\n"),
            ["/org2.properties"] = Encoding.UTF8.GetBytes("file.class = organization\norganization.name = Deeper\nsubs.back = {base}/loop.properties\n"),
            ["/ok.properties"] = Encoding.UTF8.GetBytes("file.class = service\nservice.name = Pad\nservice.website = https://pad.loop.example/\nsoftware.name = Etherpad\nsubs.deeper = {base}/loop.properties\n"),
            ["/big.properties"] = new byte[3 * 1024 * 1024],
            ["/bin.properties"] = [0x00, 0xFF, 0x13, 0x37],
            ["/many.properties"] = Encoding.UTF8.GetBytes("file.class = organization\norganization.name = Many\n" + subs),
        };
        await using var server = await StartFileServerAsync(files);
        await using var node = await TestNode.InitAsync(start: false);

        var loop = await CliRunner.RunAsync("import-chatonsinfos", "--data", node.Folder, server.Url + "/loop.properties");
        Assert.True(loop.ExitCode == 0, loop.ToString());
        Assert.Contains("subs.self: " + server.Url + "/loop.properties" + " was already read", loop.Error, StringComparison.Ordinal);
        Assert.Contains("file.class is organization, expected service", loop.Error, StringComparison.Ordinal);
        Assert.Contains("subs. line(s) in a service file, not followed", loop.Error, StringComparison.Ordinal);
        Assert.Contains("NUL bytes", loop.Error, StringComparison.Ordinal);
        Assert.Contains("subs.big", loop.Error, StringComparison.Ordinal);
        Assert.Contains("1 added, 0 updated, 0 unchanged, 4 skipped", loop.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", loop.Error, StringComparison.Ordinal);

        var many = await CliRunner.RunAsync("import-chatonsinfos", "--data", node.Folder, server.Url + "/many.properties");
        Assert.True(many.ExitCode == 0, many.ToString());
        Assert.Contains("2000 subs. line(s) beyond the limit of 1000", many.Error, StringComparison.Ordinal);
        Assert.Contains("Imported 1000 service file(s): 0 added, 0 updated, 0 unchanged, 1000 skipped", many.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_that_refuses_private_addresses_does_not_import_from_loopback()
    {
        await using var server = await StartFileServerAsync(new Dictionary<string, byte[]>(StringComparer.Ordinal) { ["/o.properties"] = "file.class = organization\norganization.name = X\n"u8.ToArray() });
        await using var node = await TestNode.InitAsync(start: false);
        await node.ConfigureAsync(settings => settings["AllowPrivateNetwork"] = false);

        var result = await CliRunner.RunAsync("import-chatonsinfos", "--data", node.Folder, server.Url + "/o.properties");

        Assert.Equal(CliApplication.UsageError, result.ExitCode);
        Assert.StartsWith("chatonsfed: " + server.Url + "/o.properties" + ": ", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task The_node_serves_its_files_as_plain_text_with_an_etag_and_answers_404_for_others()
    {
        await using var node = await TestNode.InitAsync();
        await CliRunner.RunAsync("service", "add", "--data", node.Folder, "--category", "collaborative-writing", "--name", "Pad", "--url", "https://pad.example/", "--software", "Etherpad");

        using var response = await node.Http.SendAsync(node.Get("/.well-known/chatonsinfos/lynx.properties", "*/*"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var organization = ChatonsInfosParser.ParseOrganization(await response.Content.ReadAsByteArrayAsync());
        Assert.Empty(organization.Warnings);
        Assert.Equal("Lynx Net", organization.Value!.Name);
        Assert.Equal(TestNode.DefaultPublicUrl + "/.well-known/chatonsinfos/lynx-pad.properties", Assert.Single(organization.Value.Subs).Url.AbsoluteUri);

        using var conditional = node.Get("/.well-known/chatonsinfos/lynx.properties", "*/*");
        conditional.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var notModified = await node.Http.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        var pad = ChatonsInfosParser.ParseService(await ReadAsync(node.Http, "/.well-known/chatonsinfos/lynx-pad.properties")).Value!;
        Assert.Equal("Etherpad", pad.SoftwareName);
        Assert.Equal("collaborative-writing", pad.Category);

        foreach (var missing in new[] { "/.well-known/chatonsinfos/lynx-nothing.properties", "/.well-known/chatonsinfos/other.properties", "/.well-known/chatonsinfos/lynx.json" })
        {
            using var notFound = await node.Http.GetAsync(missing);
            Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        }

        using var index = await node.Http.GetAsync("/.well-known/chatonsinfos/");
        Assert.Equal("Lynx Net", ChatonsInfosParser.ParseOrganization(await index.Content.ReadAsByteArrayAsync()).Value!.Name);
    }

    private static async Task<byte[]> ReadAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static string WithoutFileLines(byte[] text) =>
        string.Join('\n', Encoding.UTF8.GetString(text).Split('\n').Where(l => !l.StartsWith("file.", StringComparison.Ordinal) && !l.StartsWith("organization.chatonsfed.actor", StringComparison.Ordinal) && !l.StartsWith("subs.", StringComparison.Ordinal)));

    /// <summary>The fields the mapping carries both ways (spec/chatonsinfos.md).</summary>
    private static object OrganizationData(ChatonsInfosOrganization o) =>
        (o.Name, o.Description, o.Type, o.Website, o.Logo, o.ContactEmail, o.LegalUrl, o.CountryCode, o.Latitude, o.Longitude, o.Address, o.MembershipStatus, o.MemberSince, o.MemberUntil, o.Subs.Count);

    private static object ServiceData(ChatonsInfosService s) =>
        (s.Name, s.Description, s.Website, s.StatusLevel, s.Registration, s.RegistrationLoad, s.Category, s.SoftwareName, s.SoftwareVersion, s.SoftwareLicense, s.SoftwareSource, s.HostServerType, s.HostProviderType, s.HostCountryCode);

    /// <summary>A plain file server on 127.0.0.1; <c>{base}</c> in a file stands for its own URL.</summary>
    private static Task<LoopbackServer> StartFileServerAsync(IReadOnlyDictionary<string, byte[]> files) =>
        LoopbackServer.StartAsync(app => app.MapGet("/{**path}", (string path, HttpRequest request) => files.TryGetValue("/" + path, out var bytes)
            ? Results.Bytes(bytes.AsSpan().IndexOf("{base}"u8) >= 0 ? Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace("{base}", $"http://{request.Host.Value}", StringComparison.Ordinal)) : bytes, "text/plain; charset=utf-8")
            : Results.NotFound()));
}
