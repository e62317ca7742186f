using ChatonsFed.Aggregator.Trust;
using ChatonsFed.Aggregator.Search;
using ChatonsFed.Protocol.Membership;

namespace ChatonsFed.Aggregator.Api;

/// <summary>The <c>admission=</c> search parameter, for the API and the website alike.</summary>
internal static class AdmissionFilter
{
    /// <summary>
    /// <paramref name="query"/> restricted to the chatons whose admission is the one asked for; an error when one is asked
    /// for and this aggregator computes no admission (it has no trust root).
    /// </summary>
    public static SearchQuery Apply(SearchQuery query, AdmissionBook admission, out string? error)
    {
        error = null;
        if (query.Admission is not { } status)
        {
            return query;
        }

        if (!admission.Enabled)
        {
            error = $"admission={TrustComputation.WireNames.Of(status)}: this aggregator computes no admission, as it has no trust root (ChatonsFed:Aggregator:Membership:TrustRoots); leave the parameter out or give admission=any";
            return query;
        }

        return query with { Among = admission.Current.With(status) };
    }
}
