using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ChatonsFed.Directory.Node;

namespace ChatonsFed.TestFleet;

/// <summary>What one synthetic chaton publishes, before it has an address.</summary>
internal sealed record ChatonContent(ChatonProfile Profile, IReadOnlyList<HostedServiceEntry> Services, CharterDeclaration Declaration);

/// <summary>
/// Makes plausible chatons from a seed: French names with accents, towns spread over France, the legal forms of the
/// collective, services of the shared category list with their usual free software, and charter declarations.
/// Chaton <c>n</c> is the same whatever the size of the fleet, as long as the seed is the same.
/// </summary>
internal static class SyntheticChatons
{
    private static readonly (string Word, bool Feminine)[] Nouns =
    [
        ("Le Chaton", false), ("La Ruche", true), ("Le Hérisson", false), ("L'Écureuil", false), ("La Châtaigne", true),
        ("Le Nuage", false), ("La Mésange", true), ("L'Hirondelle", true), ("Le Castor", false), ("La Libellule", true),
        ("Le Blaireau", false), ("La Loutre", true), ("Le Colibri", false), ("La Fourmilière", true), ("L'Étoile", true),
        ("Le Rucher", false), ("La Coopérative", true), ("L'Atelier", false), ("Le Réseau", false), ("La Fabrique", true),
        ("Le Terrier", false), ("La Clairière", true), ("Le Moulin", false), ("La Guinguette", true), ("Le Sémaphore", false),
    ];

    private static readonly (string Masculine, string Feminine)[] Qualifiers =
    [
        ("Libre", "Libre"), ("Solidaire", "Solidaire"), ("Éthique", "Éthique"), ("Numérique", "Numérique"),
        ("Coopératif", "Coopérative"), ("Émancipé", "Émancipée"), ("Décentralisé", "Décentralisée"), ("Tranquille", "Tranquille"),
        ("Bienveillant", "Bienveillante"), ("Écologique", "Écologique"), ("Indépendant", "Indépendante"), ("Fédéré", "Fédérée"),
        ("Sobre", "Sobre"), ("Ouvert", "Ouverte"), ("Autogéré", "Autogérée"), ("Têtu", "Têtue"),
    ];

    // Prefectures and towns from every part of mainland France and Corsica, in decimal degrees.
    private static readonly (string Name, double Latitude, double Longitude)[] Towns =
    [
        ("Paris", 48.8566, 2.3522), ("Marseille", 43.2965, 5.3698), ("Lyon", 45.7640, 4.8357), ("Toulouse", 43.6047, 1.4442),
        ("Nice", 43.7102, 7.2620), ("Nantes", 47.2184, -1.5536), ("Montpellier", 43.6108, 3.8767), ("Strasbourg", 48.5734, 7.7521),
        ("Bordeaux", 44.8378, -0.5792), ("Lille", 50.6292, 3.0573), ("Rennes", 48.1173, -1.6778), ("Reims", 49.2583, 4.0317),
        ("Saint-Étienne", 45.4397, 4.3872), ("Toulon", 43.1242, 5.9280), ("Le Havre", 49.4944, 0.1079), ("Grenoble", 45.1885, 5.7245),
        ("Dijon", 47.3220, 5.0415), ("Angers", 47.4784, -0.5632), ("Nîmes", 43.8367, 4.3601), ("Clermont-Ferrand", 45.7772, 3.0870),
        ("Le Mans", 48.0061, 0.1996), ("Aix-en-Provence", 43.5297, 5.4474), ("Brest", 48.3904, -4.4861), ("Tours", 47.3941, 0.6848),
        ("Amiens", 49.8941, 2.2958), ("Limoges", 45.8336, 1.2611), ("Annecy", 45.8992, 6.1294), ("Perpignan", 42.6887, 2.8948),
        ("Besançon", 47.2378, 6.0241), ("Metz", 49.1193, 6.1757), ("Orléans", 47.9030, 1.9093), ("Rouen", 49.4432, 1.0999),
        ("Mulhouse", 47.7508, 7.3359), ("Caen", 49.1829, -0.3707), ("Nancy", 48.6921, 6.1844), ("Avignon", 43.9493, 4.8055),
        ("Poitiers", 46.5802, 0.3404), ("La Rochelle", 46.1603, -1.1511), ("Pau", 43.2951, -0.3708), ("Bayonne", 43.4929, -1.4748),
        ("Valence", 44.9334, 4.8924), ("Chambéry", 45.5646, 5.9178), ("Quimper", 47.9960, -4.1024), ("Vannes", 47.6582, -2.7608),
        ("Lorient", 47.7483, -3.3700), ("Saint-Brieuc", 48.5136, -2.7603), ("Troyes", 48.2973, 4.0744), ("Béziers", 43.3442, 3.2158),
        ("Ajaccio", 41.9192, 8.7386), ("Bastia", 42.6970, 9.4503), ("Albi", 43.9289, 2.1464), ("Rodez", 44.3506, 2.5750),
        ("Aurillac", 44.9264, 2.4397), ("Périgueux", 45.1846, 0.7214), ("Agen", 44.2033, 0.6163), ("Montauban", 44.0176, 1.3550),
        ("Gap", 44.5594, 6.0786), ("Digne-les-Bains", 44.0925, 6.2356), ("Mende", 44.5181, 3.5006), ("Privas", 44.7353, 4.5992),
        ("Niort", 46.3237, -0.4588), ("Angoulême", 45.6484, 0.1562), ("Guéret", 46.1716, 1.8717), ("Nevers", 46.9908, 3.1590),
        ("Auxerre", 47.7982, 3.5673), ("Épinal", 48.1724, 6.4496), ("Colmar", 48.0794, 7.3585), ("Châlons-en-Champagne", 48.9566, 4.3631),
        ("Laval", 48.0707, -0.7734), ("Alençon", 48.4329, 0.0913), ("Évreux", 49.0241, 1.1508), ("Beauvais", 49.4295, 2.0807),
        ("Arras", 50.2910, 2.7775), ("Dunkerque", 51.0343, 2.3768), ("Cherbourg-en-Cotentin", 49.6337, -1.6222), ("Saint-Malo", 48.6493, -2.0257),
        ("Foix", 42.9653, 1.6072), ("Tarbes", 43.2328, 0.0781), ("Carcassonne", 43.2130, 2.3491), ("Sète", 43.4028, 3.6936),
        ("Die", 44.7537, 5.3703), ("Forcalquier", 43.9597, 5.7803), ("Millau", 44.0986, 3.0783), ("Lons-le-Saunier", 46.6744, 5.5558),
    ];

