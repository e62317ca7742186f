using System.Text;

namespace ChatonsFed.ChatonsInfos.Tests;

public class SubsWalkerTests
{
    [Fact]
    public async Task An_organization_reads_its_service_files_and_reports_those_it_cannot_use()
    {
        var files = new Dictionary<string, string>
        {
            ["https://c.example/pad.properties"] = "file.class = service\nservice.name = Pad\nsubs.x = https://c.example/x.properties\n",
            ["https://c.example/org-again.properties"] = "file.class = organization\norganization.name = Not a service\n",
        };
        var org = Organization("https://c.example/org.properties", ("pad", "https://c.example/pad.properties"), ("gone", "https://c.example/gone.properties"),
            ("wrong", "https://c.example/org-again.properties"), ("self", "https://c.example/org.properties"), ("twice", "https://c.example/pad.properties"));

        var walked = await new SubsWalker(Fetch(files)).ReadServicesAsync(org, CancellationToken.None);

        Assert.Equal("Pad", walked.Services[0].File!.Name);
        Assert.Contains(walked.Services[0].Warnings, w => w.Message.Contains("in a service file, not followed", StringComparison.Ordinal));
        Assert.Contains("404", walked.Services[1].Error, StringComparison.Ordinal);
        Assert.Contains("expected service", walked.Services[2].Error, StringComparison.Ordinal);
        Assert.Contains("already read", walked.Services[3].Error, StringComparison.Ordinal);
        Assert.Contains("already read", walked.Services[4].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_walk_stops_at_the_depth_and_file_limits()
    {
        var files = new Dictionary<string, string>();
        var subs = new List<(string, string)>();
        for (var i = 0; i < 50; i++)
        {
            var url = $"https://c.example/s{i}.properties";
            files[url] = $"file.class = service\nservice.name = S{i}\n";
            subs.Add(($"s{i}", url));
        }

        var org = Organization("https://c.example/org.properties", [.. subs]);
        var limited = await new SubsWalker(Fetch(files), new ChatonsInfosLimits { MaxFiles = 10 }).ReadServicesAsync(org, CancellationToken.None);
        Assert.Equal(10, limited.Services.Count(s => s.File is not null));
        Assert.Contains("more than 10 files", limited.Services[10].Error, StringComparison.Ordinal);

        var shallow = await new SubsWalker(Fetch(files), new ChatonsInfosLimits { MaxDepth = 1 }).ReadServicesAsync(org, CancellationToken.None, depth: 2);
        Assert.All(shallow.Services, s => Assert.Contains("deeper than 1", s.Error, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_federation_reads_its_organizations_and_a_fetch_that_throws_is_a_reason()
    {
        var federation = ChatonsInfosParser.ParseFederation(Encoding.UTF8.GetBytes(
            "file.class = federation\nfederation.name = F\nsubs.a = https://a.example/a.properties\nsubs.b = https://b.example/b.properties\n")).Value!;
        var walker = new SubsWalker((url, _) => url.Host == "a.example"
            ? Task.FromResult(FetchedFile.Ok(Encoding.UTF8.GetBytes("file.class = organization\norganization.name = A\n")))
            : throw new HttpRequestException("connection refused"));

        var organizations = await walker.ReadOrganizationsAsync(federation, CancellationToken.None);

        Assert.Equal("A", organizations[0].File!.Name);
        Assert.Contains("connection refused", organizations[1].Error, StringComparison.Ordinal);
    }

    internal static ChatonsInfosOrganization Organization(string url, params (string Id, string Url)[] subs)
    {
        var text = new StringBuilder($"file.class = organization\nfile.url = {url}\norganization.name = Org\n");
        foreach (var (id, sub) in subs)
        {
            text.Append("subs.").Append(id).Append(" = ").Append(sub).Append('\n');
        }

        return ChatonsInfosParser.ParseOrganization(Encoding.UTF8.GetBytes(text.ToString())).Value!;
    }

    internal static Func<Uri, CancellationToken, Task<FetchedFile>> Fetch(Dictionary<string, string> files) => (url, _) =>
        Task.FromResult(files.TryGetValue(url.AbsoluteUri, out var text) ? FetchedFile.Ok(Encoding.UTF8.GetBytes(text)) : FetchedFile.Failed("404 Not Found"));
}
