using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace ChatonsFed.Protocol.Discovery;

/// <summary>Names and media types of NodeInfo (schema versions 2.0 and 2.1).</summary>
public static class NodeInfoSchema
{
    public const string Rel20 = "http://nodeinfo.diaspora.software/ns/schema/2.0";
    public const string Rel21 = "http://nodeinfo.diaspora.software/ns/schema/2.1";
    public const string WellKnownPath = "/.well-known/nodeinfo";

    /// <summary>The Content-Type of a NodeInfo 2.1 document.</summary>
    public const string MediaType21 = "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/2.1#\"";

    public static IReadOnlyList<string> Protocols { get; } =
        ["activitypub", "buddycloud", "dfrn", "diaspora", "libertree", "ostatus", "pumpio", "tent", "xmpp", "zot"];

    public static IReadOnlyList<string> InboundServices { get; } =
        ["atom1.0", "gnusocial", "imap", "pnut", "pop3", "pumpio", "rss2.0", "twitter"];

    public static IReadOnlyList<string> OutboundServices { get; } =
    [
        "atom1.0", "blogger", "buddycloud", "diaspora", "dreamwidth", "drupal", "facebook", "friendica", "gnusocial",
        "google", "insanejournal", "libertree", "linkedin", "livejournal", "mediagoblin", "myspace", "pinterest", "pnut",
        "posterous", "pumpio", "redmatrix", "rss2.0", "smtp", "tent", "tumblr", "twitter", "wordpress", "xmpp",
    ];

    /// <summary>The well-known discovery document linking a NodeInfo 2.1 document.</summary>
    public static JsonResourceDescriptor WellKnown(string documentUrl) =>
        new() { Links = [new JrdLink { Rel = Rel21, Href = documentUrl }] };

    /// <summary>The document URL with the highest schema version this code reads (2.1, then 2.0).</summary>
    public static string? FindDocument(JsonResourceDescriptor wellKnown)
    {
        ArgumentNullException.ThrowIfNull(wellKnown);
        return wellKnown.LinksWithRel(Rel21).FirstOrDefault(l => l.Href is not null)?.Href
            ?? wellKnown.LinksWithRel(Rel20).FirstOrDefault(l => l.Href is not null)?.Href;
    }
}

/// <summary>A NodeInfo 2.1 (or 2.0) document.</summary>
public sealed record NodeInfoDocument
{
    [JsonPropertyName("version")]
    public string Version { get; set; } = "2.1";

    [JsonPropertyName("software")]
    public NodeInfoSoftware Software { get; set; } = new();

    [JsonPropertyName("protocols")]
    public IReadOnlyList<string> Protocols { get; set; } = [];

    [JsonPropertyName("services")]
    public NodeInfoServices Services { get; set; } = new();

    [JsonPropertyName("openRegistrations")]
    public bool OpenRegistrations { get; set; }

    [JsonPropertyName("usage")]
    public NodeInfoUsage Usage { get; set; } = new();

    /// <summary>Free-form; ChatonsFed puts <c>chatons.actor</c> (a node) or <c>chatons.directory</c> (an aggregator) here.</summary>
    [JsonPropertyName("metadata")]
    public IReadOnlyDictionary<string, JsonElement> Metadata { get; set; } = new Dictionary<string, JsonElement>();

    /// <summary><c>metadata.chatons.actor</c>: the chaton actor's id.</summary>
    [JsonIgnore]
    public string? ChatonsActor => ChatonsMetadata("actor");

    /// <summary><c>metadata.chatons.directory</c>: an aggregator's directory API root.</summary>
    [JsonIgnore]
    public string? ChatonsDirectory => ChatonsMetadata("directory");

