using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using ChatonsFed.Protocol;
using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Federation.Inbox;

/// <summary>Why a received body is not a JSON object within the limits.</summary>
public enum InboxBodyError
{
    None,
    Empty,

    /// <summary>Not UTF-8: JSON exchanged between systems is UTF-8 (RFC 8259).</summary>
    NotUtf8,
    NotJson,
    TooDeep,

    /// <summary>Valid JSON, but not an object (an array, a string…).</summary>
    NotObject,
}

/// <summary>
/// A body received by an inbox, parsed once: the bytes exactly as received (digests and signatures are checked on
/// them, documents are stored from them), the JSON tree they make (object proofs are verified over it, as received)
/// and the activity read into the vocabulary types at most once, on first use, which inboxes dispatch on. Whatever
/// takes an <see cref="InboxDocument"/> reads these rather than the body. Read it on one thread; dispose it when the
/// request is done (<see cref="Root"/> and <see cref="Json"/> are not readable afterwards).
/// </summary>
public sealed class InboxDocument : IDisposable
{
    private readonly JsonDocument _document;
    private JsonObject? _json;
    private Activity? _activity;
    private string? _activityProblem;

    private InboxDocument(ReadOnlyMemory<byte> body, JsonDocument document, int maxDepth)
    {
        Body = body;
        _document = document;
        MaxDepth = maxDepth;
    }

    /// <summary>The body as received.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>How deep the body was allowed to nest.</summary>
    public int MaxDepth { get; }

    /// <summary>The body's JSON object; <see cref="System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value"/> gives any member's bytes as received.</summary>
    public JsonElement Root => _document.RootElement;

    /// <summary>The same object as a <see cref="JsonObject"/> (for proofs), built over <see cref="Root"/> without parsing again.</summary>
    public JsonObject Json => _json ??= JsonObject.Create(_document.RootElement)!;

    /// <summary>
    /// The body read as an ActivityStreams activity (read on first use, then kept): a <see cref="Follow"/>,
    /// <see cref="Undo"/>… for a type the vocabulary knows, a plain <see cref="Activity"/> for any other type;
    /// <c>null</c> when a member does not have the shape its type gives it (see <see cref="ActivityProblem"/>).
    /// </summary>
    public Activity? Activity
    {
        get
        {
            ReadActivity();
            return _activity;
        }
    }

    /// <summary>Why the body does not read as an activity; <c>null</c> when it does.</summary>
    public string? ActivityProblem
    {
        get
        {
            ReadActivity();
            return _activityProblem;
        }
    }

    /// <summary>Parses <paramref name="body"/>, a JSON object nested at most <paramref name="maxDepth"/> levels.</summary>
    /// <param name="body">The body as received; it is kept, not copied.</param>
    /// <param name="maxDepth">How deep the JSON may nest.</param>
    /// <param name="document">The parsed body.</param>
    /// <param name="error">What is wrong with the body, when it is not such an object.</param>
    /// <param name="detail">The JSON reader's own words, when it refused the body (<see cref="InboxBodyError.NotJson"/>, <see cref="InboxBodyError.TooDeep"/>).</param>
    public static bool TryParse(ReadOnlyMemory<byte> body, int maxDepth, [NotNullWhen(true)] out InboxDocument? document, out InboxBodyError error, out string? detail)
    {
        document = null;
        detail = null;
        if (body.IsEmpty)
        {
            error = InboxBodyError.Empty;
            return false;
        }

        // The JSON reader checks the UTF-8 of strings only when they are read, which would fail then, not here.
        if (!Utf8.IsValid(body.Span))
        {
            error = InboxBodyError.NotUtf8;
            return false;
        }

        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = maxDepth });
        }
        catch (JsonException e)
        {
            // Not any message with "depth" in it: a body cut short is "expected depth to be zero at the end".
            error = e.Message.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase) ? InboxBodyError.TooDeep : InboxBodyError.NotJson;
            detail = e.Message;
            return false;
        }

        if (parsed.RootElement.ValueKind != JsonValueKind.Object)
        {
            parsed.Dispose();
            error = InboxBodyError.NotObject;
            return false;
        }

        error = InboxBodyError.None;
        document = new InboxDocument(body, parsed, maxDepth);
        return true;
    }

    /// <summary>
    /// The id a member gives when it holds one value, as inboxes read ids: the id itself, or an embedded node's
    /// <c>id</c>; <c>null</c> for an array, an embedded node without id (a link's <c>href</c> is not an id) or no value.
    /// </summary>
    public static string? IdOf(OneOrMany<Reference<JsonLdNode>>? member) =>
        member is { WriteAsArray: false, First: { } single } ? (single.Value is { } embedded ? embedded.Id : single.Id) : null;

    /// <summary>The node a member embeds when it holds one embedded value; <c>null</c> for an id, an array or no value.</summary>
    public static JsonLdNode? EmbeddedIn(OneOrMany<Reference<JsonLdNode>>? member) =>
        member is { WriteAsArray: false, First.Value: { } embedded } ? embedded : null;

    public void Dispose() => _document.Dispose();

    private void ReadActivity()
    {
        if (_activity is not null || _activityProblem is not null)
        {
            return;
        }

        try
        {
            _activity = ActivityStreamsJson.Read<Activity>(Body.Span, MaxDepth);
        }
        catch (ProtocolFormatException e)
        {
            _activityProblem = e.Message;
        }
    }
}
