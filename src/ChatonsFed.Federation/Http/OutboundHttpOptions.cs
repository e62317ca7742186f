using System.Net;

namespace ChatonsFed.Federation.Http;

/// <summary>Limits for every request this node makes to another server.</summary>
public sealed class OutboundHttpOptions
{
    /// <summary>
    /// Allows loopback, private, link-local and other non-public addresses, and plain <c>http</c>. For tests and
    /// closed test networks only: on a public node it lets a remote document make us call our own infrastructure.
    /// </summary>
    public bool AllowPrivateNetwork { get; set; }

    /// <summary>Networks allowed although they are not public (e.g. a test's <c>127.0.0.0/8</c>); empty by default.</summary>
    public IList<IPNetwork> AllowedNetworks { get; } = [];

    /// <summary>
    /// Refuses link-local addresses (<c>169.254.0.0/16</c>, <c>fe80::/10</c>) and the cloud metadata address
    /// <c>fd00:ec2::254</c> whatever <see cref="AllowPrivateNetwork"/> and <see cref="AllowedNetworks"/> allow: for
    /// requests to URLs that anyone may publish (the service observatory), where a test network is no reason to let
    /// a page reach a cloud provider's metadata service.
    /// </summary>
    public bool AlwaysRefuseLinkLocal { get; set; }

    /// <summary>Allows plain <c>http</c> URLs without allowing every private address (implied by <see cref="AllowPrivateNetwork"/>).</summary>
    public bool AllowHttp { get; set; }

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time for one whole operation: every redirect hop and signature retry, and reading the body.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest response body read, checked against <c>Content-Length</c> and while streaming.</summary>
    public long MaxResponseBytes { get; set; } = 1024 * 1024;

    /// <summary>Redirects followed by a GET before it fails; POSTs never follow redirects.</summary>
    public int MaxRedirects { get; set; } = 5;

    /// <summary>Deepest JSON nesting accepted in a fetched document.</summary>
    public int MaxJsonDepth { get; set; } = 64;

    public string UserAgent { get; set; } = "ChatonsFed/0.1";

    internal bool IsSchemeAllowed(string scheme) =>
        scheme == Uri.UriSchemeHttps || (scheme == Uri.UriSchemeHttp && (AllowHttp || AllowPrivateNetwork));
}
