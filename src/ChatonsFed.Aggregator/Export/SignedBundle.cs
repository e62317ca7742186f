using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;
using ChatonsFed.Aggregator.Storage;
using ChatonsFed.Aggregator.Verification;
using ChatonsFed.Protocol.Json;

namespace ChatonsFed.Aggregator.Export;

/// <summary>
/// The signed bundle: every listed chaton's signed documents, so that another aggregator can fill its directory from
/// it and check each document against its author's key, trusting no aggregator. One JSON document in canonical form
/// (RFC 8785):
/// <c>{"chatons":[{"actor":…,"attestation":…,"services":[…],"servicesCollection":…},…],"credentials":[…],"statusLists":[…],"type":"ChatonsFedBundle","version":1}</c>,
/// chatons ordered by actor id, services by id; the membership credentials and status lists held, ordered by id, when
/// there are any (never an admission status: a reader computes admission itself). Each document is written in its canonical form, which is what its
/// eddsa-jcs-2022 proof signs, so it verifies exactly as the bytes first received did.
/// </summary>
public static class SignedBundle
{
    public const string BundleType = "ChatonsFedBundle";
    public const int FormatVersion = 1;

    private static readonly JsonDocumentOptions ReadOptions = new() { MaxDepth = 96 };

    /// <summary>Writes the bundle of every chaton <paramref name="store"/> lists, with the membership credentials and status lists it holds.</summary>
    public static void Write(Stream output, DirectoryStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        Write(output, store.Listings.Select(l => store.GetDocuments(l.ActorId)).OfType<StoredChaton>(),
            store.Credentials.Select(c => (c.Id, c.Utf8Json)), store.StatusLists.Select(l => (l.Url, l.Utf8Json)));
    }

    /// <summary>
    /// Writes the bundle of <paramref name="chatons"/> (in any order: the bundle orders them), and of the membership
    /// <paramref name="credentials"/> and <paramref name="statusLists"/> (by id; left out when there are none).
    /// </summary>
    public static void Write(Stream output, IEnumerable<StoredChaton> chatons,
        IEnumerable<(string Id, ReadOnlyMemory<byte> Utf8Json)>? credentials = null, IEnumerable<(string Id, ReadOnlyMemory<byte> Utf8Json)>? statusLists = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(chatons);
        ExportFormat.WriteAscii(output, "{\"chatons\":[");
        var first = true;
        foreach (var chaton in chatons.OrderBy(c => c.Actor.Id, StringComparer.Ordinal))
        {
            ExportFormat.WriteAscii(output, first ? "{\"actor\":" : ",{\"actor\":");
            WriteDocument(output, chaton.Actor);
            if (chaton.Attestation is { } attestation)
            {
                ExportFormat.WriteAscii(output, ",\"attestation\":");
                WriteDocument(output, attestation);
            }

            ExportFormat.WriteAscii(output, ",\"services\":[");
            var firstService = true;
            foreach (var service in chaton.Services.OrderBy(s => s.Id, StringComparer.Ordinal))
            {
                if (!firstService)
                {
                    output.WriteByte((byte)',');
                }

                WriteDocument(output, service);
                firstService = false;
            }

            output.WriteByte((byte)']');
            if (chaton.ServicesCollection is { } collection)
            {
                ExportFormat.WriteAscii(output, ",\"servicesCollection\":");
                WriteDocument(output, collection);
            }

            output.WriteByte((byte)'}');
            first = false;
        }

        output.WriteByte((byte)']');
        WriteDocuments(output, "credentials", credentials);
        WriteDocuments(output, "statusLists", statusLists);
        ExportFormat.WriteAscii(output, string.Create(CultureInfo.InvariantCulture, $",\"type\":\"{BundleType}\",\"version\":{FormatVersion}}}"));
    }

    /// <summary>A member holding documents in their canonical form, ordered by id; nothing when there is none.</summary>
    private static void WriteDocuments(Stream output, string name, IEnumerable<(string Id, ReadOnlyMemory<byte> Utf8Json)>? documents)
    {
        var ordered = (documents ?? []).OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
        if (ordered.Count == 0)
        {
            return;
        }

        ExportFormat.WriteAscii(output, $",\"{name}\":[");
        for (var i = 0; i < ordered.Count; i++)
        {
            if (i > 0)
            {
                output.WriteByte((byte)',');
            }

            output.Write(JsonCanonicalizer.Canonicalize(ordered[i].Utf8Json.Span));
        }

        output.WriteByte((byte)']');
    }

