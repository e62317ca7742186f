using ChatonsFed.Protocol.Proofs;

namespace ChatonsFed.TestFleet.Tests;

/// <summary>A fleet signed for another server's origin, to be served from files: its documents name that origin and verify.</summary>
public sealed class FleetGenerateTests
{
    [Fact]
    public async Task A_generated_fleet_signs_its_documents_for_the_given_origin()
    {
        await using var fleet = await FleetServer.GenerateAsync(new Uri("http://127.0.0.1:18080/ignored/path"), 3);

        Assert.Equal("http://127.0.0.1:18080/", fleet.Origin.AbsoluteUri);
        Assert.Equal(new Uri("http://127.0.0.1:18080/c/0003/actor"), fleet[2].ActorId);
        var documents = fleet.Documents;
        Assert.All(documents, d => Assert.StartsWith("/c/000", d.Path, StringComparison.Ordinal));
        foreach (var chaton in fleet.Chatons)
        {
            var actor = chaton.Json(chaton.ActorId);
            var signed = new[] { chaton.ActorId, chaton.ServicesUrl, chaton.AttestationUrl }.Concat(chaton.Services.Select(s => chaton.ServiceUrl(s.Slug)));
            Assert.All(signed, url =>
            {
                Assert.Contains(documents, d => d.Path == url.AbsolutePath);
                Assert.True(ProofVerifier.Verify(chaton.Json(url), actor).IsValid, $"{url} does not verify");
            });
        }
    }

    [Fact]
    public async Task A_generated_fleet_serves_nothing()
    {
        await using var fleet = await FleetServer.GenerateAsync(new Uri("http://127.0.0.1:9/"), 1);

        var client = FleetClient.Create();
        var fetch = await client.FetchObjectAsync(fleet[0].ActorId, CancellationToken.None);
        Assert.False(fetch.IsOk);
    }
}
