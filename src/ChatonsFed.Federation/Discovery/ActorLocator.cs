using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Federation.Http;
using ChatonsFed.Protocol;
using ChatonsFed.Protocol.Discovery;

namespace ChatonsFed.Federation.Discovery;

/// <summary>
/// Finds an actor from what people write: <c>acct:NAME@HOST</c>, <c>@NAME@HOST</c>, <c>NAME@HOST</c> (through WebFinger,
/// with the host-meta <c>lrdd</c> template when WebFinger answers 404) or the actor's URL. Every request goes through
/// the <see cref="ActivityPubClient"/>, so its address policy, limits and timeouts apply to each step and redirect.
/// The actor is fetched and its id checked: an actor is only found at its own id.
/// </summary>
/// <remarks>
/// WebFinger is asked over https. When the client's options allow plain http (local tests, closed networks) and the
/// https connection fails, it is asked again over http: a loopback test server speaks http on the port of the handle.
/// Expected failures are results, never exceptions; only the caller's cancellation throws.
/// </remarks>
public sealed class ActorLocator
{
    public const string WebFingerPath = "/.well-known/webfinger";
    public const string HostMetaPath = "/.well-known/host-meta";

    /// <summary>The Accept header of WebFinger requests (some servers label the JRD as plain JSON).</summary>
    public const string WebFingerAccept = "application/jrd+json, application/json;q=0.9";

    public const string HostMetaAccept = "application/xrd+xml, application/xml;q=0.9";

    /// <summary>The ActivityStreams actor types.</summary>
    public static IReadOnlyList<string> ActorTypes { get; } = ["Application", "Group", "Organization", "Person", "Service"];

    private readonly ActivityPubClient _client;

    public ActorLocator(ActivityPubClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
    }

    /// <summary>Finds the actor named by <paramref name="address"/>: an account handle in any of its forms, or an http(s) URL.</summary>
    public Task<ActorLookupResult> LocateAsync(string address, CancellationToken cancellationToken)
    {
        var text = address?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return Task.FromResult(Fail(ActorLookupError.InvalidAddress, "the address is empty (expected acct:NAME@HOST, @NAME@HOST, NAME@HOST or an actor URL)"));
        }

        if (text.Contains("://", StringComparison.Ordinal))
        {
            return Uri.TryCreate(text, UriKind.Absolute, out var url)
                ? LocateAsync(url, cancellationToken)
                : Task.FromResult(Fail(ActorLookupError.InvalidAddress, $"'{text}' is not a valid URL"));
        }