    private string? ChatonsMetadata(string name) =>
        Metadata.TryGetValue("chatons", out var chatons)
        && chatons.ValueKind == JsonValueKind.Object
        && chatons.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>Reads a document after checking it against the NodeInfo schema of its version.</summary>
    /// <exception cref="ProtocolFormatException">The document breaks the schema; the message lists every reason.</exception>
    public static NodeInfoDocument Parse(string json)
    {
        JsonElement root;
        try
        {
            root = JsonElement.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ProtocolFormatException($"The NodeInfo document is not JSON: {e.Message}", e);
        }

        var problems = NodeInfoValidator.Validate(root);
        if (problems.Count > 0)
        {
            throw new ProtocolFormatException("The NodeInfo document breaks its schema: " + string.Join("; ", problems));
        }

        return root.Deserialize(DiscoveryJsonContext.Default.NodeInfoDocument)!;
    }

    public string Serialize() => JsonSerializer.Serialize(this, DiscoveryJsonContext.Default.NodeInfoDocument);
}

public sealed record NodeInfoSoftware
{
    /// <summary>Lowercase letters, digits and hyphens only; <c>chatonsfed</c> for this software.</summary>
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("version")]
    public string Version { get; set; } = string.Empty;

    /// <summary>The source repository URL (2.1 only).</summary>
    [JsonPropertyName("repository")]
    public string? Repository { get; set; }

    /// <summary>The homepage URL (2.1 only).</summary>
    [JsonPropertyName("homepage")]
    public string? Homepage { get; set; }
}

/// <summary>Third-party sites the server reads from (<c>inbound</c>) and publishes to (<c>outbound</c>).</summary>
public sealed record NodeInfoServices
{
    [JsonPropertyName("inbound")]
    public IReadOnlyList<string> Inbound { get; set; } = [];

    [JsonPropertyName("outbound")]
    public IReadOnlyList<string> Outbound { get; set; } = [];
}

public sealed record NodeInfoUsage
{
    [JsonPropertyName("users")]
    public NodeInfoUsers Users { get; set; } = new();

    [JsonPropertyName("localPosts")]
    public long? LocalPosts { get; set; }

    [JsonPropertyName("localComments")]
    public long? LocalComments { get; set; }
}

public sealed record NodeInfoUsers
{
    [JsonPropertyName("total")]
    public long? Total { get; set; }

    [JsonPropertyName("activeMonth")]
    public long? ActiveMonth { get; set; }

    [JsonPropertyName("activeHalfyear")]
    public long? ActiveHalfyear { get; set; }
}

