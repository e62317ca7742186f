using System.Net;
using ChatonsFed.Node.Hosting;
using ChatonsFed.Protocol.HttpSignatures;

namespace ChatonsFed.Node.Tests;

/// <summary>The followers page: the followers listed, a domain blocked and unblocked as the command line does it.</summary>
public sealed class AdminFollowersPageTests
{
    [Fact]
    public async Task Blocking_a_domain_removes_its_followers_refuses_its_follows_and_unblocking_lifts_it()
    {
        await using var node = await AdminPageClient.StartNodeAsync();
        await using var peer = await PeerServer.StartAsync("127.0.0.4");
        await peer.FollowAndWaitForAcceptAsync(node, "follow-1", HttpSignatureFlavour.Rfc9421);
        using var browser = new AdminPageClient(node.Running!.Address);
        await browser.SignInOrFailAsync(node.OwnerToken);

        var page = await browser.HtmlAsync("/admin/followers");
        Assert.Contains($"<a href=\"{peer.ActorId}\" rel=\"nofollow noreferrer\">{peer.ActorId}</a>", page, StringComparison.Ordinal);
        Assert.Contains("Aucun domaine n&#39;est bloqué.", page, StringComparison.Ordinal);
        Assert.Contains("<label for=\"domain\">", page, StringComparison.Ordinal);
        Assert.Contains("aria-current=\"page\">Abonné·e·s</a>", page, StringComparison.Ordinal);

        using (var blocked = await browser.PostFormAsync("/admin/followers", "/admin/followers/block", [new("domain", " 127.0.0.4 ")]))
        {
            Assert.Equal(HttpStatusCode.SeeOther, blocked.StatusCode);
            Assert.Equal("/admin/followers", blocked.Headers.Location!.OriginalString);
        }

        var after = await browser.HtmlAsync("/admin/followers");
        Assert.Contains("Domaine bloqué : ses acteurs ne peuvent plus s&#39;abonner ; 1 abonné·e de ce domaine retiré·e.", after, StringComparison.Ordinal);
        Assert.Contains("<tr><td>127.0.0.4</td>", after, StringComparison.Ordinal);
        Assert.DoesNotContain(peer.ActorId + "</a>", after, StringComparison.Ordinal);
        Assert.Equal(0, node.Running.NodeStore.Followers.Count());
        Assert.Equal(["127.0.0.4"], node.Running.NodeStore.BlockedDomains.FindAll().Select(b => b.Id));

        // The block is the command line's: a new follow from there is rejected.
        using (var again = await peer.PostAsync(node.Http, new Uri(node.Running.Address, "/actor/inbox"), peer.Activity("follow-2", "Follow", node.PublicUrl + "/actor"), HttpSignatureFlavour.Rfc9421))
        {
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        }

        await peer.WaitForAsync(a => a["type"]?.GetValue<string>() == "Reject");
        Assert.Equal(0, node.Running.NodeStore.Followers.Count());

        using (var unblocked = await browser.PostFormAsync("/admin/followers", "/admin/followers/unblock", [new("domain", "127.0.0.4")]))
        {
            Assert.Equal(HttpStatusCode.SeeOther, unblocked.StatusCode);
        }

        var lifted = await browser.HtmlAsync("/admin/followers");
        Assert.Contains("Domaine débloqué", lifted, StringComparison.Ordinal);
        Assert.Contains("Aucun domaine n&#39;est bloqué.", lifted, StringComparison.Ordinal);
        Assert.Equal(0, node.Running.NodeStore.BlockedDomains.Count());

        using var notBlocked = await browser.PostFormAsync("/admin/followers", "/admin/followers/unblock", [new("domain", "127.0.0.4")]);
        Assert.Equal(HttpStatusCode.NotFound, notBlocked.StatusCode);
        Assert.Contains("127.0.0.4 n&#39;était pas bloqué : rien n&#39;a changé.", await notBlocked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://spam.example/users", "&#39;https://spam.example/users&#39; is not a domain name")]
    [InlineData("spam example", "&#39;spam example&#39; is not a domain name")]
    [InlineData("  ", "Saisissez le domaine à bloquer")]
    public async Task A_refused_domain_comes_back_next_to_its_field_and_nothing_is_blocked(string domain, string message)
    {
        await using var node = await AdminPageClient.StartNodeAsync();
        using var browser = new AdminPageClient(node.Running!.Address);
        await browser.SignInOrFailAsync(node.OwnerToken);
        using var refused = await browser.PostFormAsync("/admin/followers", "/admin/followers/block", [new("domain", domain)]);
        var html = await AdminPageAssert.FieldErrorAsync(refused, "domain", message);
        Assert.Contains("aria-describedby=\"domain-hint domain-error\" aria-invalid=\"true\"", html, StringComparison.Ordinal);
        Assert.Equal(0, node.Running.NodeStore.BlockedDomains.Count());
    }

    [Fact]
    public async Task Blocking_or_unblocking_without_the_antiforgery_token_is_refused_and_changes_nothing()
    {
        await using var node = await AdminPageClient.StartNodeAsync();
        using var browser = new AdminPageClient(node.Running!.Address);
        await browser.SignInOrFailAsync(node.OwnerToken);
        using (var refused = await browser.PostFormAsync("/admin/followers", "/admin/followers/block", [new("domain", "spam.example")], withToken: false))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        Assert.Equal(0, node.Running.NodeStore.BlockedDomains.Count());
        await node.Running.BlockList.BlockAsync("spam.example");
        using (var refused = await browser.PostFormAsync("/admin/followers", "/admin/followers/unblock", [new("domain", "spam.example")], withToken: false))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        Assert.Equal(["spam.example"], node.Running.BlockList.List());
    }
}
