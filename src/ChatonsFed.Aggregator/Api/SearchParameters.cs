using System.Globalization;
using ChatonsFed.Aggregator.ChatonsInfosSource;
using ChatonsFed.Aggregator.Search;
using ChatonsFed.Directory.Node;
using ChatonsFed.Protocol.Membership;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace ChatonsFed.Aggregator.Api;

/// <summary>Reads a <see cref="SearchQuery"/> from the query string of <c>GET /api/directory/search</c>; every refusal says which parameter and why.</summary>
public static class SearchParameters
{
    /// <summary>The parameters understood, as the OpenAPI document lists them.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["category", "family", "software", "q", "near", "radius", "bbox", "structure", "registration", "open", "membership", "country", "charter", "stale", "sort", "limit", "offset", "cursor", "source", "admission", "observed", "thirdParty"];

    /// <summary>
    /// The <c>source</c> parameter: <c>signed</c> (the default: verified entries only), <c>chatonsinfos</c> (unsigned
    /// entries only) or, where <paramref name="allowAll"/>, <c>all</c>.
    /// </summary>
    public static bool TryParseSource(IQueryCollection query, bool allowAll, out DirectorySource source, out string? error)
    {
        ArgumentNullException.ThrowIfNull(query);
        error = null;
        source = DirectorySource.Verified;
        var values = query["source"];
        var text = values.Count == 1 ? values.ToString().Trim() : null;
        switch (values.Count == 0 ? "signed" : text)
        {
            case "signed" or "":
                return true;
            case "chatonsinfos":
                source = DirectorySource.ChatonsInfos;
                return true;
            case "all" when allowAll:
                source = DirectorySource.All;
                return true;
            default:
                error = values.Count > 1
                    ? $"source is given {values.Count} times; give it once"
                    : $"source '{text}' must be {(allowAll ? "signed, chatonsinfos or all" : "signed (verified entries) or chatonsinfos (unsigned entries)")}";
                return false;
        }
    }

    public static bool TryParse(IQueryCollection query, out SearchQuery search, out string? error)
    {
        ArgumentNullException.ThrowIfNull(query);
        search = new SearchQuery();
        error = null;
        foreach (var key in query.Keys)
        {
            if (!Names.Contains(key, StringComparer.Ordinal))
            {
                error = $"unknown parameter '{key}'; the parameters are {string.Join(", ", Names)}";
                return false;
            }
        }

        try
        {
            search = new SearchQuery
            {
                Categories = List(query["category"]),
                Families = List(query["family"]),
                Software = List(query["software"]),
                Text = Single(query, "q"),
                Registrations = Enums<Registration>(query["registration"], "registration"),
                StructureTypes = Enums<StructureType>(query["structure"], "structure"),
                MembershipStatuses = Enums<MembershipStatus>(query["membership"], "membership"),
                Country = Single(query, "country")?.ToUpperInvariant(),
                OpenToNewAccounts = Bool(query, "open") ?? false,
                DeclaresAllRequiredCriteria = Single(query, "charter") switch
                {
                    null => null,
                    "all" or "true" => true,
                    "notall" or "false" => false,
                    var other => throw new FormatException($"charter '{other}' must be 'all' (declares every required criterion met) or 'notall'"),
                },
                Admission = Single(query, "admission") switch
                {
                    null or "any" => null,
                    var text when TrustComputation.WireNames.TryParse(text, out var status) => status,
                    var other => throw new FormatException($"admission '{other}' must be admitted, candidate, lapsed, revoked or any"),
                },
                ObservedUp = Single(query, "observed") switch
                {
                    null or "any" => false,
                    "up" => true,
                    var other => throw new FormatException($"observed '{other}' must be up (every service up at its last check) or any"),
                },
                NoThirdParty = Single(query, "thirdParty") switch
                {
                    null or "any" => false,
                    "none" => true,
                    var other => throw new FormatException($"thirdParty '{other}' must be none (the website and services load no third-party host) or any"),
                },
                IncludeStale = Single(query, "stale") switch
                {
                    null or "include" => true,
                    "exclude" => false,
                    var other => throw new FormatException($"stale '{other}' must be 'include' or 'exclude'"),
                },
                Near = Near(query),
                Within = Box(Single(query, "bbox")),
                Sort = Single(query, "sort") switch
                {
                    null or "name" => SearchSort.Name,
                    "distance" => SearchSort.Distance,
                    "updated" => SearchSort.LastUpdated,
                    var other => throw new FormatException($"sort '{other}' must be name, distance or updated"),
                },
                Limit = Int(query, "limit", 20, 1, SearchQuery.MaxLimit),
                Offset = Int(query, "offset", 0, 0, int.MaxValue),
                Cursor = Single(query, "cursor"),
            };
        }
        catch (FormatException e)
        {
            error = e.Message;
            return false;
        }

        if (search.Sort == SearchSort.Distance && search.Near is null)
        {
            error = "sort=distance needs a centre: give near=LAT,LON and radius=KM";
            return false;
        }

        return true;
    }

