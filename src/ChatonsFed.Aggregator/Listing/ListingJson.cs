using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatonsFed.Aggregator.Listing;

/// <summary>How a listing is kept in the store: JSON, without the local observation.</summary>
internal static class ListingJson
{
    public static string Serialize(ChatonListing listing) => JsonSerializer.Serialize(listing, ListingJsonContext.Default.ChatonListing);

    public static ChatonListing Deserialize(string json) =>
        JsonSerializer.Deserialize(json, ListingJsonContext.Default.ChatonListing)
        ?? throw new JsonException("A stored listing is null.");
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ChatonListing))]
internal sealed partial class ListingJsonContext : JsonSerializerContext;
