using ChatonsFed.Aggregator.Listing;

namespace ChatonsFed.Aggregator.Observatory;

/// <summary>
/// One URL the observatory checks: a service's URL, a chaton's website or legal notice. A URL given by several
/// chatons is one target; the site domains of all of them count as first-party for it.
/// </summary>
public sealed record ObservationTarget(string Url, Uri Uri, string Host, IReadOnlyCollection<string> SiteDomains, IReadOnlyCollection<string> Chatons)
{
    /// <summary>The key of a URL as the chatons write it: absolute http(s), without fragment; null for anything else.</summary>
    public static string? KeyOf(string? url) =>
        !string.IsNullOrWhiteSpace(url) && Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.IdnHost.Length > 0
            ? PageProbe.StripFragment(uri).AbsoluteUri
            : null;

    /// <summary>The targets of <paramref name="listings"/>: every service URL, website and legal notice, each URL once.</summary>
    public static IReadOnlyList<ObservationTarget> Of(IEnumerable<ChatonListing> listings)
    {
        ArgumentNullException.ThrowIfNull(listings);
        var found = new Dictionary<string, (Uri Uri, HashSet<string> Domains, HashSet<string> Chatons)>(StringComparer.Ordinal);
        foreach (var listing in listings)
        {
            var website = KeyOf(listing.Website) is { } site ? ThirdParties.SiteDomain(PageProbe.HostOf(new Uri(site))) : null;
            foreach (var url in listing.Services.Select(s => s.Url).Append(listing.Website).Append(listing.LegalNotice))
            {
                if (KeyOf(url) is not { } key)
                {
                    continue;
                }

                if (!found.TryGetValue(key, out var target))
                {
                    target = (new Uri(key), new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));
                    found[key] = target;
                }

                target.Chatons.Add(listing.ActorId);
                if (website is not null)
                {
                    target.Domains.Add(website);
                }
            }
        }

        return [.. found.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new ObservationTarget(f.Key, f.Value.Uri, PageProbe.HostOf(f.Value.Uri), f.Value.Domains, f.Value.Chatons))];
    }
}
