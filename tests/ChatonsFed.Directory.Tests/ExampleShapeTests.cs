using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatonsFed.Directory.Node;
using ChatonsFed.Protocol.Tests;
using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Directory.Tests;

/// <summary>
/// The documents built from the example chaton's domain model have the shape of the shared examples, which
/// an independent implementation signed: same members, same values, apart from the key material, the proof
/// and the URL layout (the examples put the node under /c/0001/ with service/N and a root shared inbox).
/// </summary>
public sealed partial class ExampleShapeTests
{
    private const string Origin = "https://chaton.example";
    private const string KeyPlaceholder = "(key)";

    private readonly NodeDocuments _node = ExampleChaton.Node();

    [Fact]
    public void Actor_has_the_example_shape()
    {
        var built = Built(_node.BuildActor(ExampleChaton.Profile));
        Assert.Equal(ChatonsContext.ToJsonNode().ToJsonString(), built["@context"]!.ToJsonString());

        // The example predates membership: the actor links its two collections besides (spec/node.md §3).
        var example = Example("actor.json");
        example["endorsements"] = Origin + "/c/0001/membership/endorsements";
        example["issuedEndorsements"] = Origin + "/c/0001/membership/issued";
        JsonAssert.Equal(example, built, "actor");
    }

    [Theory]
    [InlineData(0, "service-1.json")]
    [InlineData(1, "service-2.json")]
    [InlineData(2, "service-3.json")]
    [InlineData(3, "service-4.json")]
    [InlineData(4, "service-5.json")]
    public void Hosted_service_has_the_example_shape(int index, string example)
    {
        var built = Built(_node.BuildService(ExampleChaton.Services[index]));
        JsonAssert.Equal(Example(example), built, example);
    }

    [Fact]
    public void Attestation_has_the_example_shape()
    {
        var built = Built(_node.BuildAttestation(ExampleChaton.Charter, ExampleChaton.Profile.Name));
        JsonAssert.Equal(Example("attestation.json"), built, "attestation");
    }

    [Fact]
    public void Services_collection_has_the_example_members_and_the_chatons_context()
    {
        // Decision documented in spec/node.md: the collection carries the ChatonsFed context (to be signed);
        // the example's is the bare ActivityStreams context. Everything else is the same.
        var built = Built(_node.BuildServices(ExampleChaton.Services));
        Assert.Equal(ChatonsContext.ToJsonNode().ToJsonString(), built["@context"]!.ToJsonString());
        JsonAssert.Equal(JsonAssert.Without(Example("services.json"), "@context"), JsonAssert.Without(built, "@context"), "services");
    }

    [Theory]
    [InlineData(PagedCollectionKind.Outbox, "outbox.json")]
    [InlineData(PagedCollectionKind.Followers, "followers.json")]
    [InlineData(PagedCollectionKind.Following, "following.json")]
    public void Empty_collections_have_the_example_shape(PagedCollectionKind kind, string example)
    {
        var built = Built(_node.BuildCollection(kind, 0));
        JsonAssert.Equal(Example(example), built, example);
    }

    [Fact]
    public void WebFinger_answer_has_the_example_shape()
    {
        var jrd = _node.BuildWebFinger(ExampleChaton.Profile);
        JsonAssert.Equal(JsonNode.Parse(File.ReadAllText(RepositoryFiles.ExampleChaton("webfinger.json"))), JsonNode.Parse(jrd.Serialize()), "webfinger");
    }

    private static JsonObject Example(string name)
    {
        var document = JsonNode.Parse(File.ReadAllText(RepositoryFiles.ExampleChaton(name)))!.AsObject();
        document.Remove("proof");

        // The examples predate membership, which adds its two collection terms to the context (spec/membership.md §1).
        if (document["@context"] is JsonArray { Count: 6 } context && context[5] is JsonObject terms)
        {
            terms["endorsements"] = new JsonObject { ["@id"] = "chatons:endorsements", ["@type"] = "@id" };
            terms["issuedEndorsements"] = new JsonObject { ["@id"] = "chatons:issuedEndorsements", ["@type"] = "@id" };
        }

        return MaskKeys(document);
    }

    // Our URL layout written as the example's, and the key material masked: what is left is what the domain determines.
    private static JsonObject Built(JsonLdNode node)
    {
        var json = ActivityStreamsJson.ToJsonObject(node);
        Assert.False(json.ContainsKey("proof"));
        var mapped = JsonAssert.MapStrings(json, ToExampleLayout)!.AsObject();
        return MaskKeys(mapped);
    }

    private static string ToExampleLayout(string value) => value switch
    {
        Origin + "/c/0001/actor/inbox" => Origin + "/c/0001/inbox",
        Origin + "/c/0001/actor/outbox" => Origin + "/c/0001/outbox",
        Origin + "/c/0001/actor/followers" => Origin + "/c/0001/followers",
        Origin + "/c/0001/actor/following" => Origin + "/c/0001/following",
        Origin + "/c/0001/inbox" => Origin + "/inbox",
        _ => ServicePattern().Replace(value, Origin + "/c/0001/service/$1"),
    };

    private static JsonObject MaskKeys(JsonObject actorOrOther)
    {
        if (actorOrOther["publicKey"] is JsonObject publicKey)
        {
            publicKey["publicKeyPem"] = KeyPlaceholder;
        }

        if (actorOrOther["assertionMethod"] is JsonArray methods)
        {
            foreach (var method in methods.OfType<JsonObject>())
            {
                method["publicKeyMultibase"] = KeyPlaceholder;
            }
        }

        return actorOrOther;
    }

    [GeneratedRegex("^https://chaton\\.example/c/0001/services/([^/]+)$")]
    private static partial Regex ServicePattern();
}
