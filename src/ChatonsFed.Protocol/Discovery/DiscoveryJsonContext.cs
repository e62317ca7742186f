using System.Text.Json.Serialization;

namespace ChatonsFed.Protocol.Discovery;

/// <summary>Source-generated serialization metadata for the discovery documents.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JsonResourceDescriptor))]
[JsonSerializable(typeof(NodeInfoDocument))]
internal sealed partial class DiscoveryJsonContext : JsonSerializerContext;
