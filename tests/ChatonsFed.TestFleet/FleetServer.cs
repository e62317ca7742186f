using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using ChatonsFed.Directory.Node;
using ChatonsFed.Federation.Http;
using ChatonsFed.Protocol.Discovery;
using ChatonsFed.Protocol.HttpSignatures;
using ChatonsFed.Protocol.Keys;
using ChatonsFed.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace ChatonsFed.TestFleet;

/// <summary>
/// One real Kestrel server on 127.0.0.1 (a <see cref="LoopbackServer"/>) serving many synthetic chatons, each under its
/// own base URL (<c>http://127.0.0.1:PORT/c/0001</c>), with its own Ed25519 key and documents signed by
/// <see cref="NodeDocuments"/> as a node signs them. WebFinger answers for every chaton at the server's root. Documents
/// are served from their signed bytes with ETag and Last-Modified (304 to conditional requests); inbox POSTs are
/// recorded; every request is counted by path. Each <see cref="FleetChaton"/> has controls to change, fail or lie.
/// </summary>
public sealed class FleetServer : IAsyncDisposable
{
    public const string WebFingerPath = "/.well-known/webfinger";
    public const string HostMetaPath = "/.well-known/host-meta";

    /// <summary>Chaton <c>c0001</c> lives under <c>/c/0001</c>.</summary>
    public const string ChatonPathPrefix = "/c/";

    private const int MaxInboxBytes = 1024 * 1024;

    private static readonly DateTimeOffset SyntheticEpoch = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    // Generating an RSA-2048 key takes tens of milliseconds: fleets of one process share one.
    private static readonly Lazy<RsaKeyPair> SharedRsa = new(() => RsaKeyPair.Generate());

    private readonly ConcurrentDictionary<string, FleetDocument> _documents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FleetDocument> _webFinger = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FleetInboxPost> _posts = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, FleetChaton> _byBasePath = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FleetChaton> _byHandle = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, FleetChaton> _byActorId = new(StringComparer.Ordinal);
    private readonly HttpClient _http;
    private FleetChaton[] _chatons = [];
    private byte[] _hostMeta = [];
    private LoopbackServer? _server;
    private volatile bool _ready;

    private FleetServer(FleetOptions options)
    {
        Options = options;
        var outbound = options.Outbound ?? LoopbackOptions();
        _http = new HttpClient(OutboundHandler.Create(outbound)) { Timeout = Timeout.InfiniteTimeSpan };
        Client = new ActivityPubClient(_http, outbound, options.TimeProvider);
    }

    public FleetOptions Options { get; }

    /// <summary><c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Origin { get; private set; } = null!;

    /// <summary><c>127.0.0.1:PORT</c>, the host part of every chaton's handle.</summary>
    public string Authority => Origin.Authority;

    public IReadOnlyList<FleetChaton> Chatons => _chatons;

    public FleetChaton this[int index] => _chatons[index];

    /// <summary>From the start of <see cref="StartAsync"/> until every chaton's documents were signed and served.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>The client chatons deliver activities with (<see cref="FleetOptions.Outbound"/>).</summary>
    public ActivityPubClient Client { get; }

    /// <summary>Every POST that reached an inbox of the fleet, in order of arrival.</summary>
    public IReadOnlyList<FleetInboxPost> InboxPosts => [.. _posts];

    /// <summary>Requests received since start (or the last <see cref="ResetRequestCounts"/>), whatever was answered.</summary>
    public int TotalRequests => _requests.Values.Sum();

    internal TimeProvider Time => Options.TimeProvider;

    internal string OriginText { get; private set; } = null!;

