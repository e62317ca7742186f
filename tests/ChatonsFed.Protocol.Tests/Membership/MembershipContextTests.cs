using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Membership;
using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Protocol.Tests.Membership;

public class MembershipContextTests
{
    [Theory]
    [InlineData(MembershipVectors.ChatonA)]
    [InlineData(MembershipVectors.ChatonB)]
    public void The_actor_context_is_the_one_of_the_vectors(string actorId)
    {
        var actor = MembershipVectors.Actor(actorId)!;

        Assert.True(JsonNode.DeepEquals(actor["@context"], ChatonsContext.ToJsonNode()));
        Assert.Equal(actor["@context"]!.ToJsonString(), ChatonsContext.Json);
    }

    [Fact]
    public void The_activity_context_is_the_one_of_the_vectors()
    {
        foreach (var activity in MembershipVectors.File["activities"]!.AsArray())
        {
            Assert.Equal(activity!["document"]!["@context"]!.ToJsonString(), ChatonsContext.Json);
        }
    }

    [Theory]
    [InlineData("valid")]
    [InlineData("revoked")]
    [InlineData("self-endorsement")]
    public void The_credential_context_is_the_one_of_the_vectors(string name)
    {
        var document = MembershipVectors.CredentialDocument(name);

        Assert.Equal(document["@context"]!.ToJsonString(), MembershipContext.CredentialContext().ToJsonString());
    }

    [Fact]
    public void The_status_list_context_is_the_credentials_context_alone()
    {
        var document = MembershipVectors.StatusList["document"]!;

        Assert.Equal(document["@context"]!.ToJsonString(), MembershipContext.StatusListContext().ToJsonString());
        Assert.Equal("[\"https://www.w3.org/ns/credentials/v2\"]", MembershipContext.StatusListContext().ToJsonString());
    }

    [Fact]
    public void Each_call_returns_a_fresh_copy()
    {
        var first = MembershipContext.CredentialContext();
        first.Add("changed");
        ((JsonObject)first[1]!)["met"] = "other";

        Assert.Equal(2, MembershipContext.CredentialContext().Count);
        Assert.Equal("chatons:met", MembershipContext.CredentialContext()[1]!["met"]!.GetValue<string>());
    }
}
