using ChatonsFed.Aggregator.Crawling;
using ChatonsFed.Federation.Discovery;
using ChatonsFed.Hosting.Configuration;

namespace ChatonsFed.Aggregator.Trust;

/// <summary>
/// The trust roots of the settings (<c>ChatonsFed:Aggregator:Membership:TrustRoots</c>) as actor ids: an actor URL as
/// written, a handle as WebFinger resolves it at each poll. A handle that does not resolve keeps the actor it resolved
/// to before, if any, and says why.
/// </summary>
public sealed class TrustRoots
{
    private readonly Lock _gate = new();
    private readonly IReadOnlyList<string> _configured;
    private readonly Dictionary<string, string> _resolved = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _problems = new(StringComparer.Ordinal);
    private readonly CrawlFetcher _fetcher;

    public TrustRoots(AggregatorOptions options, CrawlFetcher fetcher)
    {
        ArgumentNullException.ThrowIfNull(options);
        _fetcher = fetcher;
        _configured = [.. (options.Membership?.TrustRoots ?? []).Select(r => r.Trim()).Distinct(StringComparer.Ordinal)];
        Quorum = Math.Max(1, options.Membership?.Quorum ?? 2);
        foreach (var root in _configured)
        {
            if (AsUrl(root) is { } url)
            {
                _resolved[root] = url;
            }
        }
    }

    /// <summary>Whether admission is computed at all: at least one trust root is set.</summary>
    public bool Enabled => _configured.Count > 0;

    /// <summary>The endorsements from distinct hosts that admit a chaton.</summary>
    public int Quorum { get; }

    /// <summary>The roots as written in the settings.</summary>
    public IReadOnlyList<string> Configured => _configured;

    /// <summary>The roots' actor ids known now, in ordinal order.</summary>
    public IReadOnlyList<string> Known
    {
        get
        {
            lock (_gate)
            {
                return [.. _resolved.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>The actor id a root of the settings stands for now; null for a handle not resolved yet.</summary>
    public string? ActorOf(string configured)
    {
        lock (_gate)
        {
            return _resolved.GetValueOrDefault(configured);
        }
    }

    /// <summary>Why a root is not known, or why its handle did not resolve at the last poll.</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_gate)
            {
                return [.. _problems.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"trust root '{p.Key}': {p.Value}")];
            }
        }
    }

    /// <summary>Resolves the handles again (WebFinger); returns the roots' actor ids known then.</summary>
    public async Task<IReadOnlyList<string>> ResolveAsync(CancellationToken cancellationToken)
    {
        var locator = new ActorLocator(_fetcher.Client);
        foreach (var root in _configured.Where(r => AsUrl(r) is null))
        {
            var found = await locator.LocateAsync(root, cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                if (found.IsFound)
                {
                    _resolved[root] = found.ActorId!.AbsoluteUri;
                    _problems.Remove(root);
                }
                else
                {
                    _problems[root] = $"{found.Error}: {found.Reason}" + (_resolved.TryGetValue(root, out var before) ? $"; still {before}, as resolved before" : string.Empty);
                }
            }
        }

        return Known;
    }

    private static string? AsUrl(string root) =>
        root.Contains("://", StringComparison.Ordinal) && Uri.TryCreate(root, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
            ? url.AbsoluteUri
            : null;
}
