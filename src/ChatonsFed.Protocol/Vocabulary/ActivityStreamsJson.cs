using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace ChatonsFed.Protocol.Vocabulary;

/// <summary>Reads ActivityStreams documents into the vocabulary types and writes them back as compact JSON-LD.</summary>
public static class ActivityStreamsJson
{
    private const int DefaultMaxDepth = 64;

    /// <summary>Options over the source-generated metadata, built once; they keep explicit nulls on round trip.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>As <see cref="Options"/>, for reading only, leaving every <c>@context</c> unread (see <see cref="ParseWithoutContext"/>).</summary>
    private static readonly JsonSerializerOptions WithoutContextOptions = CreateOptions(skipContext: true);

    /// <summary>Reads a document into the .NET type its <c>type</c> names (<see cref="AsObject"/> when unknown).</summary>
    /// <exception cref="ProtocolFormatException">The text is not JSON, or not a JSON object of the expected shape.</exception>
    public static JsonLdNode Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(System.Text.Encoding.UTF8.GetBytes(json));
    }

    /// <inheritdoc cref="Parse(string)"/>
    public static JsonLdNode Parse(ReadOnlySpan<byte> utf8Json) => Read<JsonLdNode>(utf8Json, DefaultMaxDepth);

    /// <summary>
    /// As <see cref="Parse(ReadOnlySpan{byte})"/>, for a reader of the vocabulary only: <see cref="JsonLdNode.Context"/>
    /// stays null (the value is skipped, not copied, and not kept among the extension data). A verifier that checks the
    /// @context on the document's JSON itself spares a copy of what is often most of the document.
    /// </summary>
    /// <exception cref="ProtocolFormatException">The text is not JSON, or not a JSON object of the expected shape.</exception>
    public static JsonLdNode ParseWithoutContext(ReadOnlySpan<byte> utf8Json) => Read<JsonLdNode>(utf8Json, DefaultMaxDepth, WithoutContextOptions);

    /// <summary>
    /// Reads a document where a <typeparamref name="T"/> is expected: into the .NET type its <c>type</c> names when
    /// that is a <typeparamref name="T"/>, otherwise into <typeparamref name="T"/> itself (an activity of a type this
    /// vocabulary does not know is still read as an <see cref="Activity"/>, with its actor and object).
    /// </summary>
    /// <param name="utf8Json">The document.</param>
    /// <param name="maxDepth">How deep the JSON may nest.</param>
    /// <exception cref="ProtocolFormatException">The text is not JSON, or a member does not have the shape its type gives it.</exception>
    public static T Read<T>(ReadOnlySpan<byte> utf8Json, int maxDepth)
        where T : JsonLdNode => Read<T>(utf8Json, maxDepth, Options);

    private static T Read<T>(ReadOnlySpan<byte> utf8Json, int maxDepth, JsonSerializerOptions options)
        where T : JsonLdNode
    {
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = maxDepth });
            if (!reader.Read())
            {
                throw new ProtocolFormatException("The document is empty.");
            }

            var node = NodeReader.Read<T>(ref reader, options);
            if (reader.Read())
            {
                throw new ProtocolFormatException("The document has content after its JSON object.");
            }

            return node;
        }
        catch (JsonException e)
        {
            throw new ProtocolFormatException($"Not a valid ActivityStreams document: {e.Message}", e);
        }
    }

    /// <inheritdoc cref="Parse(string)"/>
    public static JsonLdNode Parse(JsonElement element) => Parse(element.GetRawText());

    /// <summary>Reads a document that must be a <typeparamref name="T"/>.</summary>
    /// <exception cref="ProtocolFormatException">The document is not valid, or is of another type.</exception>
    public static T Parse<T>(string json)
        where T : JsonLdNode =>
        Parse(json) is T node
            ? node
            : throw new ProtocolFormatException($"The document is not a {typeof(T).Name}.");

    /// <inheritdoc cref="Parse{T}(string)"/>
    public static T Parse<T>(ReadOnlySpan<byte> utf8Json)
        where T : JsonLdNode =>
        Parse(utf8Json) is T node
            ? node
            : throw new ProtocolFormatException($"The document is not a {typeof(T).Name}.");

    /// <summary>Writes a node as compact JSON, with its <see cref="JsonLdNode.Context"/> if it has one.</summary>
    public static string Serialize(JsonLdNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return JsonSerializer.Serialize(node, Options.GetTypeInfo(node.GetType()));
    }

    /// <inheritdoc cref="Serialize(JsonLdNode)"/>
    public static byte[] SerializeToUtf8Bytes(JsonLdNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return JsonSerializer.SerializeToUtf8Bytes(node, Options.GetTypeInfo(node.GetType()));
    }

    /// <summary>The node as a mutable JSON object (for signing, which works on the JSON form).</summary>
    public static JsonObject ToJsonObject(JsonLdNode node) => JsonNode.Parse(SerializeToUtf8Bytes(node))!.AsObject();

    private static JsonSerializerOptions CreateOptions(bool skipContext = false)
    {
        var resolver = VocabularyJsonContext.Default.WithAddedModifier(KeepExplicitNulls);
        var options = new JsonSerializerOptions(VocabularyJsonContext.Default.Options)
        {
            // Documents are served as application/activity+json, never inside HTML: keep non-ASCII text readable.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = skipContext ? resolver.WithAddedModifier(SkipContext) : resolver,
        };
        options.MakeReadOnly();
        return options;
    }

    // @context read as nothing: the value is skipped where it stands.
    private static void SkipContext(JsonTypeInfo typeInfo)
    {
        foreach (var property in typeInfo.Properties)
        {
            if (property.Name == "@context" && property.PropertyType == typeof(JsonElement?))
            {
                property.CustomConverter = SkippedValue.Instance;
                property.Set = null;
            }
        }
    }

    private sealed class SkippedValue : System.Text.Json.Serialization.JsonConverter<JsonElement?>
    {
        public static readonly SkippedValue Instance = new();

        public override JsonElement? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            reader.Skip();
            return null;
        }

        public override void Write(Utf8JsonWriter writer, JsonElement? value, JsonSerializerOptions options) =>
            throw new NotSupportedException("These options read documents; they do not write them.");
    }

    // A member received as null is written back as null; a member never set stays absent.
    private static void KeepExplicitNulls(JsonTypeInfo typeInfo)
    {
        if (!typeof(ExtensibleObject).IsAssignableFrom(typeInfo.Type))
        {
            return;
        }

        foreach (var property in typeInfo.Properties)
        {
            if (property.IsExtensionData || property.Set is not { } set)
            {
                continue;
            }

            var name = property.Name;
            property.Set = (target, value) =>
            {
                if (value is null)
                {
                    ((ExtensibleObject)target).MarkExplicitNull(name);
                }

                set(target, value);
            };
            property.ShouldSerialize = (target, value) =>
                value is not null || ((ExtensibleObject)target).HadExplicitNull(name);
        }
    }
}
