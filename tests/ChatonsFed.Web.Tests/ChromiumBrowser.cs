using Microsoft.Playwright;

namespace ChatonsFed.Web.Tests;

/// <summary>The machine's Chromium (<see cref="Path"/>), driven by Playwright, launched on first use and closed with its owner.</summary>
public sealed class ChromiumBrowser : IAsyncDisposable
{
    public const string Path = "/usr/bin/chromium";

    private static readonly string[] Args =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private readonly Lock _lock = new();
    private Task<IBrowser>? _launch;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>Chromium, launched once; a clear failure when the machine has none.</summary>
    public Task<IBrowser> BrowserAsync()
    {
        lock (_lock)
        {
            return _launch ??= LaunchAsync();
        }
    }

    private async Task<IBrowser> LaunchAsync()
    {
        Assert.True(File.Exists(Path),
            $"Chromium is missing at {Path}: install it with 'apt-get install chromium' (tests/ChatonsFed.Web.Tests/prerequisites.sh does), then run the tests again");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Path, Headless = true, Args = Args });
        return _browser;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
