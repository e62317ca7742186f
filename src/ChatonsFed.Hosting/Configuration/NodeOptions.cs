using System.Net;
using ChatonsFed.Federation.Http;

namespace ChatonsFed.Hosting.Configuration;

/// <summary>The node's settings: section <c>ChatonsFed</c> of DIR/appsettings.json, overridden by <c>CHATONSFED__…</c> environment variables.</summary>
public sealed class NodeOptions
{
    public const string Section = "ChatonsFed";
    public const long DefaultMaxBodyBytes = 1024 * 1024;

    /// <summary>The public base URL the node is reached at (it may differ from the listening address behind a reverse proxy).</summary>
    public string PublicUrl { get; set; } = string.Empty;

    /// <summary>The actor's preferred username, the NAME in acct:NAME@HOST.</summary>
    public string Handle { get; set; } = string.Empty;

    /// <summary>Allows plain http and loopback or private addresses, for local tests only.</summary>
    public bool AllowPrivateNetwork { get; set; }

    /// <summary>Allows plain http to other servers without allowing private addresses (implied by <see cref="AllowPrivateNetwork"/>); for closed test networks.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>Non-public networks (CIDR, e.g. <c>10.1.0.0/16</c>) the node may connect to although it refuses private addresses; for closed test networks.</summary>
    public IList<string> AllowedNetworks { get; } = [];

    /// <summary>Largest accepted inbox or admin request body.</summary>
    public long MaxBodyBytes { get; set; } = DefaultMaxBodyBytes;

    /// <summary>Deepest nesting accepted in a received JSON document.</summary>
    public int MaxJsonDepth { get; set; } = 32;

    /// <summary>
    /// Whether an inbox takes an activity whose HTTP signature fails when the activity carries a valid
    /// <c>eddsa-jcs-2022</c> proof by its actor (as Fedify sends). Off: HTTP signatures only.
    /// </summary>
    public bool AcceptObjectProofs { get; set; } = true;

    /// <summary>Inbox POSTs accepted per minute from the actors of one host, counted once their signature verified.</summary>
    public int InboxRequestsPerMinute { get; set; } = 120;

    /// <summary>
    /// Inbox POSTs that do not verify (unsigned, forged, unreadable…) accepted per minute from one client address (an
    /// IPv6 /64); past it the address gets 429 before its body is read.
    /// </summary>
    public int InboxUnverifiedRequestsPerMinute { get; set; } = 60;

    /// <summary>Fetches of keys and actors not yet verified, per minute for the whole node; past it an inbox answers 503 with Retry-After.</summary>
    public int KeyFetchesPerMinute { get; set; } = 120;

    /// <summary>Minutes a host that did not answer a key fetch (no connection, timeout, 429, 5xx) is not asked again.</summary>
    public int FailedHostMinutes { get; set; } = 10;

    /// <summary>Remote keys, and remote actor documents, kept in the store at most (each).</summary>
    public int RemoteCacheMaxEntries { get; set; } = 5000;

    /// <summary>Bytes of remote actor documents kept in the store at most.</summary>
    public long RemoteCacheMaxBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Failed admin authentications allowed per minute from one address before it gets 429.</summary>
    public int AdminFailuresPerMinute { get; set; } = 5;

    /// <summary>Addresses of reverse proxies whose X-Forwarded-For/Proto/Host headers are trusted; empty: loopback only.</summary>
    public IList<string> KnownProxies { get; } = [];

    /// <summary>The owner's admin API (section <c>ChatonsFed:Admin</c>).</summary>
    public AdminOptions Admin { get; set; } = new();

    /// <summary>LiteDB file name, relative to the data folder.</summary>
    public string Database { get; set; } = "chatonsfed.db";

    /// <summary>Key folder, relative to the data folder.</summary>
    public string KeysFolder { get; set; } = "keys";

    /// <summary>
    /// Serves the chaton role: the <c>Organization</c> actor, its services and attestation, its inbox. False on a data
    /// folder made for an aggregator only (<c>chatonsfed init --aggregator</c>).
    /// </summary>
    public bool ServeChaton { get; set; } = true;

    /// <summary>The aggregator role (section <c>ChatonsFed:Aggregator</c>).</summary>
    public AggregatorOptions Aggregator { get; set; } = new();

    /// <summary>The limits of every request the node makes to another server, from these settings.</summary>
    public OutboundHttpOptions OutboundHttp()
    {
        var outbound = new OutboundHttpOptions { AllowPrivateNetwork = AllowPrivateNetwork, AllowHttp = AllowPrivateNetwork || AllowHttp, MaxJsonDepth = MaxJsonDepth };
        foreach (var network in AllowedNetworks)
        {
            outbound.AllowedNetworks.Add(IPNetwork.Parse(network));
        }

        return outbound;
    }

    public Uri PublicUri => new(PublicUrl.TrimEnd('/') + "/", UriKind.Absolute);

    /// <summary>The public base URL without a trailing slash, the prefix of every id the node mints.</summary>
    public string BaseUrl => PublicUri.GetLeftPart(UriPartial.Path).TrimEnd('/');
}
