using System.Text.Json.Nodes;
using ChatonsFed.Directory.Node;
using ChatonsFed.Protocol.Keys;
using ChatonsFed.Protocol.Proofs;
using ChatonsFed.Protocol.Vocabulary;
using CsCheck;
using Microsoft.Extensions.Time.Testing;

namespace ChatonsFed.Directory.Tests;

/// <summary>Any valid state of a node builds documents that read back through the vocabulary and verify against its actor.</summary>
public sealed class PropertyTests
{
    private const string TextChars = "abcdefghijklmnopqrstuvwxyzéèàçùœ ABCDEFXYZ0123456789<>&\"'.,:;!?()/-\n";
    private const string LowerChars = "abcdefghijklmnopqrstuvwxyz0123456789";

    private static readonly DateTimeOffset Epoch = new(2016, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Gen<string> Text = Gen.String[Gen.Char[TextChars], 0, 80];
    private static readonly Gen<string> Name = Gen.Select(Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZ"], Gen.String[Gen.Char[TextChars], 0, 40], (first, rest) => first + rest);
    private static readonly Gen<string> Label = Gen.String[Gen.Char[LowerChars], 1, 12];
    private static readonly Gen<Uri> WebUrl = Gen.Select(Label, Gen.String[Gen.Char[LowerChars + "-_/"], 0, 20], (host, path) => new Uri($"https://{host}.example/{path}"));
    private static readonly Gen<string> Country = Gen.OneOf([.. CountryCodes.All]);
    private static readonly Gen<(DateTimeOffset Published, DateTimeOffset Updated)> Dates =
        Gen.Select(Gen.Int[0, 365 * 10], Gen.Int[0, 86_399], Gen.Int[0, 2000], (day, second, later) =>
        {
            var published = Epoch.AddDays(day).AddSeconds(second);
            return (published, published.AddHours(later));
        });

    private static readonly Gen<ChatonProfile> Profiles =
        Gen.Select(Name, Text, WebUrl.Null(), Gen.Enum<StructureType>(), Gen.Select(Gen.Enum<MembershipStatus>(), Gen.Int[0, 3000], (s, d) => new Node.Membership(s, DateOnly.FromDateTime(Epoch.UtcDateTime).AddDays(d), null)).Null(), Country.Null(), Gen.Select(Text.Null(), Gen.Double[-90, 90], Gen.Double[-180, 180], (n, lat, lon) => new GeoLocation(n, lat, lon)).Null(), Gen.Select(Dates, Gen.Bool, Label, (dates, mail, user) => (dates, mail ? $"mailto:{user}@chaton.example" : $"https://{user}.example/contact")))
        .Select(WebUrl.Null(), WebUrl.Null(), Gen.Bool, (t, legal, icon, flag) => new ChatonProfile
        {
            Name = t.Item1,
            Summary = t.Item2,
            Website = t.Item3,
            StructureType = t.Item4,
            Membership = t.Item5,
            Country = t.Item6,
            Location = t.Item7,
            Contact = t.Item8.Item2,
            LegalNotice = legal,
            Icon = icon,
            Image = icon,
            Discoverable = flag,
            Indexable = !flag,
            Published = t.Item8.dates.Published,
            Updated = t.Item8.dates.Updated,
        });

    private static readonly Gen<HostedServiceEntry> Services =
        Gen.Select(Name, Text, WebUrl, Gen.OneOf([.. ServiceCategoryCatalog.LoadDefault().Categories.Select(c => c.Id), "unknown-kind"]), Gen.Select(Label, Label.Null(), Gen.OneOf("AGPL-3.0-or-later", "MIT", "GPL-2.0-only OR MIT"), (n, v, l) => new ServiceSoftwareInfo(n, v, l, new Uri($"https://src.example/{n}"))).Null(), Gen.Enum<Registration>(), Gen.Enum<Capacity>(), Gen.Enum<ServiceStatus>())
        .Select(Gen.Select(Gen.OneOf("PHYSICAL", "VIRTUAL", "NANO"), Gen.OneOf("HOME", "OUTSOURCED"), Country, (s, p, c) => new ServiceHostingInfo(s, p, c)).Null(), Dates, (t, hosting, dates) => new HostedServiceEntry
        {
            Slug = "placeholder",
            Name = t.Item1,
            Summary = t.Item2,
            Url = t.Item3,
            Category = t.Item4,
            Software = t.Item5,
            Registration = t.Item6,
            Capacity = t.Item7,
            Status = t.Item8,
            Hosting = hosting,
            Published = dates.Published,
            Updated = dates.Updated,
        });

    private static readonly Gen<CharterDeclaration> Declarations =
        Gen.Select(Gen.Bool.Array[CharterCriteriaCatalog.LoadDefault().Criteria.Count], Text.Null().Array[CharterCriteriaCatalog.LoadDefault().Criteria.Count], Dates, (met, notes, dates) => new CharterDeclaration
        {
            Charter = new CharterReference(new Uri("https://chatons.org/fr/charte"), "2016-v1", "sha256-" + Convert.ToBase64String(new byte[32])),
            Criteria = [.. CharterCriteriaCatalog.LoadDefault().Criteria.Select((c, i) => new CriterionAnswer(c.Id, met[i], notes[i]))],
            Published = dates.Published,
            Updated = dates.Updated,
        });

    private static readonly Gen<NodeAddress> Addresses =
        Gen.Select(Label, Gen.OneOf("", "c/0001/", "chaton"), Gen.String[Gen.Char[LowerChars + "_.-"], 1, 20], Gen.Int[0, 2], (host, path, handle, port) =>
            new NodeAddress(new Uri(port == 0 ? $"https://{host}.example/{path}" : $"http://{host}.example:{8000 + port}/{path}"), handle));

    private static readonly Gen<NodeState> States =
        Gen.Select(Profiles, Services.List[0, 5], Declarations.Null(), (profile, services, charter) =>
            new NodeState(profile, [.. services.Select((s, i) => s with { Slug = $"s{i}" })], charter));

    [Fact]
    public void Generated_states_are_valid()
    {
        States.Sample(state =>
        {
            Assert.Empty(state.Profile.Validate());
            Assert.All(state.Services, s => Assert.Empty(s.Validate()));
            Assert.Empty(state.Charter?.Validate(CharterCriteriaCatalog.LoadDefault()) ?? []);
        });
    }

    [Fact]
    public void Any_valid_state_builds_documents_that_verify_and_read_back()
    {
        Gen.Select(States, Addresses, Gen.Byte.Array[32]).Sample((state, address, seed) =>
        {
            using var key = Ed25519KeyPair.FromSeed(seed);
            var node = new NodeDocuments(address, key, TestKeys.TestRsaPublicKeyPem, new FakeTimeProvider(ExampleChaton.Now));
            var actor = node.SignActor(state.Profile);

            var documents = new List<JsonObject> { actor, node.SignServices(state.Services) };
            documents.AddRange(state.Services.Select(node.SignService));
            if (state.Charter is not null)
            {
                documents.Add(node.SignAttestation(state.Charter, state.Profile.Name));
            }

            foreach (var change in NodeChanges.Between(null, state))
            {
                documents.AddRange(node.SignActivities(change, state).Select(a => a.Json));
            }

            foreach (var document in documents)
            {
                var result = ProofVerifier.Verify(document, actor);
                Assert.True(result.IsValid, $"{document["id"]}: {result}");
                var parsed = ActivityStreamsJson.Parse(document.ToJsonString());
                Assert.True(JsonNode.DeepEquals(document, JsonNode.Parse(ActivityStreamsJson.Serialize(parsed))), document["id"]!.ToString());
                Assert.StartsWith(address.Root + "/", document["id"]!.GetValue<string>(), StringComparison.Ordinal);
            }
        }, iter: 60);
    }
}