    /// <summary>
    /// Outbound options that reach the fleet and nothing else private: plain http, 127.0.0.0/8 allowed. Give them to the
    /// client under test.
    /// </summary>
    public static OutboundHttpOptions LoopbackOptions() => new()
    {
        AllowHttp = true,
        AllowedNetworks = { IPNetwork.Parse("127.0.0.0/8") },
        RequestTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Starts a fleet of <paramref name="chatons"/> chatons; it serves once every document is signed.</summary>
    public static Task<FleetServer> StartAsync(int chatons, FleetOptions? options = null, CancellationToken cancellationToken = default) =>
        BuildAsync(chatons, options, async fleet =>
        {
            fleet._server = await LoopbackServer.StartAsync(fleet.HandleAsync).ConfigureAwait(false);
            return fleet._server.BaseUri;
        }, cancellationToken);

    /// <summary>
    /// Signs a fleet of <paramref name="chatons"/> chatons for <paramref name="origin"/> (scheme, host and port) without
    /// serving it: its <see cref="Documents"/> are for another server to serve there, such as the static files of the
    /// fleet benchmark. The chatons' controls change the documents as for a served fleet.
    /// </summary>
    public static Task<FleetServer> GenerateAsync(Uri origin, int chatons, FleetOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(origin);
        return BuildAsync(chatons, options, _ => Task.FromResult(new Uri(origin.GetLeftPart(UriPartial.Authority) + "/")), cancellationToken);
    }

    /// <summary>Every document the fleet serves now under its chatons' URLs (WebFinger answers apart), in no order.</summary>
    public IReadOnlyCollection<FleetDocument> Documents => [.. _documents.Values];

    /// <summary>A fleet whose documents are signed for the origin <paramref name="listen"/> gives (<c>http://HOST:PORT/</c>).</summary>
    private static async Task<FleetServer> BuildAsync(int chatons, FleetOptions? options, Func<FleetServer, Task<Uri>> listen, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chatons);
        var stopwatch = Stopwatch.StartNew();
        var fleet = new FleetServer(options ?? new FleetOptions());
        try
        {
            fleet.Origin = await listen(fleet).ConfigureAwait(false);
            fleet.OriginText = fleet.Origin.GetLeftPart(UriPartial.Authority);
            fleet._hostMeta = Encoding.UTF8.GetBytes(HostMeta.ForOrigin(fleet.Origin).ToXml());
            fleet.Populate(chatons, cancellationToken);
        }
        catch
        {
            await fleet.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        fleet.StartupTime = stopwatch.Elapsed;
        fleet._ready = true;
        return fleet;
    }

    /// <summary>The chaton with this handle (<c>c0001</c>), actor id or base URL; null when none.</summary>
    public FleetChaton? FindChaton(string handleOrUrl)
    {
        ArgumentNullException.ThrowIfNull(handleOrUrl);
        if (_byHandle.TryGetValue(handleOrUrl, out var chaton) || _byActorId.TryGetValue(handleOrUrl, out chaton))
        {
            return chaton;
        }

        return Uri.TryCreate(handleOrUrl, UriKind.Absolute, out var url) ? ChatonFor(url.AbsolutePath) : null;
    }

    /// <summary>The document served at <paramref name="url"/> (path and <c>?page=n</c>); null when none.</summary>
    public FleetDocument? FindDocument(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return _documents.GetValueOrDefault(url.IsAbsoluteUri ? url.PathAndQuery : url.OriginalString);
    }

    /// <summary>Requests for <paramref name="pathOrUrl"/> (a path such as <c>/c/0001/actor</c>, or a URL of the fleet; the query is not counted apart).</summary>
    public int RequestCount(string pathOrUrl)
    {
        ArgumentNullException.ThrowIfNull(pathOrUrl);
        var path = Uri.TryCreate(pathOrUrl, UriKind.Absolute, out var url) ? url.AbsolutePath : pathOrUrl;
        return _requests.GetValueOrDefault(path);
    }

    /// <inheritdoc cref="RequestCount(string)"/>
    public int RequestCount(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return RequestCount(url.IsAbsoluteUri ? url.AbsolutePath : url.OriginalString);
    }

    /// <summary>A copy of the request counts by path.</summary>
    public IReadOnlyDictionary<string, int> RequestCounts() => new Dictionary<string, int>(_requests, StringComparer.Ordinal);

    public void ResetRequestCounts() => _requests.Clear();

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }

        _http.Dispose();
        foreach (var chaton in _chatons)
        {
            chaton?.Dispose();
        }