        return AccountHandle.TryParse(text, out var account, out var error)
            ? LocateAsync(account, cancellationToken)
            : Task.FromResult(Fail(ActorLookupError.InvalidAddress, error));
    }

    /// <summary>Finds the actor of <paramref name="account"/> through WebFinger at the account's host.</summary>
    public async Task<ActorLookupResult> LocateAsync(AccountHandle account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var resource = account.ToAcctUri();
        var (answer, viaHostMeta) = await QueryWebFingerAsync(account.Host, resource, cancellationToken).ConfigureAwait(false);
        var webFingerUrl = answer.FinalUri;
        if (!answer.IsOk)
        {
            var what = $"WebFinger for {resource}";
            var result = FromFetchFailure(answer, what, viaHostMeta ? " (also through host-meta)" : string.Empty);
            return With(result, account, webFingerUrl, viaHostMeta);
        }

        JsonResourceDescriptor jrd;
        try
        {
            jrd = JsonResourceDescriptor.Parse(Encoding.UTF8.GetString(answer.Body.Span));
        }
        catch (ProtocolFormatException e)
        {
            return With(Fail(ActorLookupError.BadResponse, $"the WebFinger answer at {webFingerUrl} is not a JRD: {e.Message}", answer.StatusCode), account, webFingerUrl, viaHostMeta);
        }

        var href = jrd.FindActivityPubActor();
        if (href is null)
        {
            return With(Fail(ActorLookupError.NoActorLink, $"the WebFinger answer for {resource} has no self link of type application/activity+json", answer.StatusCode), account, webFingerUrl, viaHostMeta);
        }

        if (!Uri.TryCreate(href, UriKind.Absolute, out var actorUrl) || actorUrl.Scheme is not ("https" or "http"))
        {
            return With(Fail(ActorLookupError.BadResponse, $"the WebFinger answer for {resource} links the actor '{href}', which is not an absolute http(s) URL", answer.StatusCode), account, webFingerUrl, viaHostMeta);
        }

        return With(await FetchActorAsync(actorUrl, cancellationToken).ConfigureAwait(false), account, webFingerUrl, viaHostMeta);
    }

    /// <summary>Fetches the actor at <paramref name="actorUrl"/> and checks that it is an actor served at its own id.</summary>
    public Task<ActorLookupResult> LocateAsync(Uri actorUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actorUrl);
        return actorUrl.IsAbsoluteUri && actorUrl.Scheme is "https" or "http"
            ? FetchActorAsync(actorUrl, cancellationToken)
            : Task.FromResult(Fail(ActorLookupError.InvalidAddress, $"'{actorUrl}' is not an absolute http(s) URL"));
    }

    private async Task<(FetchResult Answer, bool ViaHostMeta)> QueryWebFingerAsync(string host, string resource, CancellationToken cancellationToken)
    {
        var schemes = _client.Options.IsSchemeAllowed(Uri.UriSchemeHttp) ? new[] { Uri.UriSchemeHttps, Uri.UriSchemeHttp } : [Uri.UriSchemeHttps];
        FetchResult answer = null!;
        string scheme = null!;
        foreach (var candidate in schemes)
        {
            scheme = candidate;
            answer = await _client.FetchDocumentAsync(WebFingerUrl(scheme, host, resource), WebFingerAccept, cancellationToken).ConfigureAwait(false);
            if (answer.Error != OutboundError.Network)
            {
                break;
            }
        }

        if (answer.Error != OutboundError.HttpStatus || answer.StatusCode != 404)
        {
            return (answer, false);
        }

        // RFC 6415: a server may put WebFinger elsewhere and say where in host-meta's lrdd template.
        var hostMeta = await _client.FetchDocumentAsync(new Uri($"{scheme}://{host}{HostMetaPath}"), HostMetaAccept, cancellationToken).ConfigureAwait(false);
        if (!hostMeta.IsOk)
        {
            return (answer, false);
        }

        Uri templated;
        try
        {
            templated = HostMeta.Parse(Encoding.UTF8.GetString(hostMeta.Body.Span)).WebFingerUrlFor(resource);
        }
        catch (Exception e) when (e is ProtocolFormatException or UriFormatException)
        {
            return (answer, false);
        }

        if (templated.AbsoluteUri == answer.FinalUri?.AbsoluteUri)
        {
            return (answer, false);
        }

        var second = await _client.FetchDocumentAsync(templated, WebFingerAccept, cancellationToken).ConfigureAwait(false);
        return (second, true);
    }

    private async Task<ActorLookupResult> FetchActorAsync(Uri url, CancellationToken cancellationToken)
    {
        var fetch = await _client.FetchObjectAsync(url, cancellationToken).ConfigureAwait(false);
        if (!fetch.IsOk)
        {
            return FromFetchFailure(fetch, $"the actor {url}", string.Empty);
        }

        if (CheckActor(fetch) is { } notActor)
        {
            return notActor;
        }

        var id = new Uri(fetch.Document!["id"]!.GetValue<string>(), UriKind.Absolute);
        var asked = url.GetLeftPart(UriPartial.Query);
        if (id.AbsoluteUri == asked || id.AbsoluteUri == fetch.FinalUri?.AbsoluteUri)
        {
            return new ActorLookupResult { ActorId = id, ActorFetch = fetch, StatusCode = fetch.StatusCode };
        }

        // Another URL of the same origin (a profile URL, an alias) may serve the actor; it counts only if the
        // document at the id it names is the same actor, as Mastodon checks.
        var canonical = await _client.FetchObjectAsync(id, cancellationToken).ConfigureAwait(false);
        if (!canonical.IsOk)
        {
            return Fail(ActorLookupError.IdMismatch, $"the document at {asked} claims the id {id}, which does not serve it: {canonical.Reason}", canonical.StatusCode, canonical.Error);
        }

        if (CheckActor(canonical) is { } canonicalNotActor)
        {
            return canonicalNotActor;
        }

        var confirmed = canonical.Document!["id"]!.GetValue<string>();
        return confirmed == id.AbsoluteUri
            ? new ActorLookupResult { ActorId = id, ActorFetch = canonical, StatusCode = canonical.StatusCode }
            : Fail(ActorLookupError.IdMismatch, $"the document at {asked} claims the id {id}, but the document there claims {confirmed}", canonical.StatusCode);
    }

    private static ActorLookupResult? CheckActor(FetchResult fetch)
    {
        var document = fetch.Document!;
        var types = document["type"] switch
        {
            JsonValue value when value.TryGetValue<string>(out var single) => [single],
            JsonArray array => array.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var t) ? t : null).OfType<string>().ToList(),
            _ => [],
        };

        if (!types.Any(t => ActorTypes.Contains(t, StringComparer.Ordinal)))
        {
            var shown = types.Count == 0 ? "no type" : "type " + string.Join(", ", types);
            return Fail(ActorLookupError.NotAnActor, $"the document at {fetch.FinalUri} has {shown}, not an actor type ({string.Join(", ", ActorTypes)})", fetch.StatusCode);
        }

        if (document["inbox"] is not JsonValue inbox || !inbox.TryGetValue<string>(out _))
        {
            return Fail(ActorLookupError.NotAnActor, $"the document at {fetch.FinalUri} is typed as an actor but has no inbox", fetch.StatusCode);
        }

        // FetchObjectAsync has checked that the id is an absolute URL on the origin that answered.
        return null;
    }

    private static ActorLookupResult FromFetchFailure(FetchResult fetch, string what, string suffix)
    {
        var error = fetch.Error switch
        {
            OutboundError.HttpStatus when fetch.StatusCode == 404 => ActorLookupError.NotFound,
            OutboundError.HttpStatus when fetch.StatusCode == 410 => ActorLookupError.Gone,
            OutboundError.AddressRefused => ActorLookupError.AddressRefused,
            OutboundError.SchemeRefused => ActorLookupError.SchemeRefused,
            OutboundError.Network or OutboundError.Timeout => ActorLookupError.Unreachable,
            OutboundError.CrossOriginId => ActorLookupError.IdMismatch,
            _ => ActorLookupError.BadResponse,
        };
        var reason = error switch
        {
            ActorLookupError.NotFound => $"{what}: not found (HTTP 404){suffix}",
            ActorLookupError.Gone => $"{what}: gone (HTTP 410){suffix}",
            _ => $"{what}: {fetch.Reason}{suffix}",
        };
        return Fail(error, reason, fetch.StatusCode, fetch.Error);
    }

    private static ActorLookupResult Fail(ActorLookupError error, string reason, int? statusCode = null, OutboundError outbound = OutboundError.None) =>
        new() { Error = error, Reason = reason, StatusCode = statusCode, OutboundError = outbound };

    private static ActorLookupResult With(ActorLookupResult result, AccountHandle account, Uri? webFingerUrl, bool viaHostMeta) =>
        result with { Account = account, WebFingerUrl = webFingerUrl, ViaHostMeta = viaHostMeta };

    private static Uri WebFingerUrl(string scheme, string host, string resource) =>
        new($"{scheme}://{host}{WebFingerPath}?resource={Uri.EscapeDataString(resource)}");
}
