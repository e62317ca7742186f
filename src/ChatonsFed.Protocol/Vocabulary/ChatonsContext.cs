using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatonsFed.Protocol.Vocabulary;

/// <summary>
/// The <c>@context</c> of ChatonsFed documents (PROTOCOL.md section 3): five well-known context URLs,
/// then one inline object that defines every <c>chatons:</c> term, so that no consumer fetches a context.
/// </summary>
public static class ChatonsContext
{
    public const string Namespace = "https://chatons.org/ns#";
    public const string ActivityStreams = "https://www.w3.org/ns/activitystreams";
    public const string SecurityV1 = "https://w3id.org/security/v1";
    public const string DataIntegrityV1 = "https://w3id.org/security/data-integrity/v1";
    public const string DidV1 = "https://www.w3.org/ns/did/v1";
    public const string MultikeyV1 = "https://w3id.org/security/multikey/v1";
    public const string MastodonNamespace = "http://joinmastodon.org/ns#";
    public const string SchemaOrgNamespace = "http://schema.org#";

    private const string XsdDate = "http://www.w3.org/2001/XMLSchema#date";

    /// <summary>The context URLs, in order; all are preloaded by Fedify.</summary>
    public static IReadOnlyList<string> ContextUrls { get; } = [ActivityStreams, SecurityV1, DataIntegrityV1, DidV1, MultikeyV1];

    /// <summary>The inline term definitions, in order: term, IRI, and the value type (<c>@id</c> for URLs, an XSD type for dates).</summary>
    public static IReadOnlyList<TermDefinition> Terms { get; } =
    [
        new("chatons", Namespace),
        new("toot", MastodonNamespace),
        new("schema", SchemaOrgNamespace),
        new("PropertyValue", "schema:PropertyValue"),
        new("value", "schema:value"),
        new("discoverable", "toot:discoverable"),
        new("indexable", "toot:indexable"),
        new("manuallyApprovesFollowers", "as:manuallyApprovesFollowers"),
        new(ChatonsTypes.HostedService, "chatons:HostedService"),
        new(ChatonsTypes.CharterAttestation, "chatons:CharterAttestation"),
        new("structureType", "chatons:structureType"),
        new("membership", "chatons:membership"),
        new("status", "chatons:status"),
        new("since", "chatons:since", XsdDate),
        new("until", "chatons:until", XsdDate),
        new("country", "chatons:country"),
        new("services", "chatons:services", "@id"),
        new("charterAttestation", "chatons:charterAttestation", "@id"),
        new("contact", "chatons:contact", "@id"),
        new("legalNotice", "chatons:legalNotice", "@id"),
        new("category", "chatons:category"),
        new("software", "chatons:software"),
        new("version", "chatons:version"),
        new("license", "chatons:license"),
        new("sourceCode", "chatons:sourceCode", "@id"),
        new("registration", "chatons:registration"),
        new("capacity", "chatons:capacity"),
        new("hosting", "chatons:hosting"),
        new("serverType", "chatons:serverType"),
        new("providerType", "chatons:providerType"),
        new("charter", "chatons:charter"),
        new("digest", "chatons:digest"),
        new("criteria", "chatons:criteria"),
        new("met", "chatons:met"),
        new("note", "chatons:note"),
        new("endorsements", "chatons:endorsements", "@id"),
        new("issuedEndorsements", "chatons:issuedEndorsements", "@id"),
    ];

    /// <summary>The whole <c>@context</c> value as compact JSON.</summary>
    public static string Json { get; } = BuildJson();

    /// <summary>The whole <c>@context</c> value, to set on a node's <see cref="JsonLdNode.Context"/>.</summary>
    public static JsonElement Element { get; } = JsonElement.Parse(Json);

    /// <summary>A fresh mutable copy of the <c>@context</c> value.</summary>
    public static JsonNode ToJsonNode() => JsonNode.Parse(Json)!;

    /// <summary>A copy of <paramref name="node"/> that carries the ChatonsFed <c>@context</c>.</summary>
    public static T Apply<T>(T node)
        where T : JsonLdNode
    {
        ArgumentNullException.ThrowIfNull(node);
        return (T)(node with { Context = Element });
    }

    private static string BuildJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var url in ContextUrls)
            {
                writer.WriteStringValue(url);
            }

            writer.WriteStartObject();
            foreach (var term in Terms)
            {
                if (term.ValueType is null)
                {
                    writer.WriteString(term.Term, term.Iri);
                }
                else
                {
                    writer.WriteStartObject(term.Term);
                    writer.WriteString("@id", term.Iri);
                    writer.WriteString("@type", term.ValueType);
                    writer.WriteEndObject();
                }
            }

            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

/// <summary>One inline term of the ChatonsFed context.</summary>
/// <param name="ValueType"><c>@id</c> when values are URLs, an XSD datatype IRI, or <c>null</c> for plain values.</param>
public sealed record TermDefinition(string Term, string Iri, string? ValueType = null);