    // Weighted as the collective is: mostly associations.
    private static readonly (StructureType Type, int Weight)[] Structures =
    [
        (StructureType.Association, 60), (StructureType.Informal, 10), (StructureType.Cooperative, 10), (StructureType.Microcompany, 8),
        (StructureType.Company, 4), (StructureType.Individual, 6), (StructureType.Other, 2),
    ];

    private static readonly (Registration Mode, int Weight)[] Registrations =
        [(Registration.None, 20), (Registration.Free, 45), (Registration.Member, 25), (Registration.Client, 10)];

    private static readonly (ServiceStatus Status, int Weight)[] Statuses =
        [(ServiceStatus.Ok, 85), (ServiceStatus.Degraded, 8), (ServiceStatus.Down, 4), (ServiceStatus.Closed, 3)];

    private static readonly string[] ServerTypes = ["NANO", "PHYSICAL", "VIRTUAL", "SHARED", "CLOUD"];
    private static readonly string[] ProviderTypes = ["HOME", "HOSTEDBAY", "HOSTEDSERVER", "OUTSOURCED"];

    private static readonly Dictionary<string, string> Licences = new(StringComparer.Ordinal)
    {
        ["Nextcloud"] = "AGPL-3.0-or-later",
        ["Etherpad"] = "Apache-2.0",
        ["PeerTube"] = "AGPL-3.0-or-later",
        ["Jitsi Meet"] = "Apache-2.0",
        ["Gitea"] = "MIT",
        ["Forgejo"] = "GPL-3.0-or-later",
        ["Discourse"] = "GPL-2.0-or-later",
        ["Framadate"] = "CECILL-B",
        ["Shaarli"] = "Zlib",
        ["Wallabag"] = "MIT",
        ["WordPress"] = "GPL-2.0-or-later",
        ["CryptPad"] = "AGPL-3.0-or-later",
        ["PrivateBin"] = "Zlib",
        ["Lufi"] = "AGPL-3.0-or-later",
        ["Prosody"] = "MIT",
        ["Kanboard"] = "MIT",
        ["LimeSurvey"] = "GPL-2.0-or-later",
        ["Mastodon"] = "AGPL-3.0-only",
        ["SearXNG"] = "AGPL-3.0-or-later",
    };

    private static readonly string[] CriterionNotes =
    [
        "Mis en place cette année, documentation à venir.", "Voir nos statuts et notre rapport d'activité.",
        "Statistiques de fréquentation anonymisées, sans cookie.", "Chiffrement des disques prévu au prochain renouvellement du serveur.",
        "Nous en parlons à chaque assemblée générale.", "Rencontres mensuelles au café associatif du quartier.",
    ];

