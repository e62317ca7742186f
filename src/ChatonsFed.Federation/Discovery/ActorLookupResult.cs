using System.Text.Json.Nodes;
using ChatonsFed.Federation.Http;
using ChatonsFed.Protocol.Discovery;

namespace ChatonsFed.Federation.Discovery;

/// <summary>Why an account handle or URL did not lead to an actor.</summary>
public enum ActorLookupError
{
    None,

    /// <summary>The text is neither an account handle (<c>acct:NAME@HOST</c>, <c>@NAME@HOST</c>, <c>NAME@HOST</c>) nor an http(s) URL.</summary>
    InvalidAddress,

    /// <summary>WebFinger (and host-meta, when it was tried) does not know the account, or the actor URL answers 404.</summary>
    NotFound,

    /// <summary>The account or the actor answers 410 Gone: it left.</summary>
    Gone,

    /// <summary>A URL on the way is, or resolves to, an address the outbound options refuse (loopback, private, …).</summary>
    AddressRefused,

    /// <summary>A URL on the way has a scheme the outbound options refuse (plain http without <see cref="OutboundHttpOptions.AllowHttp"/>).</summary>
    SchemeRefused,

    /// <summary>No answer: the connection failed or timed out.</summary>
    Unreachable,

    /// <summary>An answer that is not what the step asks for: another HTTP status, too large, too many redirects, not a JRD, not JSON.</summary>
    BadResponse,

    /// <summary>The WebFinger answer has no <c>self</c> link with an ActivityPub media type.</summary>
    NoActorLink,

    /// <summary>The document found is not an actor: no actor type, or no inbox.</summary>
    NotAnActor,

    /// <summary>The actor's id is neither the URL it was fetched from nor an id on the same origin that serves itself.</summary>
    IdMismatch,
}

/// <summary>The outcome of <see cref="ActorLocator"/>: the actor and how it was found, or why not.</summary>
public sealed record ActorLookupResult
{
    public ActorLookupError Error { get; init; }

    /// <summary>A sentence a person can read: why the lookup failed.</summary>
    public string? Reason { get; init; }

    public bool IsFound => Error == ActorLookupError.None;

    /// <summary>The actor's id, checked against the URL it was fetched from.</summary>
    public Uri? ActorId { get; init; }

    /// <summary>The fetch of the actor at its id: the document as received, its bytes, ETag and Last-Modified.</summary>
    public FetchResult? ActorFetch { get; init; }

    public JsonObject? Actor => ActorFetch?.Document;

    /// <summary>The account looked up, when the lookup started from a handle.</summary>
    public AccountHandle? Account { get; init; }

    /// <summary>The WebFinger URL that gave the actor's link (or that failed), when the lookup started from a handle.</summary>
    public Uri? WebFingerUrl { get; init; }

    /// <summary>True when WebFinger answered 404 at the usual place and the host-meta <c>lrdd</c> template led to the answer.</summary>
    public bool ViaHostMeta { get; init; }

    /// <summary>The transport-level reason of a failed fetch, when there was one.</summary>
    public OutboundError OutboundError { get; init; }

    /// <summary>The HTTP status of the answer that ended the lookup, when one came.</summary>
    public int? StatusCode { get; init; }

    public override string ToString() => IsFound ? $"found {ActorId}" : $"{Error}: {Reason}";
}
