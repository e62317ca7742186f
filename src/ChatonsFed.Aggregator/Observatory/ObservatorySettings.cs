using ChatonsFed.Federation.Http;
using ChatonsFed.Hosting.Configuration;

namespace ChatonsFed.Aggregator.Observatory;

/// <summary>
/// How the observatory asks: the address policy of every hop (the node's, link-local and cloud metadata addresses
/// refused whatever it allows), its pace, its limits and the User-Agent that names the aggregator's Method page.
/// </summary>
public sealed class ObservatorySettings
{
    /// <summary>The most redirects followed from one target; one more is "too many redirects".</summary>
    public const int MaxRedirects = 3;

    /// <summary>The most bytes of a body read; past it reading stops and the page is judged on what was read.</summary>
    public const int MaxBodyBytes = 2 * 1024 * 1024;

    /// <summary>Checks in flight at a time, in all; a host is never asked more than one thing at a time.</summary>
    public const int Concurrency = 8;

    /// <summary>The time one whole exchange may take (every hop, headers and body).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait a host's Retry-After is honoured for.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromHours(6);

    /// <summary>How many days of uptime are kept per target (7 and 30 days are shown).</summary>
    public const int DaysKept = 31;

    /// <summary>The Method page's path (French; <c>/method</c> serves it too).</summary>
    public const string MethodPath = "/methode";

    public required OutboundHttpOptions Policy { get; init; }

    public bool Enabled { get; init; } = true;

    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>The time one whole exchange may take; 10 s, shorter only in tests.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    public required string UserAgent { get; init; }

    /// <summary>PEM files of private root certificates trusted besides the system's.</summary>
    public IReadOnlyList<string> PrivateRootCertificates { get; init; } = [];

    /// <summary>The settings of a node: its address policy with link-local addresses always refused, its aggregator's pace.</summary>
    public static ObservatorySettings From(NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var policy = options.OutboundHttp();
        policy.AlwaysRefuseLinkLocal = true;

        // A page is observed, not trusted: plain http is asked for too (a service may well be served so), under the
        // same address rules.
        policy.AllowHttp = true;
        policy.ConnectTimeout = DefaultTimeout;
        policy.RequestTimeout = DefaultTimeout;
        policy.MaxRedirects = MaxRedirects;
        policy.MaxResponseBytes = MaxBodyBytes;
        var observatory = options.Aggregator?.Observatory ?? new AggregatorObservatoryOptions();
        policy.UserAgent = UserAgentFor(options.BaseUrl);
        return new ObservatorySettings
        {
            Policy = policy,
            Enabled = observatory.Enabled,
            Interval = observatory.Interval,
            UserAgent = policy.UserAgent,
            PrivateRootCertificates = [.. observatory.PrivateRootCertificates],
        };
    }

    /// <summary><c>ChatonsFed-Observatory/1.0 (+BASE/methode)</c>: who asks, and where it says what and why.</summary>
    public static string UserAgentFor(string baseUrl) => $"ChatonsFed-Observatory/1.0 (+{baseUrl.TrimEnd('/')}{MethodPath})";

    /// <summary><see cref="Interval"/> stretched or shrunk by up to 10 %, so that targets spread over time.</summary>
    public TimeSpan Jittered(double unit) => Interval * (0.9 + (0.2 * Math.Clamp(unit, 0, 1)));
}
