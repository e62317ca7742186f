using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatonsFed.Interop.Tests;

/// <summary>Options of a <see cref="FedifyPeer"/>; each maps to a command-line option of peer.mjs.</summary>
internal sealed record FedifyPeerOptions
{
    /// <summary>The actor's identifier and preferredUsername.</summary>
    public string Name { get; init; } = "peer";

    /// <summary>Person, Application, Service, Organization or Group.</summary>
    public string ActorType { get; init; } = "Person";

    /// <summary>rfc9421 or draft-cavage: the HTTP signature Fedify tries first on an origin it does not know.</summary>
    public string? FirstKnock { get; init; }

    /// <summary>The peer's inbox answers 401 to RFC 9421-signed POSTs.</summary>
    public bool RejectRfc9421 { get; init; }

    /// <summary>The peer's inbox answers 401 to draft-cavage-signed POSTs.</summary>
    public bool RejectCavage { get; init; }

    /// <summary>The peer does not answer a Follow with an Accept.</summary>
    public bool NoAutoAccept { get; init; }

    /// <summary>
    /// The peer serves a chaton: an Organization with the chatons terms, its services collection, services and charter
    /// attestation, each signed by Fedify's signObject (peer.mjs --chaton).
    /// </summary>
    public bool Chaton { get; init; }

    /// <summary>Fedify's log level on the peer's stderr (debug, info, warning, error).</summary>
    public string LogLevel { get; init; } = "warning";

    /// <summary>The folder holding peer.mjs and node_modules; tests/fedify-peer of this repository by default.</summary>
    public string? PeerDirectory { get; init; }

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Environment variables of the peer's process, e.g. NODE_EXTRA_CA_CERTS to trust a test certificate.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// A running Fedify peer (tests/fedify-peer/peer.mjs): its actor, and typed calls to its control API.
/// </summary>
/// <remarks>
/// The process never outlives the test host: dispose kills its process tree; a handler on
/// <see cref="AppDomain.ProcessExit"/> kills every peer still running when the host exits (no finalizer
/// is involved); and the peer's stdin is a pipe held by this process, which peer.mjs treats as its
/// lifeline, so it exits by itself even when the host is killed outright.
/// </remarks>
internal sealed class FedifyPeer : IAsyncDisposable
{
    public const string InstallHint = "run ./test.sh (it installs the Fedify peer) or: cd tests/fedify-peer && npm ci";

    private const int StderrLimit = 64 * 1024;
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private readonly Process _process;
    private readonly StringBuilder _stderr;
    private readonly HttpClient _http;
    private int _disposed;
    private bool _exitedOnDispose;

    private FedifyPeer(Process process, StringBuilder stderr, Uri baseUrl, string actorUrl)
    {
        _process = process;
        _stderr = stderr;
        BaseUrl = baseUrl;
        ActorUrl = actorUrl;
        _http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The peer's origin, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The id of the peer's actor.</summary>
    public string ActorUrl { get; }

    public string InboxUrl => ActorUrl + "/inbox";

    public int ProcessId => _process.Id;

    /// <summary>Whether the peer process has ended (after <see cref="DisposeAsync"/>: whether it ended then).</summary>
    public bool HasExited => Volatile.Read(ref _disposed) != 0 ? _exitedOnDispose : _process.HasExited;

    /// <summary>What the peer wrote on stderr so far (Fedify's logs and the peer's errors).</summary>
    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>The folder of the Fedify peer in this repository (tests/fedify-peer).</summary>
    public static string DefaultPeerDirectory => Path.Combine(FindRepositoryRoot(), "tests", "fedify-peer");

    /// <summary>Starts peer.mjs with Node from its node_modules and waits for its READY line.</summary>
    public static async Task<FedifyPeer> StartAsync(FedifyPeerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FedifyPeerOptions();
        var peerDirectory = options.PeerDirectory ?? DefaultPeerDirectory;
        var node = Path.Combine(peerDirectory, "node_modules", ".bin", "node");
        var fedify = Path.Combine(peerDirectory, "node_modules", "@fedify", "fedify", "package.json");
        if (!File.Exists(node) || !File.Exists(fedify))
        {
            throw new InvalidOperationException(
                $"The Fedify peer is not installed ({(File.Exists(node) ? fedify : node)} is missing): {InstallHint}");
        }

        var start = new ProcessStartInfo(node)
        {
            WorkingDirectory = Path.GetDirectoryName(Path.GetDirectoryName(peerDirectory)) ?? peerDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var (name, value) in options.Environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(Path.Combine(peerDirectory, "peer.mjs"));
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add("0");
        start.ArgumentList.Add("--name");
        start.ArgumentList.Add(options.Name);
        start.ArgumentList.Add("--type");
        start.ArgumentList.Add(options.ActorType);
        start.ArgumentList.Add("--log");
        start.ArgumentList.Add(options.LogLevel);
        if (options.FirstKnock is { } knock)
        {
            start.ArgumentList.Add("--first-knock");
            start.ArgumentList.Add(knock);
        }

        if (options.RejectRfc9421)
        {
            start.ArgumentList.Add("--reject-rfc9421");
        }

        if (options.RejectCavage)
        {
            start.ArgumentList.Add("--reject-cavage");
        }

        if (options.NoAutoAccept)
        {
            start.ArgumentList.Add("--no-auto-accept");
        }

        if (options.Chaton)
        {
            start.ArgumentList.Add("--chaton");
        }

        var stderr = new StringBuilder();
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (stderr)
            {
                if (stderr.Length < StderrLimit)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException("the Fedify peer closed its stdout before printing READY"));
            }
            else if (e.Data.StartsWith("READY ", StringComparison.Ordinal))
            {
                ready.TrySetResult(e.Data);
            }
        };

        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start {node}");
        }

