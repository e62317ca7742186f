using System.Net;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Discovery;
using ChatonsFed.Protocol.Keys;

namespace ChatonsFed.Node.Tests;

/// <summary>
/// What Mastodon requires of a remote account before it follows it, as summarised in the shared vectors
/// (discovery-webfinger-nodeinfo-hostmeta.json, http-signatures-cavage12-mastodon.json), checked on a real node.
/// </summary>
public sealed class MastodonCompatibilityTests
{
    [Fact]
    public async Task Mastodon_resolves_the_account_through_WebFinger_and_the_subject_confirms_itself()
    {
        await using var node = await TestNode.InitAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/webfinger?resource=acct:lynx@chaton.test");
        request.Headers.Accept.ParseAdd("application/jrd+json, application/json");
        using var response = await node.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var jrd = JsonResourceDescriptor.Parse(await response.Content.ReadAsStringAsync());

        // A non-blank subject equal to the queried account, so no second WebFinger round is needed.
        Assert.Equal("acct:lynx@chaton.test", jrd.Subject, ignoreCase: true);
        // The last link with rel=self wins in Mastodon; its type must be exactly one of the two ActivityPub types.
        var self = jrd.Links!.Last(l => l.Rel == "self");
        Assert.Contains(self.Type, new[] { "application/activity+json", "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"" });
        Assert.Equal("https://chaton.test/actor", self.Href);
    }

    [Fact]
    public async Task The_actor_has_what_Mastodon_needs_to_verify_its_signatures_and_show_it()
    {
        await using var node = await TestNode.InitAsync();
        using var request = node.Get("/actor", "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"");
        using var response = await node.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var actor = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.Equal("https://chaton.test/actor", actor["id"]!.GetValue<string>());
        Assert.Equal("lynx", actor["preferredUsername"]!.GetValue<string>());
        Assert.StartsWith("https://chaton.test/", actor["inbox"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("https://chaton.test/inbox", actor["endpoints"]!["sharedInbox"]!.GetValue<string>());
        Assert.False(actor["manuallyApprovesFollowers"]!.GetValue<bool>());

        // Mastodon fetches the key by keyId (the actor URL with #main-key), then requires owner == actor id and an RSA key.
        var key = actor["publicKey"]!.AsObject();
        Assert.Equal("https://chaton.test/actor#main-key", key["id"]!.GetValue<string>());
        Assert.Equal(actor["id"]!.GetValue<string>(), key["owner"]!.GetValue<string>());
        Assert.True(RsaPublicKey.TryFromPem(key["publicKeyPem"]!.GetValue<string>(), out var rsa, out var error), error);
        using (rsa)
        {
            Assert.True(rsa.KeySizeInBits >= 2048);
        }

        // Profile fields: Mastodon shows at most 4 PropertyValue attachments with a name and a value.
        var fields = actor["attachment"]!.AsArray();
        Assert.InRange(fields.Count, 1, 4);
        Assert.All(fields, f =>
        {
            Assert.Equal("PropertyValue", f!["type"]!.GetValue<string>());
            Assert.False(string.IsNullOrWhiteSpace(f["name"]!.GetValue<string>()));
            Assert.NotNull(f["value"]);
        });
        Assert.Contains("\"PropertyValue\":\"schema:PropertyValue\"", actor["@context"]!.ToJsonString(), StringComparison.Ordinal);
    }
}
