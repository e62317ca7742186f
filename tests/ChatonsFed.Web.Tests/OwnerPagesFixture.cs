using ChatonsFed.Node.Hosting;
using ChatonsFed.Node.Storage;
using Microsoft.Playwright;

namespace ChatonsFed.Web.Tests;

/// <summary>
/// Two real chaton nodes for the owner's pages, each on its own loopback address (127.0.0.20 and 127.0.0.21) and served
/// at its public URL: Lynx, whose pages the tests drive, and La Marmotte. Lynx endorses La Marmotte and La Marmotte
/// endorses Lynx (so that the endorsements page has a credential of each kind), and La Marmotte's actor follows Lynx
/// (so that a change is delivered to a follower, a real node that checks its signature). And the machine's Chromium.
/// </summary>
public sealed class OwnerPagesFixture : IAsyncLifetime
{
    private ChatonNodes _chatons = null!;

    public ChromiumBrowser Chromium { get; } = new();

    public ChatonNode Lynx => _chatons[0];

    public ChatonNode Marmotte => _chatons[1];

    /// <summary>Lynx's origin, e.g. <c>http://127.0.0.20:PORT</c>: every request of its pages goes there.</summary>
    public string Origin => Lynx.Node.PublicUrl;

    /// <summary>The credential Lynx issued about La Marmotte.</summary>
    public IssuedCredential Issued { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _chatons = await ChatonNodes.StartAsync([("lynx", "Lynx Net"), ("marmotte", "La Marmotte")], firstHost: 20);
        Issued = await Lynx.EndorseAsync(Marmotte.Mention, "--criteria", "all", "--note", "Revue sur le forum du collectif.");
        await Marmotte.EndorseAsync(Lynx.Mention, "--valid-days", "200");
        var store = Lynx.Node.Running!.NodeStore;
        store.Followers.Upsert(new FollowerRecord { Id = Marmotte.ActorId, Inbox = Marmotte.ActorId + "/inbox", Since = TimeProvider.System.GetUtcNow() });
        await TestHost.WaitForAsync(() => Task.FromResult(store.HeldCredentials.Count() == 1), 30, "Lynx holds La Marmotte's endorsement");
    }

    /// <summary>A page in a new context of Chromium whose base URL is Lynx's, in <paramref name="locale"/>.</summary>
    internal async Task<BrowserTests.Visit> VisitAsync(string locale = "fr-FR", ViewportSize? viewport = null) =>
        await BrowserTests.Visit.OpenAsync(await Chromium.BrowserAsync(), new BrowserNewContextOptions { BaseURL = Origin, Locale = locale, ViewportSize = viewport });

    public async Task DisposeAsync()
    {
        await Chromium.DisposeAsync();
        if (_chatons is not null)
        {
            await _chatons.DisposeAsync();
        }
    }
}
