using ChatonsFed.Hosting;

namespace ChatonsFed.Cli;

/// <summary>The command line's loopback clients (the running node's admin API, the demo's nodes), for the whole process.</summary>
internal static class LocalClients
{
    private static readonly Lazy<OutboundClients> Clients = new(() => OutboundClients.Create(outbound: null));

    public static OutboundClients Shared => Clients.Value;
}