        _stopping.Dispose();
    }

    internal void Publish(FleetDocument document) => _documents[document.Path] = document;

    internal void PublishWebFinger(FleetChaton chaton, FleetDocument document) => _webFinger[chaton.Handle] = document;

    private void Populate(int count, CancellationToken cancellationToken)
    {
        // Synthetic dates are counted back from a fixed day, so that a seed gives the same chatons whenever it runs;
        // from the clock instead when the clock is earlier (a test clock set in the past).
        var clock = DateTimeOffset.FromUnixTimeSeconds(Time.GetUtcNow().ToUnixTimeSeconds());
        var now = clock < SyntheticEpoch ? clock : SyntheticEpoch;
        var generate = SyntheticChatons.Generator(Options.Seed, Options.ServicesPerChaton);
        var handles = Enumerable.Range(0, count).Select(i => SyntheticChatons.Handle(i, count)).ToArray();

        // Names are dealt out in order so that they stay distinct; the costly part, signing, runs in parallel.
        var contents = handles.Select((handle, i) => generate(i, handle, now)).ToArray();
        var rsaKeys = new RsaKeyPair[count];
        if (Options.RsaKeys == FleetRsaKeys.Shared)
        {
            Array.Fill(rsaKeys, SharedRsa.Value);
        }
        else
        {
            Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, i => rsaKeys[i] = RsaKeyPair.Generate());
        }

        // Exporting an RSA key is slow enough to count a thousand times over: once per key.
        var pems = new Dictionary<RsaKeyPair, string>(ReferenceEqualityComparer.Instance);
        foreach (var rsa in rsaKeys)
        {
            pems.TryAdd(rsa, rsa.PublicKey.ToPem());
        }

        var chatons = new FleetChaton[count];
        _chatons = chatons;
        var parallel = new ParallelOptions { CancellationToken = cancellationToken };
        Parallel.For(0, count, parallel, i =>
        {
            var address = new NodeAddress(new Uri(OriginText + ChatonPathPrefix + handles[i][1..]), handles[i]);
            var key = Ed25519KeyPair.FromSeed(SyntheticChatons.Ed25519Seed(Options.Seed, i));
            chatons[i] = new FleetChaton(this, i, address, contents[i], key, rsaKeys[i], pems[rsaKeys[i]], ownsRsa: Options.RsaKeys == FleetRsaKeys.PerChaton);
        });

        var followers = Enumerable.Range(0, count).Select(_ => new List<FleetChaton>()).ToArray();
        foreach (var chaton in chatons)
        {
            _byBasePath[chaton.BaseUrl.AbsolutePath] = chaton;
            _byHandle[chaton.Handle] = chaton;
            _byActorId[chaton.ActorId.AbsoluteUri] = chaton;
            var following = Options.Following.Follows(chaton.Index, count, SyntheticChatons.RandomFor(Options.Seed, "following", chaton.Index));
            chaton.Following = [.. following.Select(i => chatons[i])];
            foreach (var followed in following)
            {
                followers[followed].Add(chaton);
            }
        }

        foreach (var chaton in chatons)
        {
            chaton.Followers = followers[chaton.Index];
        }

        Parallel.For(0, count, parallel, i => chatons[i].Publish());
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        _requests.AddOrUpdate(path, 1, (_, n) => n + 1);
        if (!_ready)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        if (path == WebFingerPath)
        {
            await WebFingerAsync(context).ConfigureAwait(false);
            return;
        }

        if (path == HostMetaPath)
        {
            await ServeAsync(context, new FleetDocument(path, _hostMeta, DateTimeOffset.UnixEpoch, HostMeta.MediaType)).ConfigureAwait(false);
            return;
        }

        var chaton = ChatonFor(path);
        if (chaton is not null)
        {
            chaton.CountRequest();
            if (await AnswerFaultAsync(context, chaton, path).ConfigureAwait(false))
            {
                return;
            }

            if (HttpMethods.IsPost(context.Request.Method) && (path == chaton.Inbox.AbsolutePath || path == chaton.SharedInbox.AbsolutePath))
            {
                await RecordPostAsync(context, chaton, path).ConfigureAwait(false);
                return;
            }
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        var key = context.Request.Query.TryGetValue("page", out var page) ? $"{path}?page={page}" : path;
        if (_documents.TryGetValue(key, out var document))
        {
            await ServeAsync(context, document).ConfigureAwait(false);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }

    private async Task WebFingerAsync(HttpContext context)
    {
        context.Response.Headers.AccessControlAllowOrigin = "*";
        var resource = context.Request.Query["resource"].ToString();
        FleetChaton? chaton = null;
        if (_byActorId.TryGetValue(resource, out var byId))
        {
            chaton = byId;
        }
        else if (AccountHandle.TryParse(resource, out var account, out _) && account.Host.Equals(Authority, StringComparison.OrdinalIgnoreCase))
        {
            chaton = _byHandle.GetValueOrDefault(account.Name);
        }

        if (chaton is null)
        {
            context.Response.StatusCode = resource.Length == 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status404NotFound;
            return;
        }

        chaton.CountRequest();
        if (!await AnswerFaultAsync(context, chaton, WebFingerPath).ConfigureAwait(false))
        {
            await ServeAsync(context, _webFinger[chaton.Handle]).ConfigureAwait(false);
        }
    }

    private static async Task ServeAsync(HttpContext context, FleetDocument document)
    {
        var response = context.Response;
        response.Headers.CacheControl = "public, max-age=60";
        response.Headers.Vary = "Accept, Accept-Language";
        if (document.StatusCode != StatusCodes.Status200OK)
        {
            response.StatusCode = document.StatusCode;
            response.ContentType = document.ContentType;
            await response.Body.WriteAsync(document.Body, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        // The file result answers If-None-Match, and If-Modified-Since when there is no If-None-Match, with 304.
        await TypedResults.Bytes(document.Bytes, document.ContentType, lastModified: document.LastModified, entityTag: EntityTagHeaderValue.Parse(document.ETag))
            .ExecuteAsync(context).ConfigureAwait(false);
    }

    private async Task<bool> AnswerFaultAsync(HttpContext context, FleetChaton chaton, string path)
    {
        var (outage, status) = chaton.FaultFor(path);
        switch (outage)
        {
            case FleetOutage.ServiceUnavailable:
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = "60";
                return true;
            case FleetOutage.ConnectionReset:
                context.Abort();
                return true;
            case FleetOutage.NoAnswer:
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token))
                {
                    try
                    {
                        await Task.Delay(Timeout.Infinite, wait.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        // The client gave up or the fleet stops.
                    }
                }

                context.Abort();
                return true;
        }

        if (status is not { } code)
        {
            return false;
        }

        context.Response.StatusCode = code;
        if (code == StatusCodes.Status410Gone)
        {
            context.Response.ContentType = FleetDocument.ActivityJson;
            await context.Response.Body.WriteAsync(FleetChaton.Tombstone(new Uri(OriginText + path)), context.RequestAborted).ConfigureAwait(false);
        }

        return true;
    }

    private async Task RecordPostAsync(HttpContext context, FleetChaton chaton, string path)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        if (buffer.Length > MaxInboxBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        var headers = new HeaderFields();
        foreach (var (name, values) in context.Request.Headers)
        {
            foreach (var value in values)
            {
                headers.Add(name, value ?? string.Empty);
            }
        }

        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var snapshot = new HttpRequestSnapshot(context.Request.Method, $"{context.Request.Scheme}://{context.Request.Host}{target}", headers, buffer.ToArray());
        var post = new FleetInboxPost(chaton, path, snapshot, Time.GetUtcNow());
        chaton.Record(post);
        _posts.Enqueue(post);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private FleetChaton? ChatonFor(string path)
    {
        if (!path.StartsWith(ChatonPathPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var end = path.IndexOf('/', ChatonPathPrefix.Length);
        return _byBasePath.GetValueOrDefault(end < 0 ? path : path[..end]);
    }
}
