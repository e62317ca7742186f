using System.Text.Json.Nodes;
using ChatonsFed.Aggregator.Verification;
using ChatonsFed.Directory.Node;
using ChatonsFed.Directory.Tests;
using ChatonsFed.Protocol.Keys;
using ChatonsFed.Protocol.Proofs;
using Microsoft.Extensions.Time.Testing;

namespace ChatonsFed.Aggregator.Tests;

/// <summary>A chaton node with a fresh Ed25519 key, whose documents are built and signed by the directory library.</summary>
internal sealed class TestChaton : IDisposable
{
    public static readonly DateTimeOffset Start = new(2025, 9, 1, 8, 30, 0, TimeSpan.Zero);

    public TestChaton(int number, FakeTimeProvider? time = null)
    {
        Time = time ?? new FakeTimeProvider(Start);
        Address = new NodeAddress(new Uri($"https://chaton-{number:D3}.example/"), $"chaton{number}");
        Key = Ed25519KeyPair.Generate();
        Node = new NodeDocuments(Address, Key, TestKeys.TestRsaPublicKeyPem, Time);
        Profile = new ChatonProfile
        {
            Name = $"Chaton {number}",
            Summary = $"Hébergeur associatif numéro {number}.",
            Website = new Uri($"https://site-{number}.example/"),
            StructureType = StructureType.Association,
            Membership = new Membership(MembershipStatus.Active, new DateOnly(2020, 1, 1), null),
            Country = "FR",
            Location = new GeoLocation("Valence", 44.9334, 4.8924),
            Published = Day(2024, 1, 1),
            Updated = Day(2025, 1, 1),
        };
        Services =
        [
            Service("pad", "Écriture collaborative", "collaborative-writing", "Etherpad", Registration.None),
            Service("mail", "Courriel", "email", "Postfix", Registration.Member),
        ];
        Charter = new CharterDeclaration
        {
            Charter = new CharterReference(new Uri("https://chatons.org/fr/charte"), "2016-v1", "sha256-" + Convert.ToBase64String(new byte[32])),
            Criteria = [.. CharterCriteriaCatalog.LoadDefault().Criteria.Select(c => new CriterionAnswer(c.Id, true))],
            Published = Day(2024, 1, 1),
            Updated = Day(2025, 1, 1),
        };
    }

    public FakeTimeProvider Time { get; }

    public NodeAddress Address { get; }

    public Ed25519KeyPair Key { get; }

    public NodeDocuments Node { get; }

    public string ActorId => Address.ActorId.AbsoluteUri;

    public ChatonProfile Profile { get; set; }

    public List<HostedServiceEntry> Services { get; set; }

    public CharterDeclaration? Charter { get; set; }

    public static DateTimeOffset Day(int year, int month, int day) => new(year, month, day, 0, 0, 0, TimeSpan.Zero);

    public static ReceivedDocument Received(JsonObject document) => ReceivedDocument.FromString(document.ToJsonString());

    public string ServiceId(string slug) => Address.ServiceId(slug).AbsoluteUri;

    public JsonObject ActorJson() => Node.SignActor(Profile);

    public JsonObject ServiceJson(string slug) => Node.SignService(Services.Single(s => s.Slug == slug));

    public ReceivedDocument Actor() => Received(ActorJson());

    public ReceivedDocument ServiceDocument(string slug) => Received(ServiceJson(slug));

    public ReceivedDocument Attestation() => Received(Node.SignAttestation(Charter!, Profile.Name));

    /// <summary>Everything a full poll of the node fetches.</summary>
    public ChatonDocumentSet FullSet() => new(Actor())
    {
        Services = [.. Services.Select(s => ServiceDocument(s.Slug))],
        Attestation = Charter is null ? null : Attestation(),
        ServicesCollection = Received(Node.SignServices(Services)),
        ListedServiceIds = [.. Services.Select(s => ServiceId(s.Slug))],
    };

    /// <summary>Signs <paramref name="document"/> (its proof removed first) with this chaton's key, naming <paramref name="verificationMethod"/>.</summary>
    public JsonObject Resign(JsonObject document, string? verificationMethod = null)
    {
        var copy = document.DeepClone().AsObject();
        copy.Remove("proof");
        return new ProofSigner(Key, verificationMethod ?? Address.Ed25519KeyId, Time).Sign(copy);
    }

    public HostedServiceEntry Service(string slug, string name, string category, string software, Registration registration) => new()
    {
        Slug = slug,
        Name = name,
        Summary = $"{name} avec {software}.",
        Url = new Uri($"https://{slug}.{Address.BaseUrl.Host}/"),
        Category = category,
        Software = new ServiceSoftwareInfo(software, "1.0", "AGPL-3.0-or-later"),
        Registration = registration,
        Capacity = Capacity.Open,
        Status = ServiceStatus.Ok,
        Published = Day(2024, 6, 1),
        Updated = Day(2025, 2, 1),
    };

    public void Dispose() => Key.Dispose();
}
