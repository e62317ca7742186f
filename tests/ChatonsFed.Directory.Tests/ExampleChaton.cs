using ChatonsFed.Directory.Node;
using Microsoft.Extensions.Time.Testing;

namespace ChatonsFed.Directory.Tests;

/// <summary>The domain model of the example chaton in the shared design folder (Lynx Net), and a node that publishes it.</summary>
internal static class ExampleChaton
{
    public static readonly DateTimeOffset Now = new(2025, 9, 1, 8, 30, 0, TimeSpan.Zero);

    public static NodeAddress Address { get; } = new(new Uri("https://chaton.example/c/0001/"), "chaton-0001");

    public static ChatonProfile Profile { get; } = new()
    {
        Name = "Lynx Net",
        Summary = "Lynx Net : chaton associatif à La Rochelle. Services : Messagerie instantanée, Tableur collaboratif, Bureautique, Gestionnaire de galeries photo, Stockage / partage d'images.",
        Website = new Uri("https://chaton-0001.example/"),
        StructureType = StructureType.Association,
        Membership = new Membership(MembershipStatus.Idle, new DateOnly(2023, 1, 9), null),
        Country = "FR",
        Location = new GeoLocation("La Rochelle", 46.19155, -1.15641),
        Contact = "mailto:contact@chaton-0001.example",
        LegalNotice = new Uri("https://chaton-0001.example/mentions-legales"),
        Icon = new Uri("https://chaton-0001.example/logo.png"),
        ServicesPage = new Uri("https://chaton-0001.example/services"),
        Published = Day(2024, 11, 6),
        Updated = Day(2025, 3, 27),
    };

    public static IReadOnlyList<HostedServiceEntry> Services { get; } =
    [
        Service("1", "Messagerie instantanée", "instant-messaging", "Synapse", "24.2.0", "AGPL-3.0-only", Registration.Member, Capacity.Open, Day(2025, 3, 23), Day(2025, 5, 30)),
        Service("2", "Tableur collaboratif", "spreadsheet", "Ethercalc", "13.6.8", "AGPL-3.0-or-later", Registration.Free, Capacity.Open, Day(2025, 5, 16), Day(2025, 8, 8)),
        Service("3", "Bureautique", "office-suite", "Collabora Online", "28.9.7", "AGPL-3.0-or-later", Registration.Member, Capacity.Full, Day(2024, 12, 17), Day(2025, 3, 18)),
        Service("4", "Gestionnaire de galeries photo", "photo-gallery", "Lychee", "10.4.3", "AGPL-3.0-or-later", Registration.Member, Capacity.Open, Day(2025, 2, 15), Day(2025, 4, 24)),
        Service("5", "Stockage / partage d'images", "image-hosting", "Pictshare", "26.11.1", "AGPL-3.0-or-later", Registration.Free, Capacity.Open, Day(2025, 4, 21), Day(2025, 5, 20)),
    ];

    public static CharterDeclaration Charter { get; } = new()
    {
        Charter = new CharterReference(new Uri("https://chatons.org/fr/charte"), "2016-v1", "sha256-rWDn8J4EBxr5nv0IiyyB+bHzM8ZZyzJ8PyNWOA+ks0c="),
        Criteria = [.. CharterCriteriaCatalog.LoadDefault().Criteria.Select(c =>
            c.Id == "solidarity.spread" ? new CriterionAnswer(c.Id, false, "Pas encore.") : new CriterionAnswer(c.Id, true))],
        Published = Day(2024, 11, 6),
        Updated = Day(2025, 3, 27),
    };

    public static NodeState State { get; } = new(Profile, Services, Charter);

    /// <summary>A node publishing the example chaton with the test keys, its clock stopped at <see cref="Now"/>.</summary>
    public static NodeDocuments Node(FakeTimeProvider? time = null, NodeAddress? address = null) =>
        new(address ?? Address, TestKeys.TestEd25519Key(), TestKeys.TestRsaPublicKeyPem, time ?? new FakeTimeProvider(Now));

    public static DateTimeOffset Day(int year, int month, int day) => new(year, month, day, 0, 0, 0, TimeSpan.Zero);

    private static HostedServiceEntry Service(string slug, string label, string category, string software, string version, string license, Registration registration, Capacity capacity, DateTimeOffset published, DateTimeOffset updated) => new()
    {
        Slug = slug,
        Name = $"{label} ({software})",
        Summary = $"{label} avec {software}, hébergé par Lynx Net.",
        Url = new Uri($"https://{category}.chaton-0001.example/"),
        Category = category,
        Software = new ServiceSoftwareInfo(software, version, license, new Uri("https://source.example/" + software.ToLowerInvariant().Replace(' ', '-'))),
        Registration = registration,
        Capacity = capacity,
        Status = ServiceStatus.Ok,
        Hosting = new ServiceHostingInfo("PHYSICAL", "OUTSOURCED", "FR"),
        Published = published,
        Updated = updated,
    };
}
