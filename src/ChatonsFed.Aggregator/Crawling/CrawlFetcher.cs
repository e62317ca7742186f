using System.Collections.Concurrent;
using System.Globalization;
using ChatonsFed.Aggregator.Actor;
using ChatonsFed.Aggregator.Storage;
using ChatonsFed.Aggregator.Verification;
using ChatonsFed.Federation.Http;
using ChatonsFed.Federation.Signing;
using ChatonsFed.Hosting.Configuration;

namespace ChatonsFed.Aggregator.Crawling;

/// <summary>
/// The aggregator's GETs: bounded in all and per origin, conditional when validators are known, and unsigned first.
/// An origin that answers 401 to an unsigned GET (authorized fetch) is asked again with a signed one, and signed
/// requests go to it from then on: signing costs about a millisecond of CPU, too much to spend on every request.
/// </summary>
public sealed class CrawlFetcher : IDisposable
{
    private readonly ActivityPubClient _client;
    private readonly Func<ActorSigningKey?> _signer;
    private readonly SemaphoreSlim _global;
    private readonly int _perHost;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, bool> _signedOrigins = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Signs with the aggregator actor's key, within the discovery bounds of <paramref name="options"/>.</summary>
    public CrawlFetcher(ActivityPubClient client, AggregatorActor actor, AggregatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _signer = actor.SigningKey;
        _global = new SemaphoreSlim(Math.Max(1, options.Discovery.Concurrency));
        _perHost = Math.Max(1, options.Discovery.PerHostConcurrency);
    }

    public ActivityPubClient Client => _client;

    /// <summary>Fetches the document at <paramref name="url"/>, conditionally when <paramref name="validators"/> are given.</summary>
    public Task<FetchResult> GetAsync(Uri url, DocumentValidators? validators, CancellationToken cancellationToken) =>
        GetAsync(url, validators, null, cancellationToken);

    /// <summary>As <see cref="GetAsync(Uri, DocumentValidators?, CancellationToken)"/>, taking at most <paramref name="maxBytes"/> (the client's limit when null).</summary>
    public async Task<FetchResult> GetAsync(Uri url, DocumentValidators? validators, long? maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var origin = url.GetLeftPart(UriPartial.Authority);
        var host = _hosts.GetOrAdd(origin, _ => new SemaphoreSlim(_perHost));
        await host.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _global.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var signed = _signedOrigins.ContainsKey(origin) ? _signer() : null;
                var result = await FetchAsync(url, validators, signed, maxBytes, cancellationToken).ConfigureAwait(false);
                if (signed is null && result.StatusCode == 401 && _signer() is { } key)
                {
                    _signedOrigins[origin] = true;
                    result = await FetchAsync(url, validators, key, maxBytes, cancellationToken).ConfigureAwait(false);
                }

                return result;
            }
            finally
            {
                _global.Release();
            }
        }
        finally
        {
            host.Release();
        }
    }

    /// <summary>The bytes of a successful fetch as the verifier takes them, with the validators for the next poll.</summary>
    public static ReceivedDocument Received(FetchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new ReceivedDocument(result.Body)
        {
            ETag = result.ETag,
            LastModified = result.LastModified?.ToString("R", CultureInfo.InvariantCulture),
        };
    }

    public void Dispose()
    {
        _global.Dispose();
        foreach (var host in _hosts.Values)
        {
            host.Dispose();
        }
    }

    private Task<FetchResult> FetchAsync(Uri url, DocumentValidators? validators, ActorSigningKey? key, long? maxBytes, CancellationToken cancellationToken)
    {
        var request = new FetchRequest
        {
            IfNoneMatch = validators?.ETag,
            IfModifiedSince = validators?.LastModified is { } since
                && DateTimeOffset.TryParseExact(since, "R", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null,
            SignWith = key,
            MaxResponseBytes = maxBytes,
        };
        return _client.FetchDocumentAsync(url, ActivityPubClient.AcceptActivityStreams, request, cancellationToken);
    }
}