    /// <summary>The handle of the chaton at <paramref name="index"/>: <c>c0001</c> for 0, with more digits past 9,999.</summary>
    public static string Handle(int index, int count) =>
        "c" + (index + 1).ToString(CultureInfo.InvariantCulture).PadLeft(Math.Max(4, count.ToString(CultureInfo.InvariantCulture).Length), '0');

    /// <summary>A generator that deals out distinct names, chaton after chaton.</summary>
    public static Func<int, string, DateTimeOffset, ChatonContent> Generator(int seed, int servicesPerChaton)
    {
        var categories = ServiceCategoryCatalog.LoadDefault().Categories;
        var criteria = CharterCriteriaCatalog.LoadDefault();
        ArgumentOutOfRangeException.ThrowIfGreaterThan(servicesPerChaton, categories.Count);
        ArgumentOutOfRangeException.ThrowIfNegative(servicesPerChaton);
        var charter = new CharterReference(criteria.Charter.Url, criteria.Charter.Version, CharterDigest(criteria));
        var usedNames = new HashSet<string>(StringComparer.Ordinal);
        return (index, handle, now) =>
        {
            var random = RandomFor(seed, "content", index);
            var town = Towns[random.Next(Towns.Length)];
            var name = DistinctName(random, town.Name, usedNames);
            var since = Day(now, random, 3000, 60);
            var profile = NewProfile(random, handle, name, town, since, now);
            var services = NewServices(random, handle, name, categories, servicesPerChaton, profile.Published, now);
            profile = profile with { Summary = Summary(name, profile.StructureType, town.Name, since.Year, services, categories) };
            var declaration = NewDeclaration(random, criteria, charter, profile.Published, now);
            return new ChatonContent(profile, services, declaration);
        };
    }

    /// <summary>A random source of its own for each chaton and purpose, so that chatons do not depend on each other.</summary>
    public static Random RandomFor(int seed, string purpose, int index) =>
        new(BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}/{purpose}/{index}")), 0));

    /// <summary>The 32-byte seed of a chaton's Ed25519 key.</summary>
    public static byte[] Ed25519Seed(int seed, int index) =>
        SHA256.HashData(Encoding.UTF8.GetBytes($"chatonsfed-fleet/{seed}/ed25519/{index}"));

    private static ChatonProfile NewProfile(Random random, string handle, string name, (string Name, double Latitude, double Longitude) town, DateTimeOffset since, DateTimeOffset now)
    {
        var site = new Uri($"https://{handle}.example/");
        var status = Pick(random, [(MembershipStatus.Active, 85), (MembershipStatus.Idle, 10), (MembershipStatus.Away, 5)]);
        var published = since.AddDays(random.Next(0, 30));
        var updated = Between(random, published, now);
        return new ChatonProfile
        {
            Name = name,
            Website = site,
            StructureType = Pick(random, Structures),
            Membership = new Membership(status, DateOnly.FromDateTime(since.UtcDateTime), status == MembershipStatus.Away ? DateOnly.FromDateTime(since.UtcDateTime).AddYears(2) : null),
            Country = "FR",
            Location = new GeoLocation(town.Name, Jitter(random, town.Latitude), Jitter(random, town.Longitude)),
            Contact = random.Next(4) == 0 ? new Uri(site, "contact").AbsoluteUri : $"mailto:contact@{handle}.example",
            LegalNotice = new Uri(site, "mentions-legales"),
            Icon = random.Next(3) == 0 ? null : new Uri(site, "logo.png"),
            Published = published,
            Updated = updated,
        };
    }

    private static List<HostedServiceEntry> NewServices(Random random, string handle, string chatonName, IReadOnlyList<ServiceCategory> categories, int count, DateTimeOffset since, DateTimeOffset now)
    {
        var services = new List<HostedServiceEntry>(count);
        foreach (var category in categories.OrderBy(_ => random.Next()).Take(count))
        {
            var software = category.Software.Count > 0 ? category.Software[random.Next(category.Software.Count)] : "Logiciel libre";
            var published = Between(random, since, now);
            services.Add(new HostedServiceEntry
            {
                Slug = category.Id,
                Name = random.Next(2) == 0 ? software : category.LabelFr,
                Summary = $"{category.LabelFr} proposé par {chatonName}, avec {software}.",
                Url = new Uri($"https://{category.Id}.{handle}.example/"),
                Category = category.Id,
                Software = new ServiceSoftwareInfo(
                    software,
                    string.Create(CultureInfo.InvariantCulture, $"{random.Next(1, 30)}.{random.Next(0, 20)}.{random.Next(0, 10)}"),
                    Licences.GetValueOrDefault(software)),
                Registration = Pick(random, Registrations),
                Capacity = random.Next(100) < 85 ? Capacity.Open : Capacity.Full,
                Status = Pick(random, Statuses),
                Hosting = new ServiceHostingInfo(ServerTypes[random.Next(ServerTypes.Length)], ProviderTypes[random.Next(ProviderTypes.Length)], random.Next(10) == 0 ? "DE" : "FR"),
                Published = published,
                Updated = Between(random, published, now),
            });
        }

        return services;
    }

