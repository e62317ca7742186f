using System.Text.Json;
using System.Text.Json.Nodes;
using ChatonsFed.Protocol.Vocabulary;
using CsCheck;

namespace ChatonsFed.Protocol.Tests.Vocabulary;

/// <summary>Any vocabulary object written then read back equals the original, unknown members included.</summary>
public class RoundTripProperties
{
    // Whole characters, so that a surrogate pair is never split into invalid text.
    private static readonly Gen<string> Text =
        Gen.OneOf("a", "b", "z", "A", "0", "9", " ", "-", ".", ":", "/", "@", "#", "?", "&", "<", ">", "\"", "'", "\\", "\n", "é", "€", "😀", "猫")
            .Array[0, 16]
            .Select(string.Concat);

    private static readonly Gen<string> Url = Gen.String["abcdefghij0123456789"].Select(s => $"https://chaton.example/{s}");

    private static readonly Gen<Timestamp> Stamp = Gen.OneOf(
        Gen.DateTimeOffset.Select(d => new Timestamp(d)),
        Gen.String["0123456789-T:.Z+"].Select(s => new Timestamp(s)));

    private static readonly Gen<double> Coordinate = Gen.Select(Gen.Int[-179, 179], Gen.Int[0, 99999], (whole, fraction) => whole + (fraction / 100000.0));

