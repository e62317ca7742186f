using ChatonsFed.Aggregator.ChatonsInfosSource;
using ChatonsFed.Aggregator.Listing;
using ChatonsFed.ChatonsInfos;

namespace ChatonsFed.Aggregation.Tests;

/// <summary>The directory as a federation file: where each sub points, the ids, the order, the bytes.</summary>
public sealed class ChatonsInfosExportTests
{
    [Fact]
    public void Subs_point_at_each_node_s_organization_file_with_unique_ids_in_actor_order_then_the_unsigned_files()
    {
        ChatonListing[] verified =
        [
            Chaton("https://b.example/actor", "lynx", DateTimeOffset.Parse("2026-11-02T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture)),
            Chaton("https://a.example/chaton/actor", "lynx", null),
            Chaton("https://masto.example/users/hibou", "hibou", DateTimeOffset.Parse("2026-11-03T09:30:00Z", System.Globalization.CultureInfo.InvariantCulture)),
            Chaton("https://c.example:8443/actor", "Été naïf", null),
            Chaton("https://d.example/actor", null, null),
        ];
        ChatonListing[] unsigned = [Chaton("https://files.example/ci/tilleul.properties", null, null), Chaton("https://files.example/ci/sub/tilleul.properties", null, null)];

        var text = ChatonsInfosExport.Write("Annuaire", verified, unsigned);
        Assert.Equal(text, ChatonsInfosExport.Write("Annuaire", [.. verified.Reverse()], [.. unsigned.Reverse()]));
        var federation = ChatonsInfosParser.ParseFederation(System.Text.Encoding.UTF8.GetBytes(text));
        Assert.True(federation.IsOk, federation.Error);
        Assert.Empty(federation.Warnings);
        Assert.Equal("Annuaire", federation.Value!.Name);
        Assert.Equal("2026-11-03T09:30:00", federation.Value.File.DateTime);
        Assert.Null(federation.Value.File.Url);
        Assert.Equal(
        [
            ("lynx-a.example", "https://a.example/chaton/.well-known/chatonsinfos/lynx.properties"),
            ("lynx-b.example", "https://b.example/.well-known/chatonsinfos/lynx.properties"),
            ("t--na-f-c.example-8443", "https://c.example:8443/.well-known/chatonsinfos/%C3%89t%C3%A9%20na%C3%AFf.properties"),
            ("hibou-masto.example", "https://masto.example/.well-known/chatonsinfos/hibou.properties"),
            ("unsigned-files.example-tilleul", "https://files.example/ci/sub/tilleul.properties"),
            ("unsigned-files.example-tilleul-2", "https://files.example/ci/tilleul.properties"),
        ], federation.Value.Subs.Select(s => (s.Id, s.Url.AbsoluteUri)));
    }

    private static ChatonListing Chaton(string id, string? handle, DateTimeOffset? updated) =>
        new() { ActorId = id, PreferredUsername = handle, Name = handle ?? "sans nom", ActorUpdated = updated };
}
