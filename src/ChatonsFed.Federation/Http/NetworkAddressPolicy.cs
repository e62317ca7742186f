using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace ChatonsFed.Federation.Http;

/// <summary>
/// Decides which IP addresses an outbound request may connect to: public unicast addresses only, unless the
/// options allow private networks or name an allowed network.
/// </summary>
public static class NetworkAddressPolicy
{
    private static readonly (IPNetwork Network, string Name)[] RefusedV4 =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "an unspecified ('this network') address"),
        (IPNetwork.Parse("10.0.0.0/8"), "a private address"),
        (IPNetwork.Parse("100.64.0.0/10"), "a carrier-grade NAT address"),
        (IPNetwork.Parse("127.0.0.0/8"), "a loopback address"),
        (IPNetwork.Parse("169.254.0.0/16"), "a link-local address"),
        (IPNetwork.Parse("172.16.0.0/12"), "a private address"),
        (IPNetwork.Parse("192.0.0.0/24"), "an IETF protocol assignment address"),
        (IPNetwork.Parse("192.0.2.0/24"), "a documentation address"),
        (IPNetwork.Parse("192.88.99.0/24"), "a 6to4 relay address"),
        (IPNetwork.Parse("192.168.0.0/16"), "a private address"),
        (IPNetwork.Parse("198.18.0.0/15"), "a benchmarking address"),
        (IPNetwork.Parse("198.51.100.0/24"), "a documentation address"),
        (IPNetwork.Parse("203.0.113.0/24"), "a documentation address"),
        (IPNetwork.Parse("224.0.0.0/4"), "a multicast address"),
        (IPNetwork.Parse("240.0.0.0/4"), "a reserved address"),
    ];

    private static readonly (IPNetwork Network, string Name)[] RefusedV6 =
    [
        (IPNetwork.Parse("::/128"), "an unspecified address"),
        (IPNetwork.Parse("::1/128"), "a loopback address"),
        (IPNetwork.Parse("::/96"), "an IPv4-compatible address"),
        (IPNetwork.Parse("100::/64"), "a discard-only address"),
        (IPNetwork.Parse("2001:db8::/32"), "a documentation address"),
        (IPNetwork.Parse("fc00::/7"), "a unique local (private) address"),
        (IPNetwork.Parse("fe80::/10"), "a link-local address"),
        (IPNetwork.Parse("fec0::/10"), "a site-local address"),
        (IPNetwork.Parse("ff00::/8"), "a multicast address"),
    ];

    /// <summary>Refused when <see cref="OutboundHttpOptions.AlwaysRefuseLinkLocal"/> is set, whatever else is allowed.</summary>
    private static readonly (IPNetwork Network, string Name)[] LinkLocal =
    [
        (IPNetwork.Parse("169.254.0.0/16"), "a link-local address"),
        (IPNetwork.Parse("fe80::/10"), "a link-local address"),
        (IPNetwork.Parse("fd00:ec2::254/128"), "a cloud metadata address"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>Why <paramref name="address"/> is not a public unicast address; false when it is one.</summary>
    public static bool TryGetRefusal(IPAddress address, [NotNullWhen(true)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return TryGetRefusal(address.MapToIPv4(), out reason);
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            if (address.Equals(IPAddress.Broadcast))
            {
                reason = "the broadcast address";
                return true;
            }

            return Match(RefusedV4, address, out reason);
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            reason = $"not an IP address ({address.AddressFamily})";
            return true;
        }

        if (Match(RefusedV6, address, out reason))
        {
            return true;
        }

        // Addresses that carry an IPv4 address inside: judge the embedded one.
        if (Embedded(address) is var (kind, inside) && TryGetRefusal(inside, out var inner))
        {
            reason = $"a {kind} address of {inner}";
            return true;
        }

        reason = null;
        return false;
    }

    /// <summary>The IPv4 address a NAT64 or 6to4 IPv6 address carries, with the name of its kind; null for any other.</summary>
    private static (string Kind, IPAddress Inside)? Embedded(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        var bytes = address.GetAddressBytes();
        return Nat64.Contains(address) ? ("NAT64", new IPAddress(bytes.AsSpan(12, 4)))
            : SixToFour.Contains(address) ? ("6to4", new IPAddress(bytes.AsSpan(2, 4)))
            : null;
    }

    /// <summary>Whether the options let a request connect to <paramref name="address"/>; the reason when not.</summary>
    public static bool IsAllowed(IPAddress address, OutboundHttpOptions options, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(options);
        if (options.AlwaysRefuseLinkLocal && IsLinkLocal(address, out var linkLocal))
        {
            reason = $"{address} is {linkLocal}";
            return false;
        }

        if (!TryGetRefusal(address, out reason) || options.AllowPrivateNetwork)
        {
            reason = null;
            return true;
        }

        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var network in options.AllowedNetworks)
        {
            if (network.BaseAddress.AddressFamily == plain.AddressFamily && network.Contains(plain))
            {
                reason = null;
                return true;
            }
        }

        reason = $"{address} is {reason}";
        return false;
    }

    /// <summary>
    /// Whether <paramref name="address"/> is link-local or the cloud metadata address, or carries such an IPv4 address
    /// inside (IPv4-mapped, NAT64, 6to4).
    /// </summary>
    public static bool IsLinkLocal(IPAddress address, [NotNullWhen(true)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(address);
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var (network, name) in LinkLocal)
        {
            if (network.BaseAddress.AddressFamily == plain.AddressFamily && network.Contains(plain))
            {
                reason = name;
                return true;
            }
        }

        if (Embedded(plain) is var (kind, inside) && IsLinkLocal(inside, out var inner))
        {
            reason = $"a {kind} address of {inner}";
            return true;
        }

        reason = null;
        return false;
    }

    private static bool Match((IPNetwork Network, string Name)[] table, IPAddress address, [NotNullWhen(true)] out string? reason)
    {
        foreach (var (network, name) in table)
        {
            if (network.Contains(address))
            {
                reason = name;
                return true;
            }
        }

        reason = null;
        return false;
    }
}
