using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol;
using ChatonsFed.Protocol.Discovery;
using ChatonsFed.Protocol.HttpSignatures;
using ChatonsFed.Protocol.Keys;
using ChatonsFed.Protocol.Proofs;
using ChatonsFed.Protocol.Tests;
using ChatonsFed.Protocol.Vocabulary;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Interop.Tests;

/// <summary>How a <see cref="LoopbackChaton"/> signs the requests it sends.</summary>
public enum OutgoingSignature
{
    /// <summary>No HTTP signature at all.</summary>
    None,

    /// <summary>draft-cavage-12 rsa-sha256 with <see cref="CavageSignature.Sign"/>.</summary>
    Cavage,

    /// <summary>RFC 9421 with <see cref="MessageSignature.SignForFederation"/>.</summary>
    Rfc9421,
}

/// <summary>A POST that reached the chaton's inbox, and what our HTTP signature code made of it.</summary>
internal sealed record InboxDelivery(
    string Path,
    HttpSignatureFlavour Flavour,
    string? KeyId,
    VerificationResult Verification,
    int Status,
    JsonObject? Activity,
    HttpRequestSnapshot Request)
{
    public override string ToString() =>
        $"POST {Path}: {Flavour}, keyId {KeyId}, {Verification}, answered {Status}, {Activity?["type"]} {Activity?["id"]}";
}

/// <summary>
/// The example chaton of the shared design folder, re-homed on a <see cref="LoopbackServer"/> with fresh keys:
/// its actor (RSA publicKey, Ed25519 assertionMethod), WebFinger, an inbox that checks every POST with our HTTP
/// signature code, and any signed document a test publishes at the path of its id. Its documents are signed by
/// our <see cref="ProofSigner"/>; its outgoing requests by our HTTP signature code.
/// </summary>
internal sealed class LoopbackChaton : IAsyncDisposable
{
    public const string ExampleBase = "https://chaton.example/c/0001";
    public const string Username = "chaton-0001";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private readonly ConcurrentDictionary<string, JsonObject> _documents = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<InboxDelivery> _deliveries = new();
    private readonly ConcurrentDictionary<string, string> _keyCache = new(StringComparer.Ordinal);
    private readonly HttpSignatureKey _httpKey;
    private LoopbackServer? _server;

    private LoopbackChaton(bool embedContextInProof)
    {
        RsaKey = RsaKeyPair.Generate();
        Ed25519Key = Ed25519KeyPair.Generate();
        _httpKey = HttpSignatureKey.ImportPem(RsaKey.ExportPkcs8Pem());
        EmbedContextInProof = embedContextInProof;
    }

    public RsaKeyPair RsaKey { get; }

    public Ed25519KeyPair Ed25519Key { get; }

    public bool EmbedContextInProof { get; }

    /// <summary>When set, the inbox answers 401 to RFC 9421-signed POSTs (after checking them), as a draft-cavage-only server would.</summary>
    public bool RejectRfc9421 { get; set; }

    public LoopbackServer Server => _server ?? throw new InvalidOperationException("not started");

    /// <summary>http://127.0.0.1:PORT/c/0001: where the example's https://chaton.example/c/0001 now lives.</summary>
    public string Base => Server.Url + "/c/0001";

    public string ActorUrl => Base + "/actor";

    public string InboxUrl => Base + "/inbox";

    public string RsaKeyId => ActorUrl + "#main-key";

    public string Ed25519KeyId => ActorUrl + "#ed25519-key";

    public string Handle => $"{Username}@{Server.BaseUri.Authority}";

    public ProofSigner Signer => new(Ed25519Key, Ed25519KeyId, TimeProvider.System) { EmbedContextInProof = EmbedContextInProof };

    public IReadOnlyList<InboxDelivery> Deliveries => [.. _deliveries];

    /// <summary>The signed actor document as served.</summary>
    public JsonObject Actor => _documents[new Uri(ActorUrl).AbsolutePath];

    public static async Task<LoopbackChaton> StartAsync(bool embedContextInProof = true)
    {
        var chaton = new LoopbackChaton(embedContextInProof);
        chaton._server = await LoopbackServer.StartAsync(chaton.Map);
        chaton.Publish(chaton.CreateActor());
        return chaton;
    }

    /// <summary>An example document from the shared design folder, moved to this server's origin, without its proof.</summary>
    public JsonObject LoadExample(string fileName)
    {
        var text = File.ReadAllText(RepositoryFiles.ExampleChaton(fileName))
            .Replace(ExampleBase, Base, StringComparison.Ordinal)
            .Replace("https://chaton.example/inbox", Server.Url + "/inbox", StringComparison.Ordinal);
        var document = JsonNode.Parse(text)!.AsObject();
        document.Remove("proof");
        return document;
    }

    /// <summary>Signs <paramref name="unsigned"/> with our <see cref="ProofSigner"/> and serves it at the path of its id.</summary>
    public JsonObject SignAndPublish(JsonObject unsigned)
    {
        var signed = Signer.Sign(unsigned);
        Publish(signed);
        return signed;
    }

    /// <summary>Serves <paramref name="document"/> as it is at the path of its id.</summary>
    public void Publish(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var id = document["id"]?.GetValue<string>() ?? throw new ArgumentException("the document has no id", nameof(document));
        _documents[new Uri(id).AbsolutePath] = document;
    }