/// <summary>Checks a NodeInfo document against the constraints of the 2.0/2.1 JSON schema and says what breaks them.</summary>
public static partial class NodeInfoValidator
{
    [GeneratedRegex("^[a-z0-9-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex SoftwareNamePattern();

    /// <summary>Every schema violation, as a sentence naming the member; empty when the document is valid.</summary>
    public static IReadOnlyList<string> Validate(JsonElement document)
    {
        var problems = new List<string>();
        if (document.ValueKind != JsonValueKind.Object)
        {
            problems.Add("the document must be a JSON object");
            return problems;
        }

        string? version = null;
        if (Member(document, "version", problems, "") is { } versionElement)
        {
            version = versionElement.ValueKind == JsonValueKind.String ? versionElement.GetString() : null;
            if (version is not ("2.0" or "2.1"))
            {
                problems.Add($"version must be \"2.0\" or \"2.1\", found {versionElement.GetRawText()}");
            }
        }

        var softwareMembers = version == "2.0" ? new[] { "name", "version" } : ["name", "version", "repository", "homepage"];
        OnlyMembers(document, ["version", "software", "protocols", "services", "openRegistrations", "usage", "metadata"], problems, "");

        if (Object(document, "software", problems) is { } software)
        {
            OnlyMembers(software, softwareMembers, problems, "software.");
            if (String(software, "name", problems, "software.") is { } name && !SoftwareNamePattern().IsMatch(name))
            {
                problems.Add($"software.name must match ^[a-z0-9-]+$ (lowercase letters, digits, hyphens), found \"{name}\"");
            }

            String(software, "version", problems, "software.");
            OptionalString(software, "repository", problems, "software.");
            OptionalString(software, "homepage", problems, "software.");
        }

        if (Array(document, "protocols", problems, "") is { } protocols)
        {
            if (protocols.GetArrayLength() == 0)
            {
                problems.Add("protocols must list at least one protocol");
            }

            Enumeration(protocols, NodeInfoSchema.Protocols, problems, "protocols");
        }

        if (Object(document, "services", problems) is { } services)
        {
            OnlyMembers(services, ["inbound", "outbound"], problems, "services.");
            if (Array(services, "inbound", problems, "services.") is { } inbound)
            {
                Enumeration(inbound, NodeInfoSchema.InboundServices, problems, "services.inbound");
            }

            if (Array(services, "outbound", problems, "services.") is { } outbound)
            {
                Enumeration(outbound, NodeInfoSchema.OutboundServices, problems, "services.outbound");
            }
        }

        if (Member(document, "openRegistrations", problems, "") is { } open && open.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            problems.Add($"openRegistrations must be true or false, found {open.GetRawText()}");
        }

        if (Object(document, "usage", problems) is { } usage)
        {
            OnlyMembers(usage, ["users", "localPosts", "localComments"], problems, "usage.");
            if (Object(usage, "users", problems, "usage.") is { } users)
            {
                OnlyMembers(users, ["total", "activeHalfyear", "activeMonth"], problems, "usage.users.");
                foreach (var counter in (ReadOnlySpan<string>)["total", "activeHalfyear", "activeMonth"])
                {
                    Count(users, counter, problems, "usage.users.");
                }
            }

            Count(usage, "localPosts", problems, "usage.");
            Count(usage, "localComments", problems, "usage.");
        }

        Object(document, "metadata", problems);
        return problems;
    }

    private static JsonElement? Member(JsonElement parent, string name, List<string> problems, string path)
    {
        if (parent.TryGetProperty(name, out var value))
        {
            return value;
        }

        problems.Add($"{path}{name} is required");
        return null;
    }

    private static JsonElement? Object(JsonElement parent, string name, List<string> problems, string path = "")
    {
        if (Member(parent, name, problems, path) is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            return value;
        }

        problems.Add($"{path}{name} must be an object");
        return null;
    }

    private static JsonElement? Array(JsonElement parent, string name, List<string> problems, string path)
    {
        if (Member(parent, name, problems, path) is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Array)
        {
            return value;
        }

        problems.Add($"{path}{name} must be an array");
        return null;
    }

    private static string? String(JsonElement parent, string name, List<string> problems, string path)
    {
        if (Member(parent, name, problems, path) is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        problems.Add($"{path}{name} must be a string");
        return null;
    }

    private static void OptionalString(JsonElement parent, string name, List<string> problems, string path)
    {
        if (parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.String)
        {
            problems.Add($"{path}{name} must be a string");
        }
    }

    private static void Count(JsonElement parent, string name, List<string> problems, string path)
    {
        if (parent.TryGetProperty(name, out var value)
            && !(value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count) && count >= 0))
        {
            problems.Add($"{path}{name} must be a non-negative integer, found {value.GetRawText()}");
        }
    }

    private static void OnlyMembers(JsonElement element, IReadOnlyCollection<string> allowed, List<string> problems, string path)
    {
        foreach (var member in element.EnumerateObject())
        {
            if (!allowed.Contains(member.Name))
            {
                problems.Add($"{path}{member.Name} is not allowed (the schema has additionalProperties: false)");
            }
        }
    }

    private static void Enumeration(JsonElement array, IReadOnlyList<string> allowed, List<string> problems, string path)
    {
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !allowed.Contains(item.GetString()!, StringComparer.Ordinal))
            {
                problems.Add($"{path} may only hold {string.Join(", ", allowed)}; found {item.GetRawText()}");
            }
        }
    }
}
