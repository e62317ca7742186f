using ChatonsFed.Directory.Node;
using ChatonsFed.Node.Admin;

namespace ChatonsFed.Cli.Demo;

/// <summary>What the demo publishes for one chaton: the same changes 'profile set', 'service add' and 'attestation set' make.</summary>
internal sealed record DemoChaton(string Handle, string Name, ProfileChanges Profile, IReadOnlyList<ServiceChanges> Services, AttestationChanges Attestation);

/// <summary>
/// The demo's chatons: those of the collective's ChatonsInfos federation sample (an association and an individual,
/// with their services; each service's category is the one whose typical software it runs), and a cooperative whose
/// services are typical software of the shared category list.
/// </summary>
internal static class DemoChatons
{
    public static IReadOnlyList<DemoChaton> Create()
    {
        var categories = ServiceCategoryCatalog.LoadDefault();
        var criteria = CharterCriteriaCatalog.LoadDefault();
        var federation = ChatonsInfosSample.Load("federation.properties");
        var chatons = federation.Subs().Select(sub => FromSample(sub.Name, ChatonsInfosSample.Load(sub.FileName), categories, criteria)).ToList();
        chatons.Add(Cooperative(categories, criteria));
        return chatons;
    }

    private static DemoChaton FromSample(string handle, ChatonsInfosSample organization, ServiceCategoryCatalog categories, CharterCriteriaCatalog criteria)
    {
        var name = organization["organization.name"] ?? handle;
        var email = organization["organization.contact.email"];
        var profile = new ProfileChanges
        {
            Summary = organization["organization.description"],
            Website = organization["organization.website"],
            Latitude = organization.Number("organization.geolocation.latitude"),
            Longitude = organization.Number("organization.geolocation.longitude"),
            PlaceName = PlaceOf(organization["organization.geolocation.address"]),
            StructureType = organization["organization.type"]?.ToUpperInvariant(),
            Country = organization["organization.country.code"],
            MembershipStatus = organization["organization.memberof.chatons.status.level"]?.ToUpperInvariant(),
            MemberSince = organization.Date("organization.memberof.chatons.startdate"),
            Contact = email is null ? organization["organization.contact.url"] : "mailto:" + email,
            LegalNotice = organization["organization.legal.url"],
            Icon = organization.First("organization.logo", "organization.logo.url"),
        };
        var services = organization.Subs().Select(sub => Service(sub.Name, ChatonsInfosSample.Load(sub.FileName), categories)).ToList();

        // A chaton whose membership is paused says so in its declaration: its server is not online for everyone.
        var pause = organization["organization.memberof.chatons.status.description"];
        var attestation = profile.MembershipStatus == "ACTIVE"
            ? new AttestationChanges { AllRequiredMet = true, Met = Recommended(criteria) }
            : new AttestationChanges
            {
                AllRequiredMet = true,
                NotMet = ["hoster.online"],
                Notes = pause is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["hoster.online"] = pause },
            };
        return new DemoChaton(handle, name, profile, services, attestation);
    }

    private static ServiceChanges Service(string slug, ChatonsInfosSample service, ServiceCategoryCatalog categories)
    {
        var software = service["software.name"];
        var category = categories.Categories.FirstOrDefault(c => c.Software.Contains(software ?? string.Empty, StringComparer.OrdinalIgnoreCase));
        return new ServiceChanges
        {
            Slug = slug,
            Category = category?.Id ?? ServiceCategoryCatalog.OtherId,
            Name = service["service.name"],
            Summary = service["service.description"],
            Url = service["service.website"],
            Software = software,
            SoftwareVersion = service["software.version"],
            License = service["software.license.name"],
            SourceCode = service["software.source.url"],
            Registration = service["service.registration"]?.ToLowerInvariant(),
            Capacity = service["service.registration.load"]?.ToLowerInvariant(),
            Status = service["service.status.level"]?.ToUpperInvariant() switch
            {
                null => null,
                "OK" => "ok",
                "WARNING" or "ALERT" => "degraded",
                "ERROR" => "down",
                _ => "closed",
            },
        };
    }

    /// <summary>The town of a French postal address ("12 rue des Alpes, 26000 Valence" gives "Valence").</summary>
    private static string? PlaceOf(string? address)
    {
        var last = address?.Split(',')[^1].Trim();
        return last is null ? null : string.Join(' ', last.Split(' ').Where(word => !word.All(char.IsAsciiDigit))).Trim() is { Length: > 0 } town ? town : null;
    }

    private static List<string> Recommended(CharterCriteriaCatalog criteria) =>
        [.. criteria.Criteria.Where(c => c.Level == CriterionLevel.Recommended).Select(c => c.Id)];

    /// <summary>A third chaton, a cooperative in Grenoble, running the first typical software of a few shared categories.</summary>
    private static DemoChaton Cooperative(ServiceCategoryCatalog categories, CharterCriteriaCatalog criteria)
    {
        ServiceChanges Typical(string categoryId, string slug, string registration)
        {
            var category = categories.Describe(categoryId);
            var software = category.Software.Count > 0 ? category.Software[0] : category.LabelFr;
            return new ServiceChanges
            {
                Slug = slug,
                Category = category.Id,
                Name = $"{category.LabelFr} des Castors",
                Summary = $"{category.LabelFr} ({software}) pour les membres de la coopérative et leurs proches.",
                Url = $"https://{slug}.castors.example/",
                Software = software,
                Registration = registration,
                Capacity = "open",
                Status = "ok",
            };
        }

        return new DemoChaton(
            "castors",
            "Les Castors du Libre",
            new ProfileChanges
            {
                Summary = "Coopérative d'hébergement libre et local, à Grenoble.\n\nNous hébergeons associations, écoles et collectifs de l'Isère.",
                Website = "https://castors.example/",
                Latitude = 45.1885,
                Longitude = 5.7245,
                PlaceName = "Grenoble",
                StructureType = "COOPERATIVE",
                Country = "FR",
                MembershipStatus = "ACTIVE",
                MemberSince = "2021-10-12",
                Contact = "mailto:contact@castors.example",
                LegalNotice = "https://castors.example/mentions-legales",
            },
            [Typical("file-storage", "cloud", "client"), Typical("social-network", "social", "free"), Typical("polls", "sondages", "none")],
            new AttestationChanges { AllRequiredMet = true, Met = Recommended(criteria).Take(2).ToList(), NotMet = Recommended(criteria).Skip(2).ToList() });
    }
}
