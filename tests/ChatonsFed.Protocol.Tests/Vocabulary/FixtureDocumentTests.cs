using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Protocol.Tests.Vocabulary;

/// <summary>Real documents from Mastodon, Fedify and GoToSocial parse into the right types and round-trip losslessly.</summary>
public class FixtureDocumentTests
{
    private static string Fixture(string name) => File.ReadAllText(RepositoryFiles.Fixture(name));

    [Theory]
    [InlineData("mastodon-actor.json")]
    [InlineData("mastodon-create-note.json")]
    [InlineData("fedify-actor.json")]
    [InlineData("fedify-follow.json")]
    [InlineData("fedify-followers.json")]
    [InlineData("gotosocial-actor.json")]
    public void Fixture_round_trips_without_losing_anything(string name)
    {
        RoundTrip.AssertLossless(Fixture(name));
    }

    [Fact]
    public void Mastodon_actor_is_a_person_with_legacy_key_and_shared_inbox()
    {
        var actor = Assert.IsType<Person>(ActivityStreamsJson.Parse(Fixture("mastodon-actor.json")));

        Assert.Equal("https://ap.example.com/users/foo", actor.Id);
        Assert.Equal("foo", actor.PreferredUsername);
        Assert.Equal(string.Empty, actor.Name);
        Assert.Equal("<p>test</p>", actor.Summary);
        Assert.Equal("https://ap.example.com/users/foo/inbox", actor.Inbox);
        Assert.Equal("https://ap.example.com/inbox", actor.SharedInbox);
        Assert.False(actor.ManuallyApprovesFollowers);
        var key = Assert.IsType<PublicKey>(actor.MainPublicKey);
        Assert.Equal("https://ap.example.com/users/foo#main-key", key.Id);
        Assert.Equal(actor.Id, key.Owner);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu3L4", key.PublicKeyPem, StringComparison.Ordinal);
        Assert.Null(key.Type);
        var icon = Assert.IsType<Image>(actor.Icon!.First!.Value);
        Assert.Equal("https://quitter.no/avatar/7477-300-20160211190340.png", icon.Url!.First!.Id);
        Assert.Empty(actor.AssertionKeys);
    }

    [Fact]
    public void Mastodon_create_embeds_a_note_with_hashtag_and_document()
    {
        var create = Assert.IsType<Create>(ActivityStreamsJson.Parse(Fixture("mastodon-create-note.json")));

        Assert.Equal("https://mastodon.social/users/dansup", create.ActorId);
        Assert.Equal("https://mastodon.social/users/dansup/statuses/100889802384218791", create.ObjectId);
        Assert.Equal("2018-10-13T18:43:33Z", create.Published?.Text);
        Assert.Equal(new DateTimeOffset(2018, 10, 13, 18, 43, 33, TimeSpan.Zero), create.Published?.Instant);
        Assert.True(create.To!.WriteAsArray);
        Assert.Equal("https://www.w3.org/ns/activitystreams#Public", Assert.Single(create.To).Id);

        var note = Assert.IsType<Note>(create.EmbeddedObject);
        Assert.Null(note.Summary);
        Assert.True(note.HadExplicitNull("summary"));
        Assert.True(note.HadExplicitNull("inReplyTo"));
        Assert.False(note.Sensitive);
        Assert.StartsWith("<p>Good Morning!", note.ContentMap!["en"], StringComparison.Ordinal);
        var hashtag = Assert.IsType<Hashtag>(Assert.Single(note.Tag!).Value);
        Assert.Equal("#coffee", hashtag.Name);
        Assert.Equal("https://mastodon.social/tags/coffee", hashtag.Href);
        var media = Assert.IsType<Document>(Assert.Single(note.Attachment!).Value);
        Assert.Equal("image/jpeg", media.MediaType);
        Assert.True(media.HadExplicitNull("name"));
        Assert.Equal(
            "tag:mastodon.social,2018-10-13:objectId=59103420:objectType=Conversation",
            note.Extension("conversation")?.GetString());
    }

    [Fact]
    public void Fedify_actor_lists_an_rsa_and_an_ed25519_multikey()
    {
        var actor = Assert.IsType<Person>(ActivityStreamsJson.Parse(Fixture("fedify-actor.json")));

        Assert.Equal("alice", actor.PreferredUsername);
        var keys = actor.AssertionKeys.ToList();
        Assert.Equal(2, keys.Count);
        Assert.All(keys, k => Assert.Equal(actor.Id, k.Controller));
        Assert.Equal(["Multikey", "Multikey"], keys.Select(k => k.Type!.First));
        // This peer's RSA key is 4096 bits, so its multibase does not start with the z4MX of a 2048-bit key.
        Assert.True(keys[0].PublicKeyMultibase!.Length > 700, "the first key is Fedify's RSA key");
        Assert.StartsWith("z6Mk", keys[1].PublicKeyMultibase, StringComparison.Ordinal);
        Assert.Same(keys[1], actor.FindAssertionKey(actor.Id + "#multikey-2"));
        Assert.Equal(["CryptographicKey"], actor.MainPublicKey!.Type!);
        Assert.Equal(actor.Id + "#main-key", actor.MainPublicKey.Id);
        Assert.Equal("http://127.0.0.1:44917/inbox", actor.SharedInbox);
    }

    [Fact]
    public void Fedify_follow_carries_a_proof_with_its_own_context_and_a_legacy_signature()
    {
        var follow = Assert.IsType<Follow>(ActivityStreamsJson.Parse(Fixture("fedify-follow.json")));

        Assert.Equal("http://127.0.0.1:33101/users/carol", follow.ActorId);
        Assert.Equal("http://127.0.0.1:43179/users/bob", follow.ObjectId);
        Assert.False(follow.Object!.First!.IsEmbedded);
        var proof = Assert.Single(follow.Proof!);
        Assert.Equal("eddsa-jcs-2022", proof.Cryptosuite);
        Assert.Equal("assertionMethod", proof.ProofPurpose);
        Assert.Equal("http://127.0.0.1:33101/users/carol#multikey-2", proof.VerificationMethod);
        Assert.Equal("2026-11-23T06:48:59.485539359Z", proof.Created?.Text);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 6, 48, 59, TimeSpan.Zero).AddTicks(4855393), proof.Created?.Instant);
        Assert.NotNull(proof.Context);
        Assert.Equal("RsaSignature2017", follow.Extension("signature")?.GetProperty("type").GetString());
    }

    [Fact]
    public void Fedify_followers_is_an_empty_ordered_collection()
    {
        var followers = Assert.IsType<OrderedCollection>(ActivityStreamsJson.Parse(Fixture("fedify-followers.json")));

        Assert.Equal(0, followers.TotalItems);
        Assert.Empty(followers.AllItems);
    }

    [Fact]
    public void GoToSocial_actor_has_property_value_fields()
    {
        var actor = Assert.IsType<Person>(ActivityStreamsJson.Parse(Fixture("gotosocial-actor.json")));

        Assert.True(actor.ManuallyApprovesFollowers);
        Assert.False(actor.Discoverable);
        Assert.Equal("http://localhost:8080/users/1happyturtle/collections/featured", actor.Featured);
        Assert.Equal(
            [("should you follow me?", "maybe!"), ("age", "120")],
            actor.AttachmentsOf<PropertyValue>().Select(p => (p.Name, p.Value)));
        Assert.Null(actor.SharedInbox);
        Assert.Equal("2022-06-04T13:12:00Z", actor.Published?.Text);
    }
}
