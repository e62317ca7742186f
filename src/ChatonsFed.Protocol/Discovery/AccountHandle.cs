using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace ChatonsFed.Protocol.Discovery;

/// <summary>
/// An account as WebFinger names it: <c>acct:NAME@HOST</c> (RFC 7565). Also read from the
/// <c>@NAME@HOST</c> and <c>NAME@HOST</c> forms people type. The host is kept lowercased, with its port if any.
/// </summary>
public sealed record AccountHandle
{
    private AccountHandle(string name, string host)
    {
        Name = name;
        Host = host;
    }

    public string Name { get; }

    /// <summary>Lowercase host name or address, with <c>:port</c> when one was given.</summary>
    public string Host { get; }

    public string ToAcctUri() => $"acct:{Name}@{Host}";

    /// <summary>The <c>@NAME@HOST</c> form Mastodon shows.</summary>
    public override string ToString() => $"@{Name}@{Host}";

    /// <exception cref="ProtocolFormatException">The text is not an account handle; the message says why.</exception>
    public static AccountHandle Parse(string text) =>
        TryParse(text, out var handle, out var error) ? handle : throw new ProtocolFormatException(error);

    public static bool TryParse(
        [NotNullWhen(true)] string? text,
        [NotNullWhen(true)] out AccountHandle? handle,
        [NotNullWhen(false)] out string? error)
    {
        handle = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "An account handle is empty.";
            return false;
        }

        if (text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            error = $"The account handle '{text}' contains white space or control characters.";
            return false;
        }

        var rest = text;
        if (rest.StartsWith("acct:", StringComparison.OrdinalIgnoreCase))
        {
            rest = rest[5..];
        }
        else if (rest.StartsWith('@'))
        {
            rest = rest[1..];
        }
        else if (rest.Contains("://", StringComparison.Ordinal))
        {
            error = $"'{text}' is a URL, not an account handle (expected acct:NAME@HOST, @NAME@HOST or NAME@HOST).";
            return false;
        }

        if (rest.IndexOfAny(['?', '#', '/']) >= 0)
        {
            error = $"The account handle '{text}' must not contain '/', '?' or '#'.";
            return false;
        }

        var at = rest.LastIndexOf('@');
        if (at < 0)
        {
            error = $"The account handle '{text}' has no '@HOST' part (expected acct:NAME@HOST, @NAME@HOST or NAME@HOST).";
            return false;
        }

        if (at == 0)
        {
            error = $"The account handle '{text}' has no name before '@'.";
            return false;
        }

        if (!TryDecodeName(rest[..at], out var name))
        {
            error = $"The name in '{text}' has a malformed percent-encoding.";
            return false;
        }

        if (name.Contains('@', StringComparison.Ordinal))
        {
            error = $"The account handle '{text}' has more than one '@' separating name and host.";
            return false;
        }

        var host = rest[(at + 1)..].ToLowerInvariant();
        if (!IsValidHost(host))
        {
            error = $"'{rest[(at + 1)..]}' in '{text}' is not a valid host name (with an optional port).";
            return false;
        }

        handle = new AccountHandle(name, host);
        error = null;
        return true;
    }

    private static bool IsValidHost(string host)
    {
        if (host.Length == 0)
        {
            return false;
        }

        var hostPart = host;
        var colon = host.LastIndexOf(':');
        if (colon >= 0 && !host.EndsWith(']'))
        {
            var port = host[(colon + 1)..];
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
            {
                return false;
            }

            hostPart = host[..colon];
        }

        return Uri.CheckHostName(hostPart.Trim('[', ']')) is UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6;
    }

    // RFC 7565: percent-encoded unreserved characters in the user part mean those characters.
    private static bool TryDecodeName(string encoded, out string name)
    {
        name = encoded;
        if (!encoded.Contains('%', StringComparison.Ordinal))
        {
            return true;
        }

        var bytes = new List<byte>(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            if (encoded[i] != '%')
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(encoded[i].ToString()));
                continue;
            }

            if (i + 2 >= encoded.Length
                || !byte.TryParse(encoded.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            bytes.Add(value);
            i += 2;
        }

        name = Encoding.UTF8.GetString([.. bytes]);
        return true;
    }
}