    private static CharterDeclaration NewDeclaration(Random random, CharterCriteriaCatalog criteria, CharterReference charter, DateTimeOffset since, DateTimeOffset now)
    {
        // Most chatons meet every required criterion; the others miss one or two, and say why.
        var allRequired = random.Next(100) < 85;
        var missed = allRequired
            ? []
            : criteria.Criteria.Where(c => c.Level == CriterionLevel.Required).OrderBy(_ => random.Next()).Take(random.Next(1, 3)).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var answers = criteria.Criteria.Select(c =>
        {
            var met = c.Level == CriterionLevel.Required ? !missed.Contains(c.Id) : random.Next(100) < 60;
            var note = !met || random.Next(8) == 0 ? CriterionNotes[random.Next(CriterionNotes.Length)] : null;
            return new CriterionAnswer(c.Id, met, note);
        }).ToList();
        var published = Between(random, since, now);
        return new CharterDeclaration { Charter = charter, Criteria = answers, Published = published, Updated = Between(random, published, now) };
    }

    private static string DistinctName(Random random, string town, HashSet<string> used)
    {
        for (var attempt = 0; ; attempt++)
        {
            var (noun, feminine) = Nouns[random.Next(Nouns.Length)];
            var (masculine, femininePart) = Qualifiers[random.Next(Qualifiers.Length)];
            var qualifier = feminine ? femininePart : masculine;
            var name = random.Next(3) switch
            {
                0 => $"{noun} {qualifier}",
                1 => $"{noun} {Of(town)}",
                _ => $"{noun} {qualifier} {Of(town)}",
            };
            if (attempt > 20)
            {
                name += " " + (used.Count + 1).ToString(CultureInfo.InvariantCulture);
            }

            if (used.Add(name))
            {
                return name;
            }
        }
    }

    // "de Lyon", "d'Évry", "du Havre".
    private static string Of(string town) =>
        town.StartsWith("Le ", StringComparison.Ordinal) ? "du " + town[3..]
        : "AEIOUÉÈÎ".Contains(town[0], StringComparison.Ordinal) ? "d'" + town
        : "de " + town;

    private static string Summary(string name, StructureType structure, string town, int year, IReadOnlyList<HostedServiceEntry> services, IReadOnlyList<ServiceCategory> categories)
    {
        var what = structure switch
        {
            StructureType.Association => "une association",
            StructureType.Informal => "un collectif informel",
            StructureType.Cooperative => "une coopérative",
            StructureType.Microcompany => "une micro-entreprise",
            StructureType.Company => "une entreprise",
            StructureType.Individual => "une personne",
            _ => "une structure",
        };
        var labels = services.Select(s => categories.First(c => c.Id == s.Category).LabelFr.ToLowerInvariant());
        return $"{name} est {what} qui héberge des services libres et éthiques à {town} et alentour depuis {year}.\n\n"
            + $"Nous proposons : {string.Join(", ", labels)}.";
    }

    private static string CharterDigest(CharterCriteriaCatalog criteria)
    {
        var text = criteria.Charter.Id + "\n" + criteria.Charter.Version + "\n" + string.Join("\n", criteria.Criteria.Select(c => c.Id));
        return "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static T Pick<T>(Random random, (T Value, int Weight)[] weighted)
    {
        var roll = random.Next(weighted.Sum(w => w.Weight));
        foreach (var (value, weight) in weighted)
        {
            if (roll < weight)
            {
                return value;
            }

            roll -= weight;
        }

        return weighted[^1].Value;
    }

    // Whole seconds, as documents and Last-Modified write them.
    private static DateTimeOffset Day(DateTimeOffset now, Random random, int maxDaysAgo, int minDaysAgo) =>
        Seconds(now.AddDays(-random.Next(minDaysAgo, maxDaysAgo)).AddSeconds(-random.Next(86_400)));

    private static DateTimeOffset Between(Random random, DateTimeOffset from, DateTimeOffset to) =>
        to <= from ? from : Seconds(from.AddSeconds(random.NextInt64((long)(to - from).TotalSeconds)));

    private static DateTimeOffset Seconds(DateTimeOffset instant) => DateTimeOffset.FromUnixTimeSeconds(instant.ToUnixTimeSeconds());

    private static double Jitter(Random random, double degrees) => Math.Round(degrees + ((random.NextDouble() - 0.5) * 0.06), 5);
}
