using ChatonsFed.Federation.Http;

namespace ChatonsFed.TestFleet.Tests;

/// <summary>A client of the fleet, as an aggregator under test would have one.</summary>
internal static class FleetClient
{
    public static ActivityPubClient Create(OutboundHttpOptions? options = null)
    {
        options ??= FleetServer.LoopbackOptions();
        var http = new HttpClient(OutboundHandler.Create(options)) { Timeout = Timeout.InfiniteTimeSpan };
        return new ActivityPubClient(http, options, TimeProvider.System);
    }
}
