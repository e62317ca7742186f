using System.Net;

namespace ChatonsFed.Aggregator.Observatory;

/// <summary>
/// Which hosts a page loads are third parties, and which of those are trackers. First-party: the target's own host,
/// and any host that is the site domain of the target's host or of the chaton's website host, or under it. A host's
/// site domain is its parent (the host less its first label) when the host has three labels or more, the host itself
/// otherwise; a parent that is a common two-level public suffix (co.uk, asso.fr, com.au… — a short list, not the whole
/// Public Suffix List) does not count, and the host itself is taken. So with the website www.chaton.example,
/// chaton.example, static.chaton.example and pad.chaton.example are first-party; cdn.other.example is a third party.
/// </summary>
public sealed class ThirdParties
{
    private static readonly HashSet<string> TwoLevelSuffixes = new(StringComparer.Ordinal)
    {
        "co.uk", "org.uk", "ac.uk", "gov.uk", "me.uk", "ltd.uk", "plc.uk", "com.au", "net.au", "org.au", "co.nz", "org.nz", "co.jp", "ne.jp",
        "com.br", "org.br", "com.mx", "co.za", "co.in", "com.cn", "com.tw", "co.kr", "asso.fr", "gouv.fr", "com.fr", "tm.fr", "nom.fr", "eu.org",
        "qc.ca", "com.es", "org.es", "co.it", "com.pl", "co.at", "or.at", "com.pt", "com.be", "co.il", "com.tr", "com.ar",
    };

    private readonly HashSet<string> _trackers;

    public ThirdParties(IEnumerable<string> trackerHosts)
    {
        ArgumentNullException.ThrowIfNull(trackerHosts);
        _trackers = new HashSet<string>(trackerHosts.Select(h => h.Trim().TrimEnd('.').ToLowerInvariant()).Where(h => h.Length > 0), StringComparer.Ordinal);
    }

    /// <summary>The tracker hosts shipped with the project (trackers.txt).</summary>
    public static ThirdParties Shipped() => new(TrackerList.Load());

    public int TrackerCount => _trackers.Count;

    /// <summary>The site domain of <paramref name="host"/>: its parent when it has three labels or more, unless that is a known public suffix.</summary>
    public static string SiteDomain(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        host = host.TrimEnd('.').ToLowerInvariant();
        if (IPAddress.TryParse(host.TrimStart('[').TrimEnd(']'), out _))
        {
            return host;
        }

        var dot = host.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return host;
        }

        var parent = host[(dot + 1)..];
        return parent.Contains('.', StringComparison.Ordinal) && !TwoLevelSuffixes.Contains(parent) ? parent : host;
    }

    /// <summary>Whether <paramref name="host"/> is <paramref name="domain"/> or under it.</summary>
    public static bool IsWithin(string host, string domain) =>
        host.Equals(domain, StringComparison.Ordinal) || (host.Length > domain.Length && host.EndsWith(domain, StringComparison.Ordinal) && host[host.Length - domain.Length - 1] == '.');

    /// <summary>The third-party hosts among <paramref name="hosts"/>, for a page on <paramref name="targetHost"/> of chatons whose site domains are <paramref name="siteDomains"/>.</summary>
    public static IReadOnlyList<string> Of(IEnumerable<string> hosts, string targetHost, IReadOnlyCollection<string> siteDomains)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(siteDomains);
        var own = SiteDomain(targetHost);
        return [.. hosts.Where(h => h != targetHost && !IsWithin(h, own) && !siteDomains.Any(d => IsWithin(h, d))).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>Whether <paramref name="host"/>, or one of its parent domains, is on the tracker list.</summary>
    public bool IsTracker(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        for (var name = host.TrimEnd('.').ToLowerInvariant(); name.Length > 0;)
        {
            if (_trackers.Contains(name))
            {
                return true;
            }

            var dot = name.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0)
            {
                return false;
            }

            name = name[(dot + 1)..];
        }

        return false;
    }
}

/// <summary>The tracker host list embedded in the assembly (Observatory/trackers.txt; its README says where it comes from).</summary>
public static class TrackerList
{
    public const string ResourceName = "ChatonsFed.Aggregator.Observatory.trackers.txt";

    /// <summary>The host names of the list, comments and blank lines left out.</summary>
    public static IReadOnlyList<string> Load()
    {
        using var stream = typeof(TrackerList).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the tracker list {ResourceName} is not embedded");
        using var reader = new StreamReader(stream);
        var hosts = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            var text = line.Split('#', 2)[0].Trim();
            if (text.Length > 0)
            {
                hosts.Add(text);
            }
        }

        return hosts;
    }
}
