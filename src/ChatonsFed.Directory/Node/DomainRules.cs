using System.Text.RegularExpressions;

namespace ChatonsFed.Directory.Node;

/// <summary>Checks shared by the domain records' <c>Validate</c> methods.</summary>
internal static partial class DomainRules
{
    public static bool IsSlug(string? value) => value is not null && SlugPattern().IsMatch(value);

    public static bool IsCategoryId(string? value) => value is not null && CategoryPattern().IsMatch(value);

    public static bool IsSpdxExpression(string value) => SpdxPattern().IsMatch(value);

    public static bool IsWebUrl(Uri? url) =>
        url is { IsAbsoluteUri: true } && url.Scheme is "https" or "http" && url.Host.Length > 0;

    public static bool IsSha256Digest(string? value)
    {
        const string prefix = "sha256-";
        if (value is null || !value.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[33];
        return Convert.TryFromBase64String(value[prefix.Length..], bytes, out var written) && written == 32;
    }

    public static void CheckOptionalWebUrl(List<string> problems, string field, Uri? url)
    {
        if (url is not null && !IsWebUrl(url))
        {
            problems.Add($"{field}: \"{url}\" must be an absolute http or https URL.");
        }
    }

    public static void CheckCountry(List<string> problems, string field, string? country)
    {
        if (country is not null && !CountryCodes.IsAssigned(country))
        {
            problems.Add($"{field}: \"{country}\" is not an ISO 3166-1 alpha-2 code in upper case (such as FR, BE, CH).");
        }
    }

    public static void CheckContact(List<string> problems, string field, string? contact)
    {
        if (contact is null)
        {
            return;
        }

        if (!Uri.TryCreate(contact, UriKind.Absolute, out var uri))
        {
            problems.Add($"{field}: \"{contact}\" must be an http(s) URL or a mailto: URI.");
        }
        else if (uri.Scheme == Uri.UriSchemeMailto)
        {
            if (!contact.StartsWith("mailto:", StringComparison.Ordinal) || !contact.Contains('@', StringComparison.Ordinal))
            {
                problems.Add($"{field}: \"{contact}\" must be written mailto:name@domain.");
            }
        }
        else if (!IsWebUrl(uri))
        {
            problems.Add($"{field}: \"{contact}\" must be an http(s) URL or a mailto: URI.");
        }
    }

    public static void CheckDefined<TEnum>(List<string> problems, string field, TEnum value)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            problems.Add($"{field}: {value} is not a defined {typeof(TEnum).Name}.");
        }
    }

    public static void CheckDates(List<string> problems, DateTimeOffset published, DateTimeOffset updated)
    {
        if (published == default)
        {
            problems.Add("published: is not set.");
        }

        if (updated < published)
        {
            problems.Add($"updated: {updated:O} is before published {published:O}.");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex SlugPattern();

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex CategoryPattern();

    // An SPDX id (LicenseRef- ids included), optionally combined with AND / OR / WITH and parentheses.
    [GeneratedRegex(@"^\(?[A-Za-z0-9.+-]+\)?( (AND|OR|WITH) \(?[A-Za-z0-9.+-]+\)?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex SpdxPattern();
}
