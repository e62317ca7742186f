using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatonsFed.Node.Hosting;

namespace ChatonsFed.Aggregation.Tests;

/// <summary>
/// The directory API writes letters outside ASCII as UTF-8 in every JSON it writes, its refusals as before; the
/// ActivityPub documents are served as signed.
/// </summary>
public sealed partial class DirectoryApiJsonTests
{
    [Fact]
    public async Task Search_results_entries_and_refusals_write_non_ascii_as_utf8_while_the_actor_documents_stay_as_signed()
    {
        await using var lynx = await RealNodeTests.StartChatonAsync("lynx", "Lynx Net", RealNodeTests.Lynx);
        await using var aggregator = await TestAggregator.InitAsync([RealNodeTests.ActorId(lynx)]);
        await aggregator.RunAsync("rebuild");

        // The summary says "Drôme": the bytes are UTF-8 (C3 B4), not a \u escape.
        var search = await aggregator.GetBytesAsync("/api/directory/search?q=drome");
        Assert.Equal(1, JsonNode.Parse(search)!["total"]!.GetValue<int>());
        AssertUtf8(search, "Drôme");
        AssertUtf8(await aggregator.GetBytesAsync("/api/directory/entry?id=" + Uri.EscapeDataString(RealNodeTests.ActorId(lynx))), "Drôme");
        AssertUtf8(await aggregator.GetBytesAsync("/api/directory/entries/" + Uri.EscapeDataString(RealNodeTests.ActorId(lynx))), "Drôme");

        // A refusal is a JSON string written the same way, as ASP.NET Core writes one.
        using var refused = await aggregator.Http.GetAsync("/api/directory/search?c%C3%B4t%C3%A9=%3Cb%3E");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var reason = await refused.Content.ReadAsByteArrayAsync();
        AssertUtf8(reason, "côté");
        Assert.StartsWith("\"unknown parameter 'côté';", Encoding.UTF8.GetString(reason), StringComparison.Ordinal);
        using var missing = await aggregator.Http.GetAsync("/api/directory/entries/" + Uri.EscapeDataString("https://hérisson.example/<actor>"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var notFound = Encoding.UTF8.GetString(await missing.Content.ReadAsByteArrayAsync());
        Assert.Contains("hérisson", notFound, StringComparison.Ordinal);
        Assert.Equal("\"no chaton https://hérisson.example/<actor> in this directory\"", notFound);

        // The chaton's actor document is served by its node byte for byte as signed, escapes and all.
        var signed = lynx.Running!.NodeStore.Documents.FindById("/actor")!.Json;
        Assert.Contains("Dr\\u00F4me", signed, StringComparison.Ordinal);
        using var actor = await lynx.Http.SendAsync(lynx.Get("/actor"));
        Assert.Equal(Encoding.UTF8.GetBytes(signed), await actor.Content.ReadAsByteArrayAsync());
    }

    private static void AssertUtf8(byte[] json, string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        Assert.True(json.AsSpan().IndexOf(utf8) >= 0, $"'{text}' as UTF-8 bytes in {Encoding.UTF8.GetString(json)}");
        Assert.DoesNotMatch(NonAsciiEscape(), Encoding.UTF8.GetString(json));
    }

    /// <summary>A <c>\uXXXX</c> escape of a character outside ASCII.</summary>
    [GeneratedRegex(@"\\u(?!00[0-7])[0-9A-Fa-f]{4}")]
    private static partial Regex NonAsciiEscape();
}
