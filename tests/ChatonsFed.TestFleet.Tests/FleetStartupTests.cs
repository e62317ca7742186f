using System.Diagnostics;
using ChatonsFed.Protocol.Proofs;
using Xunit.Abstractions;

namespace ChatonsFed.TestFleet.Tests;

/// <summary>A thousand chatons, each with its actor, five services, services collection and attestation signed at start-up.</summary>
public sealed class FleetStartupTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_thousand_chatons_start_in_seconds_and_serve_documents_that_verify()
    {
        await using var fleet = await FleetServer.StartAsync(1000);
        output.WriteLine($"1,000 chatons (8,000 signed documents) started in {fleet.StartupTime.TotalMilliseconds:F0} ms on {Environment.ProcessorCount} cores");

        var client = FleetClient.Create();
        var stopwatch = Stopwatch.StartNew();
        foreach (var chaton in fleet.Chatons.Where(c => c.Index % 97 == 0))
        {
            var actor = await client.FetchObjectAsync(chaton.ActorId, CancellationToken.None);
            var service = await client.FetchObjectAsync(chaton.ServiceUrl(chaton.Services[4].Slug), CancellationToken.None);
            Assert.True(ProofVerifier.Verify(actor.Document!, actor.Document!).IsValid);
            Assert.True(ProofVerifier.Verify(service.Document!, actor.Document!).IsValid);
        }

        output.WriteLine($"fetched and verified 11 actors and services in {stopwatch.ElapsedMilliseconds} ms");
        Assert.Equal("c1000", fleet[999].Handle);
        Assert.Equal(1000, fleet.Chatons.Select(c => c.ProofKey.ToMultibase()).Distinct().Count());

        // Generous: the figure is reported above; this only catches a start-up that went quadratic.
        Assert.True(fleet.StartupTime < TimeSpan.FromSeconds(60), $"start-up took {fleet.StartupTime}");
    }
}
