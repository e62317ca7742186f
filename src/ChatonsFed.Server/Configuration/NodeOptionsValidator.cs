using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace ChatonsFed.Server.Configuration;

/// <summary>Checks the settings at start-up; each message names the key and says how to fix it.</summary>
public sealed partial class NodeOptionsValidator : IValidateOptions<NodeOptions>
{
    public ValidateOptionsResult Validate(string? name, NodeOptions options)
    {
        var errors = Check(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static IReadOnlyList<string> Check(NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var key = NodeOptions.Section;
        if (string.IsNullOrWhiteSpace(options.PublicUrl))
        {
            errors.Add($"{key}:PublicUrl is missing; set it to the node's public base URL, e.g. https://chaton.example (or CHATONSFED__PUBLICURL)");
        }
        else if (!Uri.TryCreate(options.PublicUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment) || !string.IsNullOrEmpty(url.UserInfo))
        {
            errors.Add($"{key}:PublicUrl '{options.PublicUrl}' is not an absolute http(s) URL without query or fragment; use e.g. https://chaton.example");
        }
        else if (!options.AllowPrivateNetwork)
        {
            if (url.Scheme != Uri.UriSchemeHttps)
            {
                errors.Add($"{key}:PublicUrl '{options.PublicUrl}' must use https; use an https URL, or set {key}:AllowPrivateNetwork to true for a local test node");
            }
            else if (IsPrivateHost(url.Host))
            {
                errors.Add($"{key}:PublicUrl '{options.PublicUrl}' names a loopback or private address; use the public host name, or set {key}:AllowPrivateNetwork to true for a local test node");
            }
        }

        if (!HandlePattern().IsMatch(options.Handle ?? string.Empty))
        {
            errors.Add($"{key}:Handle '{options.Handle}' is not a valid handle; use 1 to 64 letters, digits, '-', '_' or '.', e.g. my-chaton");
        }

        if (options.MaxBodyBytes is < 1024 or > 64L * 1024 * 1024)
        {
            errors.Add($"{key}:MaxBodyBytes {options.MaxBodyBytes} is out of range; use a value from 1024 to 67108864 (default {NodeOptions.DefaultMaxBodyBytes})");
        }

        if (options.MaxJsonDepth is < 8 or > 256)
        {
            errors.Add($"{key}:MaxJsonDepth {options.MaxJsonDepth} is out of range; use a value from 8 to 256 (default 32)");
        }

        if (options.InboxRequestsPerMinute < 1)
        {
            errors.Add($"{key}:InboxRequestsPerMinute must be at least 1 (default 120)");
        }

        if (options.AdminFailuresPerMinute < 1)
        {
            errors.Add($"{key}:AdminFailuresPerMinute must be at least 1 (default 5)");
        }

        foreach (var proxy in options.KnownProxies)
        {
            if (!IPAddress.TryParse(proxy, out _))
            {
                errors.Add($"{key}:KnownProxies entry '{proxy}' is not an IP address; list the reverse proxy's address, e.g. 127.0.0.1");
            }
        }

        foreach (var network in options.AllowedNetworks)
        {
            if (!IPNetwork.TryParse(network, out _))
            {
                errors.Add($"{key}:AllowedNetworks entry '{network}' is not a network in CIDR notation; write it as ADDRESS/PREFIX, e.g. 10.1.0.0/16");
            }
        }

        if (string.IsNullOrWhiteSpace(options.Database) || Path.IsPathRooted(options.Database) && string.IsNullOrEmpty(Path.GetFileName(options.Database)))
        {
            errors.Add($"{key}:Database is empty; use a file name such as chatonsfed.db");
        }

        return errors;
    }

    /// <summary>Whether a host is a loopback, private, link-local or unique-local address (or localhost).</summary>
    public static bool IsPrivateHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!IPAddress.TryParse(host.Trim('[', ']'), out var address))
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        var b = address.GetAddressBytes();
        return b.Length == 4 && (b[0] == 10 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] >= 64 && b[1] <= 127));
    }

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex HandlePattern();
}