    /// <summary>
    /// POSTs <paramref name="activity"/> to <paramref name="inboxUrl"/>, signed by our code with the chaton's RSA key
    /// (or with <paramref name="wrongKey"/> under the chaton's key id, to check that a bad signature is refused).
    /// </summary>
    public async Task<(int Status, string Body)> PostAsync(string inboxUrl, JsonObject activity, OutgoingSignature signature, HttpSignatureKey? wrongKey = null)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var body = Encoding.UTF8.GetBytes(activity.ToJsonString());
        var headers = new HeaderFields();
        headers.Add("Content-Type", LoopbackServer.ActivityJson);
        var snapshot = new HttpRequestSnapshot("POST", inboxUrl, headers, body);
        var now = TimeProvider.System.GetUtcNow();
        if (signature == OutgoingSignature.None)
        {
            headers.Add("Date", now.UtcDateTime.ToString("r", CultureInfo.InvariantCulture));
        }
        else if (signature == OutgoingSignature.Cavage)
        {
            CavageSignature.Sign(snapshot, wrongKey ?? _httpKey, RsaKeyId, now);
        }
        else
        {
            MessageSignature.SignForFederation(snapshot, wrongKey ?? _httpKey, RsaKeyId, now);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, inboxUrl) { Content = new ByteArrayContent(body) };
        foreach (var (name, value) in snapshot.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Host = value;
            }
            else if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
            }
            else if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await Http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Waits until the inbox has taken a delivery that satisfies <paramref name="match"/>.</summary>
    public async Task<InboxDelivery> WaitForDeliveryAsync(Func<InboxDelivery, bool> match, TimeSpan timeout)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(timeout.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (true)
        {
            var found = _deliveries.FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                throw new TimeoutException(
                    $"no matching delivery within {timeout.TotalSeconds:0} s; the inbox took:\n{string.Join('\n', _deliveries)}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _httpKey.Dispose();
        RsaKey.Dispose();
        Ed25519Key.Dispose();
    }

    private JsonObject CreateActor()
    {
        var actor = LoadExample("actor.json");
        actor["publicKey"]!["publicKeyPem"] = RsaKey.PublicKey.ToPem();
        var multikey = actor["assertionMethod"]!.AsArray().Single()!;
        multikey["publicKeyMultibase"] = Ed25519Key.PublicKey.ToMultibase();
        return Signer.Sign(actor);
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/.well-known/webfinger", (HttpContext context) =>
        {
            var resource = context.Request.Query["resource"].ToString();
            var account = AccountHandle.Parse(Handle);
            return resource == account.ToAcctUri()
                ? Results.Text(JsonResourceDescriptor.ForActor(account, ActorUrl).Serialize(), JsonResourceDescriptor.MediaType, Encoding.UTF8)
                : Results.NotFound();
        });
        app.MapPost("/c/0001/inbox", ReceiveAsync);
        app.MapPost("/inbox", ReceiveAsync);
        app.MapGet("/{**path}", async (HttpContext context) =>
        {
            if (_documents.TryGetValue(context.Request.Path.Value ?? "/", out var document))
            {
                await LoopbackServer.WriteJsonAsync(context, document.ToJsonString());
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
            }
        });
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        var snapshot = (await LoopbackRequest.CaptureAsync(context.Request)).Snapshot;
        JsonObject? activity = null;
        try
        {
            activity = JsonNode.Parse(snapshot.Body.Span) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
        }

        var flavour = HttpSignatureDetector.Detect(snapshot.Headers);
        string? keyId = null;
        VerificationResult verification;
        if (!HttpSignatureDetector.TryParse(snapshot, out var parsed, out var error))
        {
            verification = VerificationResult.Invalid(error);
        }
        else
        {
            keyId = parsed.KeyId;
            var pem = await FetchPublicKeyPemAsync(keyId!);
            if (pem is null)
            {
                verification = VerificationResult.Invalid($"no publicKeyPem found for {keyId}");
            }
            else
            {
                using var key = HttpSignatureKey.ImportPem(pem);
                verification = parsed.Verify(snapshot, key, TimeProvider.System.GetUtcNow());
            }
        }

        var status = !verification.IsValid || (RejectRfc9421 && flavour == HttpSignatureFlavour.Rfc9421)
            ? StatusCodes.Status401Unauthorized
            : StatusCodes.Status202Accepted;
        _deliveries.Enqueue(new InboxDelivery(snapshot.Path, flavour, keyId, verification, status, activity, snapshot));
        context.Response.StatusCode = status;
        if (status != StatusCodes.Status202Accepted)
        {
            await context.Response.WriteAsync(verification.IsValid ? "this inbox accepts draft-cavage signatures only" : verification.ToString());
        }
    }

    /// <summary>The publicKeyPem of the key <paramref name="keyId"/>, read from its actor document as our vocabulary parses it.</summary>
    private async Task<string?> FetchPublicKeyPemAsync(string keyId)
    {
        if (_keyCache.TryGetValue(keyId, out var cached))
        {
            return cached;
        }

        var documentUrl = keyId.Split('#')[0];
        using var request = new HttpRequestMessage(HttpMethod.Get, documentUrl);
        request.Headers.Accept.ParseAdd(LoopbackServer.ActivityJson);
        using var response = await Http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        if (ActivityStreamsJson.Parse(await response.Content.ReadAsStringAsync()) is not Actor actor)
        {
            return null;
        }

        var pem = actor.PublicKey?.Select(k => k.Value).FirstOrDefault(k => k?.Id == keyId)?.PublicKeyPem;
        if (pem is not null)
        {
            _keyCache[keyId] = pem;
        }

        return pem;
    }
}
