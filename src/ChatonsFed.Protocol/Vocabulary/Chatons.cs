using System.Text.Json.Serialization;

namespace ChatonsFed.Protocol.Vocabulary;

/// <summary>Names of the <c>chatons:</c> types.</summary>
public static class ChatonsTypes
{
    public const string HostedService = "HostedService";
    public const string CharterAttestation = "CharterAttestation";
}

/// <summary>A service a chaton hosts; typed <c>["Object", "HostedService"]</c> so vocabulary-based consumers accept it.</summary>
public sealed record HostedService : AsObject
{
    public HostedService()
        : base("Object", ChatonsTypes.HostedService)
    {
    }

    /// <summary>An id of the shared service-category list; unknown ids are kept.</summary>
    [JsonPropertyName("category")]
    public string? Category { get; set; }

    [JsonPropertyName("software")]
    public ServiceSoftware? Software { get; set; }

    /// <summary>none, free, member or client (ChatonsInfos <c>service.registration</c>).</summary>
    [JsonPropertyName("registration")]
    public string? Registration { get; set; }

    /// <summary>open or full.</summary>
    [JsonPropertyName("capacity")]
    public string? Capacity { get; set; }

    /// <summary>ok, degraded, down or closed.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [JsonPropertyName("hosting")]
    public ServiceHosting? Hosting { get; set; }
}

/// <summary>The free software a hosted service runs.</summary>
public sealed record ServiceSoftware : ExtensibleObject
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("version")]
    public string? Version { get; set; }

    /// <summary>An SPDX licence id.</summary>
    [JsonPropertyName("license")]
    public string? License { get; set; }

    [JsonPropertyName("sourceCode")]
    public string? SourceCode { get; set; }
}

/// <summary>Where a hosted service runs, as ChatonsInfos <c>host.*</c>.</summary>
public sealed record ServiceHosting : ExtensibleObject
{
    [JsonPropertyName("serverType")]
    public string? ServerType { get; set; }

    [JsonPropertyName("providerType")]
    public string? ProviderType { get; set; }

    /// <summary>ISO 3166-1 alpha-2 country code.</summary>
    [JsonPropertyName("country")]
    public string? Country { get; set; }
}

/// <summary>What a chaton declares about the charter; typed <c>["Document", "CharterAttestation"]</c>.</summary>
public sealed record CharterAttestation : AsObject
{
    public CharterAttestation()
        : base("Document", ChatonsTypes.CharterAttestation)
    {
    }

    [JsonPropertyName("charter")]
    public CharterVersion? Charter { get; set; }

    /// <summary>One declaration per criterion of the shared criteria list.</summary>
    [JsonPropertyName("criteria")]
    public OneOrMany<CriterionDeclaration>? Criteria { get; set; }
}

/// <summary>The charter text an attestation refers to.</summary>
public sealed record CharterVersion : ExtensibleObject
{
    [JsonPropertyName("url")]
    public string? Url { get; set; }

    [JsonPropertyName("version")]
    public string? Version { get; set; }

    /// <summary>The digest of the charter text as <c>sha256-&lt;base64&gt;</c>.</summary>
    [JsonPropertyName("digest")]
    public string? Digest { get; set; }
}

/// <summary>Whether a chaton declares that it meets one criterion of the charter.</summary>
public sealed record CriterionDeclaration : ExtensibleObject
{
    /// <summary>The criterion id from the shared criteria list, such as <c>open.free-software</c>.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("met")]
    public bool? Met { get; set; }

    [JsonPropertyName("note")]
    public string? Note { get; set; }
}