        ChildProcesses.Track(process);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        string line;
        try
        {
            line = await ready.Task.WaitAsync(options.StartTimeout, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            ChildProcesses.Kill(process);
            ChildProcesses.Forget(process);
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
            var why = e is TimeoutException
                ? $"did not print READY within {options.StartTimeout.TotalSeconds:0} s"
                : process.HasExited ? $"exited with code {process.ExitCode} before printing READY" : e.Message;
            string text;
            lock (stderr)
            {
                text = stderr.ToString();
            }

            process.Dispose();
            throw new InvalidOperationException(
                $"The Fedify peer ({node} peer.mjs serve) {why}. Its stderr:\n{(text.Length == 0 ? "(empty)" : text)}\n" +
                $"If node_modules is damaged or out of date: {InstallHint}", e);
        }

        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3)
        {
            ChildProcesses.Kill(process);
            throw new InvalidOperationException($"The Fedify peer printed an unexpected READY line: {line}");
        }

        return new FedifyPeer(process, stderr, new Uri(parts[1].TrimEnd('/') + "/"), parts[2]);
    }

    /// <summary>The peer's followers, every activity its inbox took, and its last errors.</summary>
    public async Task<PeerState> GetStateAsync(CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync(new Uri("_control/state", UriKind.Relative), cancellationToken);
        return await ReadAsync<PeerState>(response, "state", cancellationToken);
    }

    /// <summary>
    /// Makes the peer look up <paramref name="actorUrl"/> and send it a signed Follow. <paramref name="knock"/>
    /// (rfc9421 or draft-cavage) forces the first signature flavour for its inbox's origin; the peer then waits
    /// up to <paramref name="waitSeconds"/> for an Accept or Reject (0: not at all).
    /// </summary>
    public Task<FollowResult> FollowAsync(string actorUrl, string? knock = null, double waitSeconds = 10, CancellationToken cancellationToken = default) =>
        PostAsync<FollowResult>("follow", new JsonObject { ["actor"] = actorUrl, ["knock"] = knock, ["wait"] = waitSeconds }, cancellationToken);

    /// <summary>Fedify's lookupObject on <paramref name="url"/>.</summary>
    public Task<LookupResult> LookupAsync(string url, CancellationToken cancellationToken = default) =>
        PostAsync<LookupResult>("lookup", new JsonObject { ["url"] = url }, cancellationToken);

    /// <summary>Fedify's verifyProof and verifyObject on the document at <paramref name="url"/>.</summary>
    public Task<ProofCheck> VerifyProofAsync(string url, CancellationToken cancellationToken = default) =>
        PostAsync<ProofCheck>("verify-proof", new JsonObject { ["url"] = url }, cancellationToken);

    /// <summary>
    /// Fedify's verifyProof and verifyObject on <paramref name="document"/>; <paramref name="documents"/> stand in
    /// for the network when Fedify dereferences their ids (keys whose origin is not reachable).
    /// </summary>
    public Task<ProofCheck> VerifyProofAsync(JsonObject document, IEnumerable<JsonObject>? documents = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        var body = new JsonObject { ["json"] = document.DeepClone() };
        if (documents is not null)
        {
            body["documents"] = new JsonArray([.. documents.Select(d => d.DeepClone())]);
        }

        return PostAsync<ProofCheck>("verify-proof", body, cancellationToken);
    }

    /// <summary>
    /// Fedify's verifyProof alone on the verifiable credential (or status list) at <paramref name="url"/>: the VC 2.0
    /// context is not one Fedify preloads, so the document is never read as ActivityStreams, only its proof checked.
    /// </summary>
    public Task<CredentialProofCheck> VerifyCredentialAsync(string url, CancellationToken cancellationToken = default) =>
        PostAsync<CredentialProofCheck>("verify-credential", new JsonObject { ["url"] = url }, cancellationToken);

