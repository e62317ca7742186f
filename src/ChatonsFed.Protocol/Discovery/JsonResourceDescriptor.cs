using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatonsFed.Protocol.Discovery;

/// <summary>A JSON Resource Descriptor (RFC 7033 section 4.4): the WebFinger answer, and the NodeInfo well-known document.</summary>
public sealed record JsonResourceDescriptor
{
    public const string MediaType = "application/jrd+json";

    private const string ActivityStreamsNamespace = "https://www.w3.org/ns/activitystreams";

    /// <summary>The media types an ActivityPub actor link may have (SWICG ActivityPub and WebFinger).</summary>
    public static IReadOnlyList<string> ActivityPubMediaTypes { get; } =
        ["application/activity+json", "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\""];

    [JsonPropertyName("subject")]
    public string? Subject { get; set; }

    [JsonPropertyName("aliases")]
    public IReadOnlyList<string>? Aliases { get; set; }

    /// <summary>Properties by URI; a value may be <c>null</c>.</summary>
    [JsonPropertyName("properties")]
    public IReadOnlyDictionary<string, string?>? Properties { get; set; }

    [JsonPropertyName("links")]
    public IReadOnlyList<JrdLink>? Links { get; set; }

    /// <summary>Members RFC 7033 does not define; clients ignore them, this keeps them.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>The links with relation <paramref name="rel"/>, in order.</summary>
    public IEnumerable<JrdLink> LinksWithRel(string rel) =>
        Links?.Where(l => string.Equals(l.Rel, rel, StringComparison.Ordinal)) ?? [];

    /// <summary>The actor URL: the <c>href</c> of the first <c>self</c> link with an ActivityPub media type.</summary>
    public string? FindActivityPubActor() =>
        LinksWithRel("self").FirstOrDefault(l => l.Href is not null && IsActivityPubMediaType(l.Type))?.Href;

    /// <summary>
    /// Whether <paramref name="mediaType"/> is <c>application/activity+json</c>, or <c>application/ld+json</c> whose
    /// <c>profile</c> names the ActivityStreams namespace. Servers write these with other spacing, case and quoting
    /// than the canonical forms (<c>profile=https://…</c>, <c>;profile="… other-profile"</c>), so the parameters are read
    /// rather than compared as text.
    /// </summary>
    public static bool IsActivityPubMediaType(string? mediaType)
    {
        if (mediaType is null)
        {
            return false;
        }

        var parts = mediaType.Split(';');
        var type = parts[0].Trim();
        if (type.Equals("application/activity+json", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!type.Equals("application/ld+json", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (var parameter in parts.Skip(1))
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0 || !parameter[..equals].Trim().Equals("profile", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // A profile parameter is a space-separated list of URIs (JSON-LD 1.1, section 9).
            var profiles = parameter[(equals + 1)..].Trim().Trim('"').Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (profiles.Contains(ActivityStreamsNamespace, StringComparer.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <exception cref="ProtocolFormatException">Not a JSON object of the JRD shape.</exception>
    public static JsonResourceDescriptor Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, DiscoveryJsonContext.Default.JsonResourceDescriptor)
                ?? throw new ProtocolFormatException("A JRD must be a JSON object, not null.");
        }
        catch (JsonException e)
        {
            throw new ProtocolFormatException($"Not a valid JRD: {e.Message}", e);
        }
    }

    public string Serialize() => JsonSerializer.Serialize(this, DiscoveryJsonContext.Default.JsonResourceDescriptor);

    /// <summary>The WebFinger answer PROTOCOL.md section 2 asks for: the actor as <c>self</c>, and optionally a profile page.</summary>
    public static JsonResourceDescriptor ForActor(AccountHandle account, string actorId, string? profilePage = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        List<JrdLink> links = [new JrdLink { Rel = "self", Type = "application/activity+json", Href = actorId }];
        if (profilePage is not null)
        {
            links.Add(new JrdLink { Rel = WebFingerRelations.ProfilePage, Type = "text/html", Href = profilePage });
        }

        return new JsonResourceDescriptor { Subject = account.ToAcctUri(), Aliases = [actorId], Links = links };
    }
}

/// <summary>One link of a JRD.</summary>
public sealed record JrdLink
{
    [JsonPropertyName("rel")]
    public string? Rel { get; set; }

    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("href")]
    public string? Href { get; set; }

    /// <summary>A URI template with <c>{uri}</c>, as in Mastodon's subscribe link.</summary>
    [JsonPropertyName("template")]
    public string? Template { get; set; }

    /// <summary>Titles by language tag (<c>und</c> when none).</summary>
    [JsonPropertyName("titles")]
    public IReadOnlyDictionary<string, string>? Titles { get; set; }

    [JsonPropertyName("properties")]
    public IReadOnlyDictionary<string, string?>? Properties { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Link relations used in WebFinger answers.</summary>
public static class WebFingerRelations
{
    public const string Self = "self";
    public const string ProfilePage = "http://webfinger.net/rel/profile-page";
    public const string Avatar = "http://webfinger.net/rel/avatar";
    public const string Subscribe = "http://ostatus.org/schema/1.0/subscribe";
}
