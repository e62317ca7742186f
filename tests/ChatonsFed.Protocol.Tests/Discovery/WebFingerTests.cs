using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Discovery;

namespace ChatonsFed.Protocol.Tests.Discovery;

/// <summary>JRD documents of RFC 7033, the SWICG report, Mastodon and Fedify (vector file), the example chaton and a real Fedify peer.</summary>
public class WebFingerTests
{
    private static readonly JsonNode Vectors = RepositoryFiles.LoadVector("discovery-webfinger-nodeinfo-hostmeta.json");

    private static JsonNode WebFinger => Vectors["webfinger"]!;

    public static TheoryData<string, string> VectorDocuments()
    {
        var data = new TheoryData<string, string>();
        foreach (var example in WebFinger["rfc7033_examples"]!.AsArray())
        {
            data.Add("RFC 7033 " + example!["section"], example["response_jrd"]!.ToJsonString());
        }

        data.Add("SWICG forward", WebFinger["swicg_ap_webfinger"]!["example_forward"]!["response_jrd"]!.ToJsonString());
        data.Add("SWICG reverse", WebFinger["swicg_ap_webfinger"]!["example_reverse"]!["response_jrd"]!.ToJsonString());
        data.Add("Mastodon", WebFinger["mastodon_server"]!["jrd_shape"]!.ToJsonString());
        data.Add("Fedify", WebFinger["fedify_server"]!["expected_jrd_from_tests"]!.ToJsonString());
        data.Add("example chaton", File.ReadAllText(RepositoryFiles.ExampleChaton("webfinger.json")));
        data.Add("Fedify peer", File.ReadAllText(RepositoryFiles.Fixture("fedify-webfinger.json")));
        return data;
    }

    [Theory]
    [MemberData(nameof(VectorDocuments))]
    public void Jrd_round_trips_without_losing_anything(string origin, string json)
    {
        var jrd = JsonResourceDescriptor.Parse(json);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(jrd.Serialize())), origin);
    }

    [Fact]
    public void Rfc7033_properties_titles_and_null_values_are_read()
    {
        var jrd = JsonResourceDescriptor.Parse(WebFinger["rfc7033_examples"]![1]!["response_jrd"]!.ToJsonString());

        Assert.Equal("http://blog.example.com/article/id/314", jrd.Subject);
        Assert.Equal(2, jrd.Aliases!.Count);
        Assert.Equal("1.3", jrd.Properties!["http://blgx.example.net/ns/version"]);
        Assert.Null(jrd.Properties["http://blgx.example.net/ns/ext"]);
        var author = Assert.Single(jrd.LinksWithRel("author"));
        Assert.Equal("Le Monde Magique de Steve", author.Titles!["fr"]);
        Assert.Equal("editor", author.Properties!["http://example.com/role"]);
        Assert.Null(jrd.FindActivityPubActor());
    }

    [Theory]
    [InlineData("example_forward", "https://social.example/actors/9c5b94b1-35ad-49bb-b118-8e8fc24abf80")]
    [InlineData("example_reverse", "https://activitypub.example.com/actors/1")]
    public void Self_link_with_either_activitypub_media_type_is_the_actor(string example, string actor)
    {
        var jrd = JsonResourceDescriptor.Parse(WebFinger["swicg_ap_webfinger"]![example]!["response_jrd"]!.ToJsonString());

        Assert.Equal(actor, jrd.FindActivityPubActor());
    }

    [Fact]
    public void Mastodon_shape_has_actor_and_subscribe_template()
    {
        var jrd = JsonResourceDescriptor.Parse(WebFinger["mastodon_server"]!["jrd_shape"]!.ToJsonString());

        Assert.Equal("https://<web_domain>/users/<username>", jrd.FindActivityPubActor());
        Assert.Equal("https://<web_domain>/authorize_interaction?uri={uri}", Assert.Single(jrd.LinksWithRel(WebFingerRelations.Subscribe)).Template);
    }

    [Fact]
    public void Self_link_of_another_media_type_is_not_the_actor()
    {
        var jrd = JsonResourceDescriptor.Parse("""{"subject":"acct:a@b.example","links":[{"rel":"self","type":"text/html","href":"https://b.example/@a"},{"rel":"self","href":"https://b.example/a"}]}""");

        Assert.Null(jrd.FindActivityPubActor());
    }

    [Theory]
    [InlineData("application/activity+json", true)]
    [InlineData("Application/Activity+JSON", true)]
    [InlineData("application/activity+json; charset=utf-8", true)]
    [InlineData("application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"", true)]
    [InlineData("application/ld+json;profile=\"https://www.w3.org/ns/activitystreams\"", true)]
    [InlineData("application/ld+json; profile=https://www.w3.org/ns/activitystreams", true)]
    [InlineData("application/ld+json; charset=utf-8; profile=\"https://example.org/p https://www.w3.org/ns/activitystreams\"", true)]
    [InlineData("application/ld+json", false)]
    [InlineData("application/ld+json; profile=\"https://www.w3.org/ns/activitystreams#\"", false)]
    [InlineData("application/json", false)]
    [InlineData("text/html", false)]
    [InlineData(null, false)]
    public void ActivityPub_media_types_are_read_by_their_parameters(string? mediaType, bool expected)
    {
        Assert.Equal(expected, JsonResourceDescriptor.IsActivityPubMediaType(mediaType));
    }

    [Fact]
    public void Example_chaton_answer_is_what_ForActor_builds()
    {
        var expected = File.ReadAllText(RepositoryFiles.ExampleChaton("webfinger.json"));

        var built = JsonResourceDescriptor.ForActor(
            AccountHandle.Parse("acct:chaton-0001@chaton.example"),
            "https://chaton.example/c/0001/actor",
            "https://chaton-0001.example/");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(built.Serialize())));
        Assert.Equal("https://chaton.example/c/0001/actor", JsonResourceDescriptor.Parse(expected).FindActivityPubActor());
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"links\":{}}")]
    [InlineData("{\"subject\":")]
    public void Malformed_jrd_is_refused(string json)
    {
        Assert.Throws<ProtocolFormatException>(() => JsonResourceDescriptor.Parse(json));
    }
}
