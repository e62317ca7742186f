using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Protocol.Tests.Vocabulary;

/// <summary>Documents built in code are written as Mastodon and Fedify expect them.</summary>
public class WritingTests
{
    private static JsonObject Written(JsonLdNode node) => ActivityStreamsJson.ToJsonObject(node);

    [Fact]
    public void New_objects_carry_their_type_and_single_values_are_written_plainly()
    {
        var follow = new Follow
        {
            Id = "https://chaton.example/follows/1",
            Actor = [new Reference<JsonLdNode>("https://chaton.example/c/0001/actor")],
            Object = [new Reference<JsonLdNode>("https://mastodon.example/users/alice")],
        };

        var json = Written(follow);

        Assert.Equal("Follow", json["type"]!.GetValue<string>());
        Assert.Equal("https://chaton.example/c/0001/actor", json["actor"]!.GetValue<string>());
        Assert.Equal("https://mastodon.example/users/alice", json["object"]!.GetValue<string>());
        Assert.False(json.ContainsKey("@context"));
        Assert.False(json.ContainsKey("to"));
    }

    [Fact]
    public void Chatons_types_are_written_after_a_standard_type()
    {
        var json = Written(new HostedService());
        var attestation = Written(new CharterAttestation());

        Assert.Equal("[\"Object\",\"HostedService\"]", json["type"]!.ToJsonString());
        Assert.Equal("[\"Document\",\"CharterAttestation\"]", attestation["type"]!.ToJsonString());
    }

    [Fact]
    public void Audience_written_as_array_stays_an_array()
    {
        var note = new Note { To = OneOrMany.Array(new Reference<JsonLdNode>("https://www.w3.org/ns/activitystreams#Public")) };

        Assert.Equal("[\"https://www.w3.org/ns/activitystreams#Public\"]", Written(note)["to"]!.ToJsonString());
    }

    [Fact]
    public void Embedded_objects_are_written_with_their_own_members()
    {
        var update = new Update
        {
            Actor = [new Reference<JsonLdNode>("https://chaton.example/c/0001/actor")],
            Object = [new Reference<JsonLdNode>(new HostedService { Id = "https://chaton.example/c/0001/service/9", Capacity = "full" })],
        };

        var json = Written(update);

        Assert.Equal("full", json["object"]!["capacity"]!.GetValue<string>());
        Assert.IsType<HostedService>(ActivityStreamsJson.Parse<Update>(json.ToJsonString()).EmbeddedObject);
    }

    [Fact]
    public void Timestamps_from_instants_are_written_without_fraction()
    {
        var stamp = new Timestamp(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(2)));

        Assert.Equal("2026-01-02T01:04:05Z", stamp.Text);
    }

    [Fact]
    public void Unknown_members_are_written_back()
    {
        var node = ActivityStreamsJson.Parse("""{"type":"Note","id":"https://a.example/n/1","votersCount":3,"quoteUrl":null}""");

        var json = Written(node);

        Assert.Equal(3, json["votersCount"]!.GetValue<int>());
        Assert.True(json.ContainsKey("quoteUrl"));
    }
}
