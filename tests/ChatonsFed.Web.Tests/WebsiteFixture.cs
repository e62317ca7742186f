using System.Text.Json.Nodes;
using ChatonsFed.TestFleet;
using Microsoft.Playwright;

namespace ChatonsFed.Web.Tests;

/// <summary>
/// One real aggregator, filled from a loopback fleet of signed synthetic chatons and from a ChatonsInfos federation
/// file served on 127.0.0.1 (two organizations without a node, listed unsigned; one whose website is a fleet chaton's, on
/// that chaton's host, and one naming a fleet chaton's actor, which are the verified chatons only), shared by the
/// website's tests; and the
/// machine's Chromium, driven by Playwright, started on first use.
/// </summary>
public sealed class WebsiteFixture : IAsyncLifetime
{
    public const int Chatons = 24;

    private ChromiumBrowser Chromium { get; } = new();

    public FleetServer Fleet { get; private set; } = null!;

    /// <summary>Serves the federation file and the organization and service files.</summary>
    internal FileServer Files { get; private set; } = null!;

    /// <summary>The federation file's URL, as the aggregator's settings give it.</summary>
    public string Federation { get; private set; } = string.Empty;

    /// <summary>The organization files listed unsigned (their entries' ids): Rive Bleue, then Tilleul.</summary>
    public string RiveBleue => Files.Url + "/rivebleue.properties";

    public string Tilleul => Files.Url + "/tilleul.properties";

    /// <summary>The organization file whose website is fleet chaton 1's, on that chaton's host: never listed unsigned.</summary>
    public string SameWebsite => Files.Url + "/meme-site.properties";

    internal TestAggregator Aggregator { get; private set; } = null!;

    /// <summary>The aggregator's origin, e.g. <c>http://127.0.0.1:PORT</c>.</summary>
    public string Origin => Aggregator.PublicUrl;

    /// <summary>Where screenshots are kept: <c>.test-results/screenshots</c> at the repository's root.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(RepositoryRoot(), ".test-results", "screenshots");

    /// <summary>The folder that holds ChatonsFed.sln (the test's folder when none is found above it).</summary>
    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ChatonsFed.sln")))
            {
                return folder.FullName;
            }
        }

        return AppContext.BaseDirectory;
    }

    public async Task InitializeAsync()
    {
        Fleet = await FleetServer.StartAsync(Chatons, new FleetOptions { Following = FollowingGraph.Star });
        Files = await FileServer.StartAsync();
        await Fleet[1].UpdateProfileAsync(p => p with { Website = new Uri(Fleet[1].BaseUrl.AbsoluteUri + "/accueil") });
        Federation = ServeFederation();
        Aggregator = await TestAggregator.InitAsync([Fleet[0].ActorId.AbsoluteUri], s => s["ChatonsInfos"] = new JsonObject { ["Federations"] = new JsonArray(Federation) });
        var report = await Aggregator.RunAsync("rebuild");
        Assert.Equal(Chatons, report["listed"]!.GetValue<int>());
        Assert.Equal(2, (await Aggregator.GetJsonAsync("/api/directory/search?source=chatonsinfos"))["total"]!.GetValue<int>());
    }

    /// <summary>The directory API's answer to a search, to compare the pages with.</summary>
    public async Task<JsonObject> ApiSearchAsync(string query) =>
        await Aggregator.GetJsonAsync("/api/directory/search?limit=1000" + (query.Length > 0 ? "&" + query.TrimStart('?') : string.Empty));

    /// <summary>
    /// The federation file: Rive Bleue (<see cref="FileServer.PutRiveBleue"/>) and Tilleul, without a node; a file giving fleet
    /// chaton 1's website, which is on that chaton's host; a file naming fleet chaton 2's actor.
    /// </summary>
    private string ServeFederation()
    {
        var u = Files.Url;
        Files.PutRiveBleue();
        Files.Put("/tilleul.properties", Organization("Tilleul", "https://tilleul.example/") + "organization.type = INDIVIDUAL\n");
        Files.Put("/meme-site.properties", Organization("Copie de " + Fleet[1].Profile.Name, Fleet[1].Profile.Website!.AbsoluteUri));
        Files.Put("/named.properties", Organization("Nommé " + Fleet[2].Profile.Name, "https://autre.example/") + $"organization.chatonsfed.actor = {Fleet[2].ActorId.AbsoluteUri}\n");
        return Files.Put("/federation.properties", Header("federation") + $"""
            federation.name = CHATONS
            subs.rivebleue = {u}/rivebleue.properties
            subs.tilleul = {u}/tilleul.properties
            subs.memesite = {u}/meme-site.properties
            subs.named = {u}/named.properties

            """);
    }

    private static string Header(string type) => FileServer.Header(type);

    private static string Organization(string name, string website) => FileServer.Organization(name, website);

    /// <summary>Chromium, launched once; a clear failure when the machine has none.</summary>
    public Task<IBrowser> BrowserAsync() => Chromium.BrowserAsync();

    public async Task DisposeAsync()
    {
        await Chromium.DisposeAsync();
        await Aggregator.DisposeAsync();
        await Files.DisposeAsync();
        await Fleet.DisposeAsync();
    }
}

[CollectionDefinition(Collection)]
public sealed class WebsiteTests : ICollectionFixture<WebsiteFixture>
{
    public const string Collection = "website";
}
