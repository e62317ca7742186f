using ChatonsFed.Aggregator.Listing;
using ChatonsFed.Aggregator.Search;

namespace ChatonsFed.Aggregator.Observatory;

/// <summary>
/// The <c>observed=</c> and <c>thirdParty=</c> search parameters, for the API and the website alike. The services
/// looked at are those that matched the service criteria, or all of the chaton's when there is none; services without
/// a URL are left out (there is nothing to check).
/// <list type="bullet">
/// <item><c>observed=up</c>: every such service was up at its last check (and there is at least one).</item>
/// <item><c>thirdParty=none</c>: the website (when the chaton gives one) and every such service were up at their last
/// check and their pages loaded no third-party host (and there is at least one of them).</item>
/// </list>
/// A target never checked matches neither.
/// </summary>
public static class ObservationFilter
{
    /// <summary><paramref name="query"/> with the observatory's test when it asks for <c>observed=</c> or <c>thirdParty=</c>.</summary>
    public static SearchQuery Apply(SearchQuery query, ObservatoryBook book)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(book);
        if (!query.ObservedUp && !query.NoThirdParty)
        {
            return query;
        }

        return query with { Observed = (listing, matching) => Matches(book, listing, matching, query.ObservedUp, query.NoThirdParty) };
    }

    public static bool Matches(ObservatoryBook book, ChatonListing listing, IReadOnlyCollection<string>? matchingServices, bool up, bool noThirdParty)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(listing);
        var urls = listing.Services
            .Where(s => s.Url is not null && (matchingServices is null || matchingServices.Contains(s.Id)))
            .Select(s => s.Url)
            .ToList();
        if (up && (urls.Count == 0 || !urls.All(u => book.Find(u)?.Latest.State == ObservedState.Up)))
        {
            return false;
        }

        if (noThirdParty)
        {
            var pages = listing.Website is null ? urls : [.. urls, listing.Website];
            return pages.Count > 0 && pages.All(u => book.Find(u)?.Latest is { State: ObservedState.Up, PageRead: true, ThirdPartyHosts.Count: 0 });
        }

        return true;
    }
}