    private static string? Single(IQueryCollection query, string name)
    {
        var values = query[name];
        if (values.Count > 1)
        {
            throw new FormatException($"{name} is given {values.Count} times; give it once");
        }

        var value = values.ToString().Trim();
        return value.Length == 0 ? null : value;
    }

    /// <summary>Values given several times, or separated by commas.</summary>
    private static List<string>? List(StringValues values)
    {
        var list = values.SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        return list.Count == 0 ? null : list;
    }

    private static List<TEnum>? Enums<TEnum>(StringValues values, string name)
        where TEnum : struct, Enum
    {
        if (List(values) is not { } list)
        {
            return null;
        }

        var parsed = new List<TEnum>();
        foreach (var value in list)
        {
            if (!WireNames.TryParse<TEnum>(value, out var item, out _) && !WireNames.TryParse(value.ToUpperInvariant(), out item, out _) && !WireNames.TryParse(value.ToLowerInvariant(), out item, out _))
            {
                throw new FormatException($"{name} '{value}' is not one of {string.Join(", ", WireNames.AllowedValues<TEnum>())}");
            }

            parsed.Add(item);
        }

        return parsed;
    }

    private static bool? Bool(IQueryCollection query, string name) => Single(query, name) switch
    {
        null => null,
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        var other => throw new FormatException($"{name} '{other}' must be true or false"),
    };

    private static int Int(IQueryCollection query, string name, int fallback, int min, int max)
    {
        var text = Single(query, name);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new FormatException($"{name} '{text}' must be a whole number from {min} to {max}");
        }

        return value;
    }

    private static GeoCircle? Near(IQueryCollection query)
    {
        var near = Single(query, "near");
        var radius = Single(query, "radius");
        if (near is null)
        {
            return radius is null ? null : throw new FormatException("radius needs near=LAT,LON");
        }

        var point = Numbers(near, "near", 2);
        if (point[0] is < -90 or > 90 || point[1] is < -180 or > 180)
        {
            throw new FormatException($"near '{near}' must be LAT,LON with latitude from -90 to 90 and longitude from -180 to 180");
        }

        if (radius is null)
        {
            throw new FormatException("near needs radius=KM, e.g. radius=50");
        }

        if (!double.TryParse(radius, NumberStyles.Float, CultureInfo.InvariantCulture, out var km) || !double.IsFinite(km) || km <= 0 || km > 20_100)
        {
            throw new FormatException($"radius '{radius}' must be a number of kilometres above 0 and at most 20100");
        }

        return new GeoCircle(point[0], point[1], km);
    }

    private static GeoBox? Box(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var box = Numbers(text, "bbox", 4);
        if (box[0] is < -90 or > 90 || box[2] is < -90 or > 90 || box[1] is < -180 or > 180 || box[3] is < -180 or > 180 || box[0] > box[2])
        {
            throw new FormatException($"bbox '{text}' must be SOUTH,WEST,NORTH,EAST in degrees, south not above north");
        }

        return new GeoBox(box[0], box[1], box[2], box[3]);
    }

    private static double[] Numbers(string text, string name, int count)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var numbers = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]) || !double.IsFinite(numbers[i]))
            {
                throw new FormatException($"{name} '{text}' must be {count} numbers separated by commas");
            }
        }

        return parts.Length == count ? numbers : throw new FormatException($"{name} '{text}' must be {count} numbers separated by commas");
    }
}