    private static readonly Gen<JsonElement> UnknownValue = Gen.OneOf(
        Text.Select(s => JsonSerializer.SerializeToElement(s, TestJson.String)),
        Gen.Int.Select(i => JsonElement.Parse(i.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        Gen.Bool.Select(b => JsonElement.Parse(b ? "true" : "false")),
        Gen.Const(JsonElement.Parse("null")),
        Gen.Select(Text, Gen.Int, (s, i) => JsonElement.Parse(new JsonObject { ["s"] = s, ["n"] = new JsonArray(i, null, true) }.ToJsonString())));

    // Unknown members are named so that they never collide with a modelled one.
    private static readonly Gen<Dictionary<string, JsonElement>?> Extensions =
        Gen.Select(Gen.String["abcdefgh"], UnknownValue).Array[0, 3].Select(pairs =>
        {
            var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var (name, value) in pairs)
            {
                members["x-" + name] = value;
            }

            return members.Count == 0 ? null : members;
        });

    private static readonly Gen<OneOrMany<Reference<JsonLdNode>>?> Audience = OrNull(
        Url.Array[0, 3].Select(urls => new OneOrMany<Reference<JsonLdNode>>(urls.Select(u => new Reference<JsonLdNode>(u)), writeAsArray: urls.Length != 1)));

    private static readonly Gen<HostedService> HostedServices = Gen.Select(
        Gen.Select(OrNull(Url), OrNull(Text), OrNull(Text), OrNull(Gen.OneOf("email", "forum", "not-a-known-category"))),
        Gen.Select(OrNull(Text), OrNull(Text), OrNull(Url), OrNull(Gen.OneOf("none", "free", "member", "client"))),
        Gen.Select(OrNull(Gen.OneOf("open", "full")), OrNull(Gen.OneOf("ok", "degraded", "down", "closed")), OrNull(Stamp), Extensions),
        Gen.Select(OrNull(Gen.OneOf("PHYSICAL", "VIRTUAL")), OrNull(Gen.OneOf("FR", "BE")), OrNull(Proofs)),
        (a, b, c, d) => new HostedService
        {
            Id = a.Item1,
            AttributedTo = a.Item1 is null ? null : [new Reference<JsonLdNode>(a.Item1 + "/actor")],
            Name = a.Item2,
            Summary = a.Item3,
            Category = a.Item4,
            Software = b.Item1 is null ? null : new ServiceSoftware { Name = b.Item1, Version = b.Item2, SourceCode = b.Item3, License = "AGPL-3.0-only" },
            Registration = b.Item4,
            Capacity = c.Item1,
            Status = c.Item2,
            Published = c.Item3,
            ExtensionData = c.Item4,
            Hosting = d.Item1 is null ? null : new ServiceHosting { ServerType = d.Item1, Country = d.Item2 },
            Proof = d.Item3,
        });

    private static readonly Gen<CharterAttestation> Attestations = Gen.Select(
        OrNull(Url),
        Gen.Select(Gen.String["abcdef.-"], OrNull(Gen.Bool), OrNull(Text), Extensions)
            .Array[0, 5]
            .Select(items => items.Select(i => new CriterionDeclaration { Id = i.Item1, Met = i.Item2, Note = i.Item3, ExtensionData = i.Item4 })),
        OrNull(Text),
        Extensions,
        (id, criteria, digest, extensions) => new CharterAttestation
        {
            Id = id,
            Charter = digest is null ? null : new CharterVersion { Url = "https://chatons.org/fr/charte", Version = "2016-v1", Digest = digest },
            Criteria = OneOrMany.Array(criteria),
            ExtensionData = extensions,
        });

    private static readonly Gen<Organization> Organizations = Gen.Select(
        Gen.Select(OrNull(Url), OrNull(Text), OrNull(Text), OrNull(Gen.OneOf("ASSOCIATION", "COOPERATIVE", "OTHER"))),
        Gen.Select(OrNull(Gen.OneOf("ACTIVE", "IDLE", "AWAY")), OrNull(Gen.DateOnly), OrNull(Gen.DateOnly), OrNull(Gen.Bool)),
        Gen.Select(OrNull(Coordinate), OrNull(Coordinate), Text.Array[0, 3], Extensions),
        Gen.Select(OrNull(Url), OrNull(Gen.String["z123456789ABCDEFGHJK"]), OrNull(Proofs), OrNull(Gen.OneOf(true, false))),
        (a, b, c, d) => new Organization
        {
            Id = a.Item1,
            Name = a.Item2,
            Summary = a.Item3,
            StructureType = a.Item4,
            PreferredUsername = a.Item2,
            Inbox = a.Item1 is null ? null : a.Item1 + "/inbox",
            Endpoints = d.Item1 is null ? null : new Reference<Endpoints>(new Endpoints { SharedInbox = d.Item1 }),
            Membership = b.Item1 is null ? null : new ChatonsFed.Protocol.Vocabulary.Membership { Status = b.Item1, Since = b.Item2, Until = b.Item3 },
            Discoverable = b.Item4,
            Location = c.Item1 is null ? null : [new Reference<JsonLdNode>(new Place { Latitude = c.Item1, Longitude = c.Item2, Name = "Lieu" })],
            Attachment = OneOrMany.Array(c.Item3.Select(v => new Reference<JsonLdNode>(new PropertyValue { Name = "Champ", Value = v }))),
            ExtensionData = c.Item4,
            Services = a.Item1 is null ? null : new Reference<JsonLdNode>(a.Item1 + "/services"),
            CharterAttestation = d.Item1 is null ? null : new Reference<JsonLdNode>(new CharterAttestation { Id = d.Item1 + "/attestation" }),
            AssertionMethod = d.Item2 is null ? null : OneOrMany.Array(new Reference<Multikey>(new Multikey { Id = "#k", Controller = a.Item1, PublicKeyMultibase = d.Item2 })),
            PublicKey = d.Item2 is null ? null : [new Reference<PublicKey>(new PublicKey { Id = "#main-key", PublicKeyPem = d.Item2 })],
            Proof = d.Item3,
            ManuallyApprovesFollowers = d.Item4,
            Context = d.Item4 == true ? ChatonsContext.Element : null,
        });

    private static readonly Gen<Note> Notes = Gen.Select(
        OrNull(Url), OrNull(Text), OrNull(Stamp), Audience, OrNull(Text.Select(t => new LanguageMap([new("fr", t), new("en", t + "!")]))), Extensions,
        (id, content, published, to, contentMap, extensions) => new Note
        {
            Id = id,
            Content = content,
            ContentMap = contentMap,
            Published = published,
            To = to,
            Cc = to,
            Tag = id is null ? null : OneOrMany.Array<Reference<JsonLdNode>>(new(new Hashtag { Name = "#chatons", Href = id }), new(new Mention { Href = id })),
            ExtensionData = extensions,
        });

    private static readonly Gen<JsonLdNode> Activities = Gen.Select(
        Gen.OneOf<JsonLdNode>(Notes, HostedServices, Attestations, Url.Select(u => (JsonLdNode)new Tombstone { Id = u, FormerType = ["Object", "HostedService"] })),
        Gen.Int[0, 4], OrNull(Url), Audience, Extensions,
        (embedded, kind, actor, to, extensions) =>
        {
            Activity activity = kind switch
            {
                0 => new Create(),
                1 => new Update(),
                2 => new Delete(),
                3 => new Undo(),
                _ => new Announce(),
            };
            return (JsonLdNode)(activity with
            {
                Actor = actor is null ? null : [new Reference<JsonLdNode>(actor)],
                Object = [new Reference<JsonLdNode>(embedded)],
                To = to,
                ExtensionData = extensions,
            });
        });

    private static readonly Gen<JsonLdNode> Collections = Gen.Select(
        OrNull(Url), Gen.Int[0, 1000], Url.Array[0, 4], Gen.Bool,
        (id, total, items, paged) => paged
            ? new OrderedCollectionPage { Id = id, PartOf = id is null ? null : new Reference<JsonLdNode>(id), OrderedItems = OneOrMany.Array(items.Select(i => new Reference<JsonLdNode>(i))), StartIndex = total }
            : (JsonLdNode)new OrderedCollection { Id = id, TotalItems = total, First = new Reference<JsonLdNode>(new OrderedCollectionPage { Id = id }) });

    private static Gen<OneOrMany<DataIntegrityProof>> Proofs => Gen.Select(
        Gen.String["123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"], Stamp, Url,
        (value, created, method) => new OneOrMany<DataIntegrityProof>(new DataIntegrityProof
        {
            Cryptosuite = "eddsa-jcs-2022",
            ProofPurpose = "assertionMethod",
            VerificationMethod = method + "#ed25519-key",
            ProofValue = "z" + value,
            Created = created,
        }));

    [Fact]
    public void Hosted_services_survive_a_round_trip() => HostedServices.Sample(AssertRoundTrip);

    [Fact]
    public void Charter_attestations_survive_a_round_trip() => Attestations.Sample(AssertRoundTrip);

    [Fact]
    public void Organizations_survive_a_round_trip() => Organizations.Sample(AssertRoundTrip);

    [Fact]
    public void Notes_survive_a_round_trip() => Notes.Sample(AssertRoundTrip);

    [Fact]
    public void Activities_with_embedded_objects_survive_a_round_trip() => Activities.Sample(AssertRoundTrip);

    [Fact]
    public void Collections_survive_a_round_trip() => Collections.Sample(AssertRoundTrip);

    [Fact]
    public void Unknown_members_survive_a_round_trip_of_a_received_document()
    {
        Gen.Select(Extensions, UnknownValue).Sample((extensions, nested) =>
        {
            var document = new JsonObject { ["type"] = new JsonArray("Object", "HostedService"), ["id"] = "https://chaton.example/s/1" };
            foreach (var (name, value) in extensions ?? [])
            {
                document[name] = JsonNode.Parse(value.GetRawText());
            }

            document["hosting"] = new JsonObject { ["country"] = "FR", ["x-rack"] = JsonNode.Parse(nested.GetRawText()) };
            RoundTrip.AssertLossless(document.ToJsonString());
        });
    }

    private static void AssertRoundTrip<T>(T original)
        where T : JsonLdNode
    {
        var written = ActivityStreamsJson.Serialize(original);
        var read = ActivityStreamsJson.Parse(written);

        Assert.IsType(original.GetType(), read);
        Assert.Equal<JsonLdNode>(original, read);
        Assert.Equal(written, ActivityStreamsJson.Serialize(read));
    }

    private static Gen<T?> OrNull<T>(Gen<T> gen)
        where T : class
    {
        T? none = null;
        return Gen.Frequency((1, Gen.Const(none)), (3, gen.Select(value => (T?)value)));
    }

    private static Gen<T?> OrNull<T>(Gen<T> gen, T? none = null)
        where T : struct =>
        Gen.Frequency((1, Gen.Const(none)), (3, gen.Select(value => (T?)value)));
}

/// <summary>JSON metadata for the few primitive values the tests serialize.</summary>
internal static class TestJson
{
    public static readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo<string> String =
        (System.Text.Json.Serialization.Metadata.JsonTypeInfo<string>)JsonSerializerOptions.Default.GetTypeInfo(typeof(string));
}
