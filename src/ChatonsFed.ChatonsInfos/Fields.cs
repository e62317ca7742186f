using System.Globalization;

namespace ChatonsFed.ChatonsInfos;

/// <summary>Typed reads of a file's lines: each read marks its key used, and a value it cannot use is a warning.</summary>
internal sealed class Fields
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "dd/MM/yyyy", "d/M/yyyy", "yyyy/MM/dd", "dd-MM-yyyy"];

    private static readonly HashSet<string> CommonKeys = ["file.class", "file.protocol", "file.datetime", "file.generator", "file.url"];

    private static readonly string[] CommonPrefixes = ["subs.", "metrics."];

    private static readonly Dictionary<ChatonsInfosClass, (HashSet<string> Keys, string[] Prefixes)> KnownKeys = new()
    {
        [ChatonsInfosClass.Federation] = (
            Keys("federation", ["name", "description", "website", "logo", "legal.url", "guide.technical", "guide.user", "contact.url", "contact.email", "startdate", "enddate"]),
            ["federation.socialnetworks.", "federation.chatrooms.", "federation.funding."]),
        [ChatonsInfosClass.Organization] = (
            Keys("organization", [
                "name", "description", "type", "status.level", "status.description", "website", "logo", "logo.url", "legal.url", "guide.technical",
                "guide.user", "contact.url", "contact.email", "startdate", "enddate", "country.name", "country.code", "geolocation.latitude",
                "geolocation.longitude", "geolocation.address", "chatonsfed.actor", "owner.name", "owner.website", "owner.logo",
            ]),
            ["organization.socialnetworks.", "organization.chatrooms.", "organization.funding.", "organization.memberof."]),
        [ChatonsInfosClass.Service] = (
            [
                .. Keys("service", [
                    "name", "description", "logo", "website", "legal.url", "guide.technical", "guide.user", "contact.url", "contact.email", "startdate",
                    "enddate", "status.level", "status.description", "registration", "registration.load", "install.type", "chatonsfed.category",
                ]),
                .. Keys("software", ["name", "website", "license.url", "license.name", "version", "source.url", "modules"]),
                .. Keys("host", ["name", "description", "server.distribution", "server.type", "provider.type", "provider.hypervisor", "country.name", "country.code"]),
            ],
            []),
    };

    private readonly Dictionary<string, PropertyLine> _lines;
    private readonly IReadOnlyList<PropertyLine> _ordered;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private readonly List<ChatonsInfosWarning> _warnings;
    private readonly ChatonsInfosLimits _limits;
    private int _dropped;

    public Fields(IReadOnlyList<PropertyLine> lines, IReadOnlyList<ChatonsInfosWarning> warnings, ChatonsInfosLimits limits)
    {
        _ordered = lines;
        _lines = lines.ToDictionary(l => l.Key, StringComparer.Ordinal);
        _warnings = [.. warnings];
        _limits = limits;
    }

    public IReadOnlyList<ChatonsInfosWarning> Warnings => _dropped == 0
        ? _warnings
        : [.. _warnings, new ChatonsInfosWarning(0, $"{_dropped} more warning(s) not shown")];

    public ChatonsInfosFileHeader? Header(out string? error)
    {
        error = null;
        if (Text("file.class") is not { } name)
        {
            error = "no file.class line: this is not a ChatonsInfos file";
            return null;
        }

        ChatonsInfosClass? type = name.ToLowerInvariant() switch
        {
            "federation" => ChatonsInfosClass.Federation,
            "organization" or "organisation" => ChatonsInfosClass.Organization,
            "service" => ChatonsInfosClass.Service,
            _ => null,
        };
        if (type is null)
        {
            error = $"file.class is '{PropertiesReader.Shorten(name)}', not federation, organization or service";
            return null;
        }

        return new ChatonsInfosFileHeader(type.Value, Text("file.protocol"), Text("file.datetime"), Text("file.generator"), Url("file.url"));
    }

    public string? Text(string key)
    {
        if (!_lines.TryGetValue(key, out var line) || line.Value.Trim().Length == 0)
        {
            return null;
        }

        _used.Add(key);
        return line.Value.Trim();
    }

    public Uri? Url(string key) => Read(key, value =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.Host.Length > 0 ? uri : null,
        "is not an http(s) URL");

    public string? Email(string key) => Read(key, value =>
    {
        var address = value.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? value[7..] : value;
        var at = address.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at < address.Length - 1 && !address.Any(c => char.IsWhiteSpace(c) || c is '/' or '<' or '>') ? address : null;
    }, "is not an e-mail address");

    public string? Country(string key) => Read(key, value =>
        value.Length == 2 && value.All(char.IsAsciiLetter) ? value.ToUpperInvariant() : null,
        "is not a two-letter country code");

    public string? Choice(string key, IReadOnlyList<string> allowed) => Read(key, value =>
        allowed.FirstOrDefault(a => a.Equals(value, StringComparison.OrdinalIgnoreCase)),
        "is not one of " + string.Join(", ", allowed));

    /// <summary>Decimal degrees within ±<paramref name="limit"/>, with a dot or a comma as decimal separator.</summary>
    public double? Degrees(string key, double limit) => Read<double?>(key, value =>
        double.TryParse(value.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) && Math.Abs(number) <= limit
            ? number
            : null,
        $"is not a number of degrees from -{limit} to {limit}");

    /// <summary>A date written <c>yyyy-mm-dd</c>, <c>dd/mm/yyyy</c>, or an ISO date and time (its date is kept).</summary>
    public DateOnly? Date(string key) => Read<DateOnly?>(key, value =>
        DateOnly.TryParseExact(value, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
        : value.Length > 10 && value[10] is 'T' or ' ' && DateOnly.TryParseExact(value[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day
        : null,
        "is not a date (yyyy-mm-dd or dd/mm/yyyy)");

    /// <summary>The record with its subs and its unused lines; unknown keys are warned about.</summary>
    public ChatonsInfosFile Finish(ChatonsInfosFile file, ChatonsInfosClass type)
    {
        var subs = new List<SubReference>();
        var skippedSubs = 0;
        foreach (var line in _ordered.Where(l => l.Key.StartsWith("subs.", StringComparison.Ordinal)))
        {
            var id = line.Key[5..];
            if (subs.Count >= _limits.MaxSubs)
            {
                skippedSubs++;
                continue;
            }

            if (Url(line.Key) is { } url)
            {
                subs.Add(new SubReference(id, url, line.Line));
            }
        }

        if (skippedSubs > 0)
        {
            Warn(new ChatonsInfosWarning(0, $"{skippedSubs} subs. line(s) beyond the limit of {_limits.MaxSubs} skipped"));
        }

        var (keys, prefixes) = KnownKeys[type];
        foreach (var line in _ordered.Where(l => !_used.Contains(l.Key) && l.Value.Length > 0))
        {
            var known = CommonKeys.Contains(line.Key) || keys.Contains(line.Key)
                || CommonPrefixes.Any(p => line.Key.StartsWith(p, StringComparison.Ordinal))
                || prefixes.Any(p => line.Key.StartsWith(p, StringComparison.Ordinal));
            if (!known)
            {
                Warn(new ChatonsInfosWarning(line.Line, $"unknown key {PropertiesReader.Shorten(line.Key)}, ignored"));
            }
        }

        return file with
        {
            Subs = subs,
            Used = [.. _ordered.Where(l => _used.Contains(l.Key) && !l.Key.StartsWith("file.", StringComparison.Ordinal) && !l.Key.StartsWith("subs.", StringComparison.Ordinal))],
            Unused = [.. _ordered.Where(l => !_used.Contains(l.Key) && l.Value.Length > 0 && !l.Key.StartsWith("subs.", StringComparison.Ordinal))],
        };
    }

    private T? Read<T>(string key, Func<string, T?> convert, string problem)
    {
        if (!_lines.TryGetValue(key, out var line) || line.Value.Trim().Length == 0)
        {
            return default;
        }

        var value = line.Value.Trim();
        var result = convert(value);
        if (result is null)
        {
            Warn(new ChatonsInfosWarning(line.Line, $"{key} '{PropertiesReader.Shorten(value)}' {problem}; skipped"));
            return default;
        }

        _used.Add(key);
        return result;
    }

    private void Warn(ChatonsInfosWarning warning)
    {
        if (_warnings.Count < _limits.MaxWarnings)
        {
            _warnings.Add(warning);
        }
        else
        {
            _dropped++;
        }
    }

    private static HashSet<string> Keys(string prefix, string[] names) => [.. names.Select(n => prefix + "." + n)];
}