    /// <summary>
    /// Reads a bundle into one document set per chaton, each to be verified with <see cref="ChatonVerifier.Verify"/>
    /// against the actor fetched from the chaton's own origin (its <see cref="BundleChaton.ActorId"/>). Entries that are
    /// not well formed are skipped and described in <see cref="BundleContents.Problems"/>.
    /// </summary>
    /// <exception cref="FormatException">The input is not JSON, not a bundle, or a bundle of another format version.</exception>
    public static BundleContents Read(ReadOnlyMemory<byte> utf8Json)
    {
        // The JSON reader checks the UTF-8 of strings only when they are read, which would fail there, without a reason.
        if (!Utf8.IsValid(utf8Json.Span))
        {
            throw new FormatException("The bundle is not valid UTF-8.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, ReadOptions);
        }
        catch (JsonException e)
        {
            throw new FormatException($"The bundle is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != BundleType)
            {
                throw new FormatException($"The document is not a {BundleType}.");
            }

            if (!root.TryGetProperty("version", out var version) || !version.TryGetInt32(out var number) || number != FormatVersion)
            {
                throw new FormatException($"The bundle is not of format version {FormatVersion}.");
            }

            if (!root.TryGetProperty("chatons", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("The bundle has no \"chatons\" array.");
            }

            var chatons = new List<BundleChaton>();
            var problems = new List<string>();
            var index = 0;
            foreach (var entry in list.EnumerateArray())
            {
                index++;
                if (ReadChaton(entry, index, problems) is { } chaton)
                {
                    chatons.Add(chaton);
                }
            }

            return new BundleContents(chatons, problems)
            {
                Credentials = Documents(root, "credentials", problems),
                StatusLists = Documents(root, "statusLists", problems),
            };
        }
    }

    /// <summary>The objects of an optional array member, as received; anything else in it is skipped and described.</summary>
    private static List<ReadOnlyMemory<byte>> Documents(JsonElement root, string name, List<string> problems)
    {
        var documents = new List<ReadOnlyMemory<byte>>();
        if (!root.TryGetProperty(name, out var list))
        {
            return documents;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            problems.Add($"\"{name}\" is not an array; none read.");
            return documents;
        }

        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object)
            {
                documents.Add(JsonMarshal.GetRawUtf8Value(item).ToArray());
            }
            else
            {
                problems.Add($"an item of \"{name}\" is not an object; skipped.");
            }
        }

        return documents;
    }

    private static BundleChaton? ReadChaton(JsonElement entry, int index, List<string> problems)
    {
        if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("actor", out var actor) || actor.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"chaton #{index}: no actor object; skipped.");
            return null;
        }

        var actorId = actor.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        var where = $"chaton #{index} ({actorId ?? "no id"})";
        var services = new List<ReceivedDocument>();
        if (entry.TryGetProperty("services", out var list))
        {
            if (list.ValueKind != JsonValueKind.Array)
            {
                problems.Add($"{where}: \"services\" is not an array; no service read.");
            }
            else
            {
                foreach (var service in list.EnumerateArray())
                {
                    if (service.ValueKind == JsonValueKind.Object)
                    {
                        services.Add(Received(service));
                    }
                    else
                    {
                        problems.Add($"{where}: a service is not an object; skipped.");
                    }
                }
            }
        }

        var set = new ChatonDocumentSet(Received(actor))
        {
            Services = services,
            Attestation = Optional(entry, "attestation", where, problems),
            ServicesCollection = Optional(entry, "servicesCollection", where, problems),
        };
        return new BundleChaton(actorId, set);
    }

    private static ReceivedDocument? Optional(JsonElement entry, string name, string where, List<string> problems)
    {
        if (!entry.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{where}: \"{name}\" is not an object; skipped.");
            return null;
        }

        return Received(value);
    }

    private static ReceivedDocument Received(JsonElement element) => new(JsonMarshal.GetRawUtf8Value(element).ToArray());

    private static void WriteDocument(Stream output, StoredDocument document) =>
        output.Write(JsonCanonicalizer.Canonicalize(document.Utf8Json.Span));
}

/// <summary>One chaton of a bundle: the actor id it claims (to fetch the real actor from) and its documents.</summary>
public sealed record BundleChaton(string? ActorId, ChatonDocumentSet Documents);

/// <summary>What a bundle holds, and what could not be read from it.</summary>
public sealed record BundleContents(IReadOnlyList<BundleChaton> Chatons, IReadOnlyList<string> Problems)
{
    /// <summary>Membership credentials as the bundle carries them (each to be verified against its issuer's actor).</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Credentials { get; init; } = [];

    /// <summary>Status lists as the bundle carries them (each to be verified against its issuer's actor).</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> StatusLists { get; init; } = [];
}
