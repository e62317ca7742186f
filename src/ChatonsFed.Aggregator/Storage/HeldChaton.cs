using System.Text.Json;
using System.Text.Json.Nodes;
using ChatonsFed.Aggregator.Listing;
using ChatonsFed.Aggregator.Merging;
using ChatonsFed.Aggregator.Verification;
using ChatonsFed.Protocol.Membership;
using ChatonsFed.Protocol.Vocabulary;

namespace ChatonsFed.Aggregator.Storage;

/// <summary>A working copy of one chaton's held documents and listing, changed document by document, then written back.</summary>
internal sealed class HeldChaton
{
    private readonly Dictionary<string, (DocumentRecord Meta, byte[] Bytes)> _documents = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, ServiceListing> _services = new(StringComparer.Ordinal);
    private ChatonListing? _actor;
    private AttestationListing? _attestation;

    private HeldChaton(string actorId)
    {
        ActorId = actorId;
    }

    public string ActorId { get; }

    public static HeldChaton Empty(string actorId) => new(actorId);

    public static HeldChaton Load(ChatonRecord record, BlobRecord? blob)
    {
        var held = new HeldChaton(record.Id);
        var bytes = blob is null ? [] : DocumentBlob.Unpack(blob.Data, [.. record.Documents.Select(d => d.Length)]);
        for (var i = 0; i < record.Documents.Count && i < bytes.Length; i++)
        {
            held._documents[record.Documents[i].Id] = (record.Documents[i], bytes[i]);
        }

        var listing = ListingJson.Deserialize(record.Listing);
        held._actor = listing;
        held._attestation = listing.Attestation;
        foreach (var service in listing.Services)
        {
            held._services[service.Id] = service;
        }

        return held;
    }

    /// <summary>What the merge policy weighs a fetched copy against: the documents held, and <paramref name="deletions"/> (UTC ticks by id).</summary>
    public HeldState State(IReadOnlyDictionary<string, long>? deletions)
    {
        if (_documents.Count == 0 && deletions is null)
        {
            return HeldState.Empty;
        }

        var documents = new HeldDocument[_documents.Count];
        var i = 0;
        foreach (var (meta, bytes) in _documents.Values)
        {
            documents[i++] = meta.ToHeld(bytes);
        }

        return new HeldState(documents, deletions);
    }

    /// <summary>Takes <paramref name="document"/> in place of the version held, if any.</summary>
    public void Put(VerifiedDocument document, DateTimeOffset received)
    {
        var meta = new DocumentRecord
        {
            Id = document.Id,
            Kind = document.Kind,
            Version = document.Version?.UtcTicks,
            ProofCreated = document.ProofCreated?.UtcTicks,
            ETag = document.Received.ETag,
            LastModified = document.Received.LastModified,
            Received = received.UtcTicks,
            Length = document.Received.Utf8Json.Length,
        };
        _documents[document.Id] = (meta, document.Bytes);
        switch (document.Parsed)
        {
            case Organization actor:
                _actor = ListingReader.FromActor(actor, document.Version);
                break;
            case HostedService service:
                _services[document.Id] = ListingReader.FromService(service, document.Version);
                break;
            case CharterAttestation attestation:
                _attestation = ListingReader.FromAttestation(attestation, document.Version) with { Digest = DigestOf(document.Bytes) };
                break;
        }
    }

    /// <summary>The digest a membership credential names the attestation by; null when it cannot be read as an object.</summary>
    private static string? DigestOf(byte[] attestation)
    {
        try
        {
            return JsonNode.Parse(attestation) is JsonObject json ? AttestationDigest.Compute(json) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Keeps the validators of the response that carried <paramref name="received"/> for the version of <paramref name="id"/> held.</summary>
    public void RefreshValidators(string id, ReceivedDocument received)
    {
        var meta = _documents[id].Meta;
        meta.ETag = received.ETag;
        meta.LastModified = received.LastModified;
    }

    public void Remove(string id)
    {
        if (_documents.Remove(id, out var removed))
        {
            switch (removed.Meta.Kind)
            {
                case DocumentKind.Service:
                    _services.Remove(id);
                    break;
                case DocumentKind.Attestation:
                    _attestation = null;
                    break;
            }
        }
    }

    /// <summary>The documents in the order they are stored: actor, services by id, attestation, services collection.</summary>
    public IReadOnlyList<(DocumentRecord Meta, byte[] Bytes)> Ordered() =>
        [.. _documents.Values.OrderBy(d => d.Meta.Kind).ThenBy(d => d.Meta.Id, StringComparer.Ordinal)];

    public ChatonListing ToListing(ChatonObservation observation) =>
        (_actor ?? throw new InvalidOperationException($"No actor is held for {ActorId}.")) with
        {
            Services = [.. _services.Values],
            Attestation = _attestation,
            Observation = observation,
        };
}
