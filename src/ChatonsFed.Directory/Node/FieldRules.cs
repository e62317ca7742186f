using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ChatonsFed.Directory.Text;

namespace ChatonsFed.Directory.Node;

/// <summary>
/// Reads the values an owner gives for a chaton's description (from the command line or the admin API) into the
/// form the node stores and publishes. Each rule returns the normalised value, or throws an
/// <see cref="InvalidFieldException"/> whose one-line message starts with the field's name and says what is expected.
/// An empty value, where a field is optional, clears it (null).
/// </summary>
public static partial class FieldRules
{
    /// <summary>Longest slug the node makes from a service's name.</summary>
    public const int MaxGeneratedSlugLength = 48;

    /// <summary>The trimmed value; throws when it is missing or blank, explaining what <paramref name="what"/> the field holds.</summary>
    public static string Required(string field, string? value, string what) =>
        string.IsNullOrWhiteSpace(value) ? throw Invalid(field, $"{field} is required: {what}") : value.Trim();

    /// <summary>Free text: <paramref name="current"/> when no value is given, null when it is blank, else the trimmed value.</summary>
    public static string? Text(string? value, string? current) =>
        value is null ? current : value.Trim().Length == 0 ? null : value.Trim();

    /// <summary>An absolute http or https URL, written as <see cref="Uri.AbsoluteUri"/>.</summary>
    public static string? WebUrl(string field, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            return null;
        }

        return Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri.AbsoluteUri
            : throw Invalid(field, $"{field} '{value}' is not an http(s) URL; use e.g. https://chaton.example/");
    }

    /// <summary>An assigned ISO 3166-1 alpha-2 code, in upper case.</summary>
    public static string? Country(string field, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var country = value.Trim().ToUpperInvariant();
        return country.Length == 0 ? null
            : CountryCodes.IsAssigned(country) ? country
            : throw Invalid(field, $"{field} '{value}' is not an ISO 3166-1 alpha-2 code; use two letters such as FR or BE");
    }

    /// <summary>A <c>mailto:</c> URI (a bare address gets the prefix) or an http(s) URL.</summary>
    public static string? Contact(string field, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.Trim();
        if (trimmed.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            return trimmed.Contains('@', StringComparison.Ordinal) ? trimmed
                : throw Invalid(field, $"{field} '{value}' is not a mailto: address; use e.g. mailto:contact@chaton.example");
        }

        if (trimmed.Contains('@', StringComparison.Ordinal) && !trimmed.Contains('/', StringComparison.Ordinal))
        {
            return "mailto:" + trimmed;
        }

        return WebUrl(field, trimmed);
    }

    /// <summary>A calendar date written YYYY-MM-DD.</summary>
    public static string? Date(string field, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Trim().Length == 0 ? null
            : DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                : throw Invalid(field, $"{field} '{value}' is not a date; use YYYY-MM-DD, e.g. 2020-01-01");
    }

    /// <summary>A position: both coordinates given, the latitude from -90 to 90 and the longitude from -180 to 180 degrees.</summary>
    public static (double Latitude, double Longitude) Location(double? latitude, double? longitude)
    {
        if (latitude is null || longitude is null)
        {
            throw Invalid(latitude is null ? "latitude" : "longitude", "latitude and longitude go together; give both, e.g. latitude 44.93 and longitude 4.89");
        }

        return (Degrees("latitude", latitude.Value, 90), Degrees("longitude", longitude.Value, 180));
    }

    /// <summary>
    /// One of <paramref name="allowed"/>, whatever the case it is given in, written as the list writes it.
    /// </summary>
    public static string? OneOf(string field, string value, IReadOnlyList<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(allowed);
        return value.Length == 0 ? null
            : allowed.FirstOrDefault(a => a.Equals(value, StringComparison.OrdinalIgnoreCase))
                ?? throw Invalid(field, $"{field} '{value}' is not one of {string.Join(", ", allowed)}");
    }

    /// <summary>One of the wire names of <typeparamref name="TEnum"/> (<see cref="WireNames"/>), whatever the case it is given in.</summary>
    public static string? WireName<TEnum>(string field, string value)
        where TEnum : struct, Enum => OneOf(field, value, WireNames.AllowedValues<TEnum>());

    /// <summary>A slug the owner chooses for a new service: lower-case letters, digits and '-', at most 64 characters.</summary>
    public static string Slug(string field, string value) =>
        value is not null && InputSlugPattern().IsMatch(value) ? value
            : throw Invalid(field, $"{field} '{value}' is not a slug; use lower-case letters, digits and '-', e.g. pad");

    /// <summary>
    /// A slug made from a service's name: accents folded, other characters turned into '-', at most
    /// <see cref="MaxGeneratedSlugLength"/> characters; <c>service</c> when nothing is left.
    /// </summary>
    public static string SlugFrom(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        // Accents are folded by the directory's table (string.Normalize does nothing under InvariantGlobalization).
        var builder = new StringBuilder();
        foreach (var c in TextFolding.Fold(name))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(c);
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        var slug = builder.ToString().Trim('-');
        if (slug.Length == 0)
        {
            return "service";
        }

        return slug.Length > MaxGeneratedSlugLength ? slug[..MaxGeneratedSlugLength].TrimEnd('-') : slug;
    }

    /// <summary>A service category id: lower-case words joined by '-', at most 64 characters.</summary>
    public static string CategoryId(string field, string value) =>
        value is not null && value.Length <= 64 && DomainRules.IsCategoryId(value) ? value
            : throw Invalid(field, $"{field} '{value}' is not a category id; use lower-case words joined by '-', e.g. collaborative-writing");

    /// <summary>Checks that a licence, when given, is an SPDX licence id or expression.</summary>
    public static void License(string field, string? license)
    {
        if (license is not null && !DomainRules.IsSpdxExpression(license))
        {
            throw Invalid(field, $"{field} '{license}' is not an SPDX licence id or expression; use e.g. AGPL-3.0-or-later or MIT OR Apache-2.0");
        }
    }

    /// <summary>The form of a charter criterion id (such as <c>open.free-software</c>); whether the list has it is checked apart.</summary>
    public static string CriterionId(string value) =>
        value is not null && CriterionPattern().IsMatch(value) ? value
            : throw new InvalidFieldException("criteria", $"'{value}' is not a criterion id; use the ids of the charter criteria list, e.g. open.free-software");

    /// <summary>A domain name (or IP address) in lower case, without a final dot.</summary>
    public static string Domain(string value)
    {
        var name = (value ?? string.Empty).Trim().TrimEnd('.').ToLowerInvariant();
        return Uri.CheckHostName(name) is UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6 && !name.Contains('/', StringComparison.Ordinal)
            ? name
            : throw new InvalidFieldException("domain", $"'{value}' is not a domain name; give a host such as spam.example");
    }

    private static double Degrees(string field, double value, double limit) =>
        double.IsNaN(value) || value < -limit || value > limit
            ? throw Invalid(field, $"{field} {value.ToString(CultureInfo.InvariantCulture)} is out of range; use a value from -{limit} to {limit}")
            : value;

    private static InvalidFieldException Invalid(string field, string message) => new(field, message);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex InputSlugPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex CriterionPattern();
}
