using System.Net;
using ChatonsFed.Node.Hosting;
using ChatonsFed.Protocol.HttpSignatures;
using ChatonsFed.Protocol.Proofs;

namespace ChatonsFed.Node.Tests;

/// <summary>The keys page (rotation after a confirmation step) and the leave page (after a typed confirmation).</summary>
public sealed class AdminKeysAndLeavePagesTests
{
    [Fact]
    public async Task Rotating_the_keys_takes_a_confirmation_then_publishes_the_new_keys_to_the_followers()
    {
        await using var node = await AdminPageClient.StartNodeAsync();
        await using var peer = await PeerServer.StartAsync("127.0.0.4");
        await peer.FollowAndWaitForAcceptAsync(node, "follow-1", HttpSignatureFlavour.Rfc9421);
        using var browser = new AdminPageClient(node.Running!.Address);
        await browser.SignInOrFailAsync(node.OwnerToken);
        var multibase = Path.Combine(node.Folder, "keys", "ed25519-public.multibase");
        var before = (await File.ReadAllTextAsync(multibase)).Trim();
        var oldPem = (await node.GetJsonAsync("/actor"))["publicKey"]!["publicKeyPem"]!.GetValue<string>();

        var page = await browser.HtmlAsync("/admin/keys");
        Assert.Contains($"<code>{node.PublicUrl}/actor#ed25519-key</code>", page, StringComparison.Ordinal);
        Assert.Contains($"<code>{node.PublicUrl}/actor#main-key</code>", page, StringComparison.Ordinal);
        Assert.Contains($"<code>{before}</code>", page, StringComparison.Ordinal);
        Assert.Contains("<code>SHA256:", page, StringComparison.Ordinal);
        Assert.Contains("Les clés n&#39;ont jamais été renouvelées.", page, StringComparison.Ordinal);
        Assert.Contains("<form method=\"get\" action=\"/admin/keys/rotate\"", page, StringComparison.Ordinal);

        // The first button only asks: nothing changed yet.
        var confirm = await browser.HtmlAsync("/admin/keys/rotate");
        Assert.Contains("Confirmer la rotation</button>", confirm, StringComparison.Ordinal);
        Assert.Equal(before, (await File.ReadAllTextAsync(multibase)).Trim());

        using (var rotated = await browser.PostFormAsync("/admin/keys/rotate", "/admin/keys/rotate", []))
        {
            Assert.Equal(HttpStatusCode.SeeOther, rotated.StatusCode);
            Assert.Equal("/admin/keys", rotated.Headers.Location!.OriginalString);
        }

        var after = await browser.HtmlAsync("/admin/keys");
        Assert.Contains("Clés renouvelées et publiées ; 1 abonné·e notifié·e (1 envoi en file d&#39;attente).", after, StringComparison.Ordinal);
        var fresh = (await File.ReadAllTextAsync(multibase)).Trim();
        Assert.NotEqual(before, fresh);
        Assert.Contains($"<code>{fresh}</code>", after, StringComparison.Ordinal);
        Assert.DoesNotContain("jamais été renouvelées", after, StringComparison.Ordinal);
        Assert.Single(System.IO.Directory.EnumerateDirectories(Path.Combine(node.Folder, "keys", "retired")));

        var actor = await node.GetJsonAsync("/actor");
        Assert.NotEqual(oldPem, actor["publicKey"]!["publicKeyPem"]!.GetValue<string>());
        Assert.True(ProofVerifier.Verify(actor, actor).IsValid);
        var update = await peer.WaitForAsync(a => a["type"]?.GetValue<string>() == "Update");
        Assert.Equal(node.PublicUrl + "/actor", update["object"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_rotation_without_the_antiforgery_token_is_refused_and_the_keys_stay()
    {
        await using var node = await AdminPageClient.StartNodeAsync();
        using var browser = new AdminPageClient(node.Running!.Address);
        await browser.SignInOrFailAsync(node.OwnerToken);
        var before = await node.GetBytesAsync("/actor");
        using var refused = await browser.PostFormAsync("/admin/keys/rotate", "/admin/keys/rotate", [], withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(before, await node.GetBytesAsync("/actor"));
        Assert.False(System.IO.Directory.Exists(Path.Combine(node.Folder, "keys", "retired")));
    }

    [Theory]
    [InlineData("", "Saisissez @lynx@")]
    [InlineData("lynx", "« lynx » n&#39;est ni @lynx@")]
    [InlineData("@LYNX@", "n&#39;est ni @lynx@")]
    public async Task A_wrong_confirmation_comes_back_next_to_its_field_and_the_chaton_stays(string typed, string message)
    {
        await using var node = await AdminPageClient.StartNodeAsync();
        using var browser = new AdminPageClient(node.Running!.Address);
        await browser.SignInOrFailAsync(node.OwnerToken);
        var domain = new Uri(node.PublicUrl).Authority;
        var confirmation = typed.StartsWith('@') ? typed + domain : typed;
        using var refused = await browser.PostFormAsync("/admin/leave", "/admin/leave", [new("confirmation", confirmation)]);
        var html = await AdminPageAssert.FieldErrorAsync(refused, "confirmation", message);
        Assert.Contains("aria-describedby=\"confirmation-hint confirmation-error\" aria-invalid=\"true\"", html, StringComparison.Ordinal);
        Assert.Null(node.Running.NodeStore.Profile!.Deleted);
        using var actor = await node.Http.SendAsync(node.Get("/actor"));
        Assert.Equal(HttpStatusCode.OK, actor.StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Typing_the_handle_or_the_domain_leaves_the_network_and_the_followers_get_the_Delete(bool byHandle)
    {
        await using var node = await AdminPageClient.StartNodeAsync();
        await using var peer = await PeerServer.StartAsync("127.0.0.4");
        await peer.FollowAndWaitForAcceptAsync(node, "follow-1", HttpSignatureFlavour.Rfc9421);
        using var browser = new AdminPageClient(node.Running!.Address);
        await browser.SignInOrFailAsync(node.OwnerToken);
        var domain = new Uri(node.PublicUrl).Authority;

        var page = await browser.HtmlAsync("/admin/leave");
        Assert.Contains($"<strong><code>@lynx@{domain}</code></strong>", page, StringComparison.Ordinal);
        Assert.Contains($"<strong><code>{domain}</code></strong>", page, StringComparison.Ordinal);
        Assert.Contains("<label for=\"confirmation\">", page, StringComparison.Ordinal);

        using (var left = await browser.PostFormAsync("/admin/leave", "/admin/leave", [new("confirmation", byHandle ? $" @lynx@{domain} " : domain)]))
        {
            Assert.Equal(HttpStatusCode.SeeOther, left.StatusCode);
        }

        var after = await browser.HtmlAsync("/admin/leave");
        Assert.Contains("Le chaton a quitté le réseau ; 1 abonné·e notifié·e (1 envoi en file d&#39;attente).", after, StringComparison.Ordinal);
        Assert.Contains("Ce chaton a quitté le réseau le <time", after, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"confirmation\"", after, StringComparison.Ordinal);
        using (var actor = await node.Http.SendAsync(node.Get("/actor")))
        {
            Assert.Equal(HttpStatusCode.Gone, actor.StatusCode);
        }

        var delete = await peer.WaitForAsync(a => a["type"]?.GetValue<string>() == "Delete");
        Assert.Equal(node.PublicUrl + "/actor", delete["actor"]!.GetValue<string>());

        // Nothing can change any more: the keys page says so, and a rotation is refused with the services' reason.
        var keys = await browser.HtmlAsync("/admin/keys");
        Assert.Contains("ses clés ne peuvent plus être renouvelées", keys, StringComparison.Ordinal);
        using var rotation = await browser.PostFormAsync("/admin/keys/rotate", "/admin/keys/rotate", []);
        Assert.Equal(HttpStatusCode.Conflict, rotation.StatusCode);
        Assert.Contains("this chaton has left the network", await rotation.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(System.IO.Directory.Exists(Path.Combine(node.Folder, "keys", "retired")));
    }

    [Fact]
    public async Task Leaving_without_the_antiforgery_token_is_refused_and_the_chaton_stays()
    {
        await using var node = await AdminPageClient.StartNodeAsync();
        using var browser = new AdminPageClient(node.Running!.Address);
        await browser.SignInOrFailAsync(node.OwnerToken);
        using var refused = await browser.PostFormAsync("/admin/leave", "/admin/leave", [new("confirmation", new Uri(node.PublicUrl).Authority)], withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Null(node.Running.NodeStore.Profile!.Deleted);
        Assert.Empty(node.Running.NodeStore.Outbox.Find(o => o.Type == "Delete"));
    }
}
