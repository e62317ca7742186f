using System.Text.Json;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Discovery;

namespace ChatonsFed.Protocol.Tests.Discovery;

public class NodeInfoTests
{
    private static readonly JsonNode Vectors = RepositoryFiles.LoadVector("discovery-webfinger-nodeinfo-hostmeta.json");

    private static JsonObject Example => Vectors["nodeinfo"]!["example_2_1"]!.DeepClone().AsObject();

    private static IReadOnlyList<string> Problems(JsonNode document) =>
        NodeInfoValidator.Validate(JsonElement.Parse(document.ToJsonString()));

    [Fact]
    public void Schema_example_is_valid_and_reads()
    {
        Assert.Empty(Problems(Example));

        var info = NodeInfoDocument.Parse(Example.ToJsonString());

        Assert.Equal("2.1", info.Version);
        Assert.Equal("diaspora", info.Software.Name);
        Assert.Equal("https://github.com/diaspora/diaspora", info.Software.Repository);
        Assert.Equal("https://diasporafoundation.org/", info.Software.Homepage);
        Assert.Equal(["diaspora"], info.Protocols);
        Assert.Equal(["gnusocial"], info.Services.Inbound);
        Assert.Equal(["facebook", "twitter"], info.Services.Outbound);
        Assert.True(info.OpenRegistrations);
        Assert.Equal((123L, 42L, 23L), (info.Usage.Users.Total, info.Usage.Users.ActiveHalfyear, info.Usage.Users.ActiveMonth));
        Assert.Equal(500, info.Usage.LocalPosts);
        Assert.Equal(1000, info.Usage.LocalComments);
        Assert.True(info.Metadata["chat_enabled"].GetBoolean());
        Assert.True(JsonNode.DeepEquals(Example, JsonNode.Parse(info.Serialize())));
    }

    [Fact]
    public void Chatonsfed_document_is_valid_and_names_its_actor()
    {
        var info = new NodeInfoDocument
        {
            Software = new NodeInfoSoftware { Name = "chatonsfed", Version = "0.1.0", Repository = "https://forge.example/chatonsfed" },
            Protocols = ["activitypub"],
            Usage = new NodeInfoUsage { Users = new NodeInfoUsers { Total = 1, ActiveMonth = 1, ActiveHalfyear = 1 }, LocalPosts = 0 },
            Metadata = new Dictionary<string, JsonElement>
            {
                ["chatons"] = JsonElement.Parse("""{"actor":"https://chaton.example/c/0001/actor"}"""),
            },
        };

        var json = info.Serialize();

        Assert.Empty(NodeInfoValidator.Validate(JsonElement.Parse(json)));
        Assert.Equal("https://chaton.example/c/0001/actor", NodeInfoDocument.Parse(json).ChatonsActor);
        Assert.Null(info.ChatonsDirectory);
    }

    public static TheoryData<string, string, string> Violations() => new()
    {
        { "$.version", "\"2.2\"", "version must be" },
        { "$.software.name", "\"Diaspora\"", "software.name must match ^[a-z0-9-]+$" },
        { "$.software.name", "\"my server\"", "software.name must match" },
        { "$.software.version", "1", "software.version must be a string" },
        { "$.software.extra", "\"x\"", "software.extra is not allowed" },
        { "$.protocols", "[]", "at least one protocol" },
        { "$.protocols", "[\"activitypub\",\"matrix\"]", "protocols may only hold" },
        { "$.protocols", "\"activitypub\"", "protocols must be an array" },
        { "$.services.inbound", "[\"facebook\"]", "services.inbound may only hold" },
        { "$.services.outbound", "[\"imap\"]", "services.outbound may only hold" },
        { "$.openRegistrations", "\"yes\"", "openRegistrations must be true or false" },
        { "$.usage.users.total", "-1", "usage.users.total must be a non-negative integer" },
        { "$.usage.users.activeMonth", "1.5", "usage.users.activeMonth must be a non-negative integer" },
        { "$.usage.localPosts", "-3", "usage.localPosts must be a non-negative integer" },
        { "$.usage.users.online", "3", "usage.users.online is not allowed" },
        { "$.extra", "true", "extra is not allowed" },
        { "$.metadata", "[]", "metadata must be an object" },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public void Violations_are_reported_with_a_reason(string path, string value, string reason)
    {
        var document = Example;
        Set(document, path, JsonNode.Parse(value));

        Assert.Contains(Problems(document), p => p.Contains(reason, StringComparison.Ordinal));
        var error = Assert.Throws<ProtocolFormatException>(() => NodeInfoDocument.Parse(document.ToJsonString()));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("version")]
    [InlineData("software")]
    [InlineData("protocols")]
    [InlineData("services")]
    [InlineData("openRegistrations")]
    [InlineData("usage")]
    [InlineData("metadata")]
    public void Required_members_are_reported_when_missing(string member)
    {
        var document = Example;
        document.Remove(member);

        Assert.Contains($"{member} is required", Problems(document));
    }

    [Fact]
    public void Software_name_and_version_and_users_are_required()
    {
        var document = Example;
        document["software"]!.AsObject().Remove("name");
        document["software"]!.AsObject().Remove("version");
        document["usage"]!.AsObject().Remove("users");

        Assert.Equal(
            ["software.name is required", "software.version is required", "usage.users is required"],
            Problems(document));
    }

    [Fact]
    public void Mastodon_shaped_2_0_document_is_valid_but_2_0_has_no_repository()
    {
        var mastodon = JsonNode.Parse("""
            {"version":"2.0","software":{"name":"mastodon","version":"4.3.0"},"protocols":["activitypub"],
             "services":{"outbound":[],"inbound":[]},"usage":{"users":{"total":10,"activeMonth":2,"activeHalfyear":5},"localPosts":99},
             "openRegistrations":false,"metadata":{}}
            """)!;

        Assert.Empty(Problems(mastodon));
        mastodon["software"]!["repository"] = "https://github.com/mastodon/mastodon";
        Assert.Contains("software.repository is not allowed (the schema has additionalProperties: false)", Problems(mastodon));
    }

    [Fact]
    public void Well_known_document_links_the_highest_version()
    {
        var wellKnown = JsonResourceDescriptor.Parse("""
            {"links":[{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.0","href":"https://a.example/nodeinfo/2.0"},
                      {"rel":"http://nodeinfo.diaspora.software/ns/schema/2.1","href":"https://a.example/nodeinfo/2.1"}]}
            """);

        Assert.Equal("https://a.example/nodeinfo/2.1", NodeInfoSchema.FindDocument(wellKnown));
        Assert.Equal(
            """{"links":[{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.1","href":"https://chaton.example/nodeinfo/2.1"}]}""",
            NodeInfoSchema.WellKnown("https://chaton.example/nodeinfo/2.1").Serialize());
        Assert.Null(NodeInfoSchema.FindDocument(JsonResourceDescriptor.Parse("""{"links":[]}""")));
    }

    private static void Set(JsonObject document, string path, JsonNode? value)
    {
        var parts = path.TrimStart('$', '.').Split('.');
        JsonObject parent = document;
        foreach (var part in parts[..^1])
        {
            parent = parent[part]!.AsObject();
        }

        parent[parts[^1]] = value;
    }
}
