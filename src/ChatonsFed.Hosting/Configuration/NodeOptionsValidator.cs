using System.Net;
using Microsoft.Extensions.Options;

namespace ChatonsFed.Hosting.Configuration;

/// <summary>Checks the settings at start-up; each message names the key and says how to fix it.</summary>
public sealed class NodeOptionsValidator : IValidateOptions<NodeOptions>
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

        if (!IsHandle(options.Handle))
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

        CheckRange(errors, "InboxUnverifiedRequestsPerMinute", options.InboxUnverifiedRequestsPerMinute, 1, int.MaxValue, "60");
        CheckRange(errors, "KeyFetchesPerMinute", options.KeyFetchesPerMinute, 1, int.MaxValue, "120");
        CheckRange(errors, "FailedHostMinutes", options.FailedHostMinutes, 0, 24 * 60, "10");
        CheckRange(errors, "RemoteCacheMaxEntries", options.RemoteCacheMaxEntries, 10, 10_000_000, "5000");
        CheckRange(errors, "RemoteCacheMaxBytes", options.RemoteCacheMaxBytes, 1024 * 1024, 64L * 1024 * 1024 * 1024, "33554432");

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

        CheckAggregator(options, errors);
        return errors;
    }

    private static void CheckRange(List<string> errors, string name, long value, long min, long max, string defaultValue)
    {
        if (value < min || value > max)
        {
            errors.Add($"{NodeOptions.Section}:{name} {value} is out of range; use a value from {min} to {max} (default {defaultValue})");
        }
    }

    private static void CheckAggregator(NodeOptions options, List<string> errors)
    {
        var key = $"{NodeOptions.Section}:{AggregatorOptions.Section}";
        var aggregator = options.Aggregator ?? new AggregatorOptions();
        if (!options.ServeChaton && !aggregator.Enabled)
        {
            errors.Add($"{NodeOptions.Section}:ServeChaton is false and {key}:Enabled is false: the node would serve nothing; set one of them to true");
        }

        if (!aggregator.Enabled)
        {
            return;
        }

        if (!IsHandle(aggregator.Handle))
        {
            errors.Add($"{key}:Handle '{aggregator.Handle}' is not a valid handle; use 1 to 64 letters, digits, '-', '_' or '.', e.g. directory");
        }
        else if (options.ServeChaton && string.Equals(aggregator.Handle, options.Handle, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{key}:Handle '{aggregator.Handle}' is also the chaton's handle; give the aggregator another one, e.g. directory");
        }

        if (string.IsNullOrWhiteSpace(aggregator.Database) || Path.IsPathRooted(aggregator.Database) && string.IsNullOrEmpty(Path.GetFileName(aggregator.Database)))
        {
            errors.Add($"{key}:Database is empty; use a file name such as directory.db");
        }
        else if (string.Equals(Path.GetFileName(aggregator.Database), Path.GetFileName(options.Database), StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{key}:Database '{aggregator.Database}' is the node's own database file; use another name, e.g. directory.db");
        }

        foreach (var seed in aggregator.Seeds)
        {
            if (!IsSeed(seed))
            {
                errors.Add($"{key}:Seeds entry '{seed}' is neither an account handle nor an http(s) URL; write acct:NAME@HOST, @NAME@HOST or https://HOST/actor");
            }
        }

        foreach (var federation in aggregator.ChatonsInfos?.Federations ?? [])
        {
            if (FederationProblem(federation) is { } problem)
            {
                errors.Add($"{key}:ChatonsInfos:Federations entry '{federation}' {problem}");
            }
        }

        var membership = aggregator.Membership ?? new AggregatorMembershipOptions();
        foreach (var root in membership.TrustRoots)
        {
            if (!IsSeed(root))
            {
                errors.Add($"{key}:Membership:TrustRoots entry '{root}' is neither an account handle nor an http(s) actor URL; write acct:NAME@HOST, @NAME@HOST or https://HOST/actor");
            }
        }

        if (membership.Quorum < 1)
        {
            errors.Add($"{key}:Membership:Quorum {membership.Quorum} must be at least 1: the number of endorsements, from admitted members on distinct hosts, that admit a chaton (default 2)");
        }

        if ((aggregator.Notes?.DigestAbove ?? 10) < 1)
        {
            errors.Add($"{key}:Notes:DigestAbove {aggregator.Notes!.DigestAbove} must be at least 1: the number of events above which one digest note is posted instead of one note each (default 10)");
        }

        CheckPositive(errors, $"{key}:ChatonsInfos:MaxReadTime", aggregator.ChatonsInfos?.MaxReadTime ?? TimeSpan.FromMinutes(5), "00:05:00");
        CheckPositive(errors, $"{key}:PollInterval", aggregator.PollInterval, "00:30:00");
        CheckPositive(errors, $"{key}:StaleAfter", aggregator.StaleAfter, "06:00:00");
        if (aggregator.ForgetAfter <= TimeSpan.Zero)
        {
            errors.Add($"{key}:ForgetAfter {aggregator.ForgetAfter} must be positive; use a period such as 30.00:00:00");
        }

        if (aggregator.RemoveAfter < TimeSpan.Zero)
        {
            errors.Add($"{key}:RemoveAfter {aggregator.RemoveAfter} is negative; use a grace period such as 3.00:00:00 (0 removes at the first 404 or 410)");
        }

        var discovery = aggregator.Discovery ?? new AggregatorDiscoveryOptions();
        CheckRange(errors, $"{key}:Discovery:MaxDepth", discovery.MaxDepth, 0, 100, 3);
        CheckRange(errors, $"{key}:Discovery:MaxChatons", discovery.MaxChatons, 1, 1_000_000, 5000);
        CheckRange(errors, $"{key}:Discovery:MaxNewPerSource", discovery.MaxNewPerSource, 1, 100_000, 50);
        CheckRange(errors, $"{key}:Discovery:PerHostConcurrency", discovery.PerHostConcurrency, 1, 256, 4);
        CheckRange(errors, $"{key}:Discovery:Concurrency", discovery.Concurrency, 1, 1024, 32);
        CheckRange(errors, $"{key}:Discovery:MaxFollowingPages", discovery.MaxFollowingPages, 1, 10_000, 20);
        var tiles = aggregator.Website?.TileUrl;
        if (!string.IsNullOrEmpty(tiles) && !IsTileTemplate(tiles))
        {
            errors.Add($"{key}:Website:TileUrl '{tiles}' is not a tile URL template; write https://HOST/{{z}}/{{x}}/{{y}}.png, or leave it empty to show the bundled country outlines only");
        }

        CheckObservatory(errors, $"{key}:Observatory", aggregator.Observatory ?? new AggregatorObservatoryOptions());
    }

    private static void CheckObservatory(List<string> errors, string key, AggregatorObservatoryOptions observatory)
    {
        if (observatory.Interval < AggregatorObservatoryOptions.MinInterval)
        {
            errors.Add($"{key}:Interval {observatory.Interval} is shorter than 5 seconds; use a period such as 00:30:00 (the default)");
        }

        foreach (var file in observatory.PrivateRootCertificates)
        {
            if (string.IsNullOrWhiteSpace(file) || !Path.IsPathRooted(file) || !File.Exists(file))
            {
                errors.Add($"{key}:PrivateRootCertificates entry '{file}' is not an existing file given by its absolute path; give the absolute path of a PEM certificate of a private certificate authority");
            }
        }
    }

    /// <summary>Whether <paramref name="template"/> is an http(s) URL with the {z}, {x} and {y} placeholders.</summary>
    public static bool IsTileTemplate(string template) =>
        template.Contains("{z}", StringComparison.Ordinal) && template.Contains("{x}", StringComparison.Ordinal) && template.Contains("{y}", StringComparison.Ordinal)
        && Uri.TryCreate(template.Replace("{", string.Empty, StringComparison.Ordinal).Replace("}", string.Empty, StringComparison.Ordinal), UriKind.Absolute, out var url)
        && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp);

    /// <summary>Why <paramref name="source"/> cannot be a federation file's address (an http(s) URL or a path), or null.</summary>
    public static string? FederationProblem(string? source)
    {
        var text = source?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            return "is empty; give the http(s) URL or the path of a ChatonsInfos federation file";
        }

        if (text.Contains("://", StringComparison.Ordinal))
        {
            return Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
                ? null
                : "is not an http(s) URL; give https://HOST/…/federation.properties or a path";
        }

        return text.IndexOfAny(Path.GetInvalidPathChars()) >= 0 ? "is not a usable path" : null;
    }

    private static void CheckPositive(List<string> errors, string key, TimeSpan value, string example)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{key} {value} must be a positive duration; write it as [d.]hh:mm:ss, e.g. {example}");
        }
    }

    private static void CheckRange(List<string> errors, string key, int value, int min, int max, int fallback)
    {
        if (value < min || value > max)
        {
            errors.Add($"{key} {value} is out of range; use a value from {min} to {max} (default {fallback})");
        }
    }

    /// <summary>Whether <paramref name="seed"/> reads as an account handle or an http(s) URL.</summary>
    public static bool IsSeed(string? seed)
    {
        var text = seed?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (text.Contains("://", StringComparison.Ordinal))
        {
            return Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp);
        }

        return Protocol.Discovery.AccountHandle.TryParse(text, out _, out _);
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

    /// <summary>
    /// 1 to 64 ASCII letters, digits and underscores, with dots and hyphens after the first (checked by hand: a regular
    /// expression would load its engine into every node for this one check at start).
    /// </summary>
    private static bool IsHandle(string? handle) =>
        handle is { Length: > 0 and <= 64 }
        && (char.IsAsciiLetterOrDigit(handle[0]) || handle[0] == '_')
        && handle.AsSpan(1).IndexOfAnyExcept(HandleCharacters) < 0;

    private static readonly System.Buffers.SearchValues<char> HandleCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-");
}