    /// <summary>As <see cref="VerifyCredentialAsync(string, CancellationToken)"/>, on <paramref name="document"/> as given.</summary>
    public Task<CredentialProofCheck> VerifyCredentialAsync(JsonObject document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        return PostAsync<CredentialProofCheck>("verify-credential", new JsonObject { ["json"] = document.DeepClone() }, cancellationToken);
    }

    /// <summary>Fedify's signObject with the peer actor's Ed25519 key (or the method <paramref name="keyId"/>).</summary>
    public Task<SignResult> SignAsync(JsonObject document, string? keyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        return PostAsync<SignResult>("sign", new JsonObject { ["json"] = document.DeepClone(), ["keyId"] = keyId }, cancellationToken);
    }

    /// <summary>A plain-http WebFinger lookup of <paramref name="handle"/> at <paramref name="origin"/>, then lookupObject of its self link.</summary>
    public Task<WebFingerLookupResult> WebFingerLookupAsync(string handle, Uri origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(origin);
        return PostAsync<WebFingerLookupResult>(
            "webfinger-lookup", new JsonObject { ["handle"] = handle, ["origin"] = origin.GetLeftPart(UriPartial.Authority) }, cancellationToken);
    }

    /// <summary>
    /// Changes the chaton's profile (peer started with <see cref="FedifyPeerOptions.Chaton"/>), signs the actor again with a
    /// later <c>updated</c>, and has Fedify send an <c>Update</c> of it to every follower: naming the actor by its id, or with
    /// <paramref name="embed"/> carrying it as Fedify serialises it in an activity (without the chatons terms, which its
    /// vocabulary drops, so that copy's proof does not verify).
    /// </summary>
    public Task<ChatonUpdateResult> UpdateChatonAsync(string? name = null, string? structureType = null, bool embed = false, CancellationToken cancellationToken = default) =>
        PostAsync<ChatonUpdateResult>("update-chaton", new JsonObject { ["name"] = name, ["structureType"] = structureType, ["embed"] = embed }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _http.Dispose();
        ChildProcesses.Kill(_process);
        try
        {
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
        }

        _exitedOnDispose = _process.HasExited;
        ChildProcesses.Forget(_process);
        _process.Dispose();
    }

    public override string ToString() => $"Fedify peer {ActorUrl} (pid {_process.Id})";

    /// <summary>A control API answer as JSON, for assertion messages.</summary>
    public static string Describe(object value) => JsonSerializer.Serialize(value, JsonOptions);

    private async Task<T> PostAsync<T>(string command, JsonObject body, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync(new Uri("_control/" + command, UriKind.Relative), body, cancellationToken);
        return await ReadAsync<T>(response, command, cancellationToken);
    }

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, string command, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"The Fedify peer's {command} command failed ({(int)response.StatusCode}): {text}\nPeer stderr:\n{Stderr}");
        }

        return JsonSerializer.Deserialize<T>(text, JsonOptions)
            ?? throw new InvalidOperationException($"The Fedify peer's {command} command answered null");
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ChatonsFed.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"ChatonsFed.sln not found above {AppContext.BaseDirectory}");
    }
}

internal sealed record PeerState(
    string Actor,
    IReadOnlyList<string> Followers,
    IReadOnlyList<JsonObject> Received,
    IReadOnlyList<JsonObject> Accepts,
    IReadOnlyList<JsonObject> Rejects,
    IReadOnlyList<PeerError> Errors);

internal sealed record PeerError(string At, string Message);

internal sealed record FollowResult(
    bool Ok,
    string? FollowId,
    string? Target,
    string? Inbox,
    string? KnockBefore,
    string? KnockRemembered,
    JsonObject? Reply,
    bool Accepted,
    string? Error);

internal record LookupResult(bool Ok, string? Url, string? Id, string? Type, string? ClassName, bool IsActor, JsonObject? JsonLd, string? Error);

internal sealed record WebFingerLookupResult(
    bool Ok,
    string? Url,
    string? Id,
    string? Type,
    string? ClassName,
    bool IsActor,
    JsonObject? JsonLd,
    string? Error,
    string? Resource,
    int Status,
    JsonObject? Jrd,
    string? Self)
    : LookupResult(Ok, Url, Id, Type, ClassName, IsActor, JsonLd, Error);

internal sealed record ProofCheck(
    bool Valid,
    string? Id,
    string? Type,
    bool LdSignatureDetached,
    IReadOnlyList<ProofOutcome> Proofs,
    bool VerifyObject,
    string? VerifyObjectError,
    string? Error);

internal sealed record CredentialProofCheck(bool Valid, string? Id, IReadOnlyList<ProofOutcome> Proofs, string? Error);

internal sealed record ProofOutcome(string? VerificationMethod, string? Cryptosuite, string? Created, bool Valid, string? KeyController);

internal sealed record SignResult(string KeyId, JsonObject Signed, JsonObject Attached);

internal sealed record ChatonUpdateResult(bool Ok, string? ActivityId, string? Updated, IReadOnlyList<string>? Followers, string? Error);
