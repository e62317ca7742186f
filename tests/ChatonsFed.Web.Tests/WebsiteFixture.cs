using System.Text.Json.Nodes;
using ChatonsFed.TestFleet;
using Microsoft.Playwright;

namespace ChatonsFed.Web.Tests;

/// <summary>
/// One real aggregator, filled from a loopback fleet of signed synthetic chatons, shared by the website's tests; and
/// the machine's Chromium, driven by Playwright, started on first use.
/// </summary>
public sealed class WebsiteFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const int Chatons = 24;

    private static readonly string[] ChromiumArgs =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private readonly Lock _browserLock = new();
    private Task<IBrowser>? _launch;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public FleetServer Fleet { get; private set; } = null!;

    internal TestAggregator Aggregator { get; private set; } = null!;

    /// <summary>The aggregator's origin, e.g. <c>http://127.0.0.1:PORT</c>.</summary>
    public string Origin => Aggregator.PublicUrl;

    /// <summary>Where screenshots are kept: <c>.test-results/screenshots</c> at the repository's root.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(RepositoryRoot(), ".test-results", "screenshots");

    public async Task InitializeAsync()
    {
        Fleet = await FleetServer.StartAsync(Chatons, new FleetOptions { Following = FollowingGraph.Star });
        Aggregator = await TestAggregator.InitAsync([Fleet[0].ActorId.AbsoluteUri]);
        var report = await Aggregator.RunAsync("rebuild");
        Assert.Equal(Chatons, report["listed"]!.GetValue<int>());
    }

    /// <summary>The directory API's answer to a search, to compare the pages with.</summary>
    public async Task<JsonObject> ApiSearchAsync(string query) =>
        await Aggregator.GetJsonAsync("/api/directory/search?limit=1000" + (query.Length > 0 ? "&" + query.TrimStart('?') : string.Empty));

    /// <summary>Chromium, launched once; a clear failure when the machine has none.</summary>
    public Task<IBrowser> BrowserAsync()
    {
        lock (_browserLock)
        {
            return _launch ??= LaunchAsync();
        }
    }

    private async Task<IBrowser> LaunchAsync()
    {
        Assert.True(File.Exists(ChromiumPath),
            $"Chromium is missing at {ChromiumPath}: install it with 'apt-get install chromium' (tests/ChatonsFed.Web.Tests/prerequisites.sh does), then run the tests again");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = ChromiumArgs });
        return _browser;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        await Aggregator.DisposeAsync();
        await Fleet.DisposeAsync();
    }

    private static string RepositoryRoot()
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
}

[CollectionDefinition(Collection)]
public sealed class WebsiteTests : ICollectionFixture<WebsiteFixture>
{
    public const string Collection = "website";
}
