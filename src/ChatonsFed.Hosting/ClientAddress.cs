using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Hosting;

/// <summary>Who sent a request, as limits and logs name it.</summary>
public static class ClientAddress
{
    /// <summary>
    /// The client's address: the connection's, or, when the connection comes from a known proxy
    /// (<c>ChatonsFed:KnownProxies</c>, loopback by default), the address that proxy forwarded in <c>X-Forwarded-For</c>.
    /// </summary>
    public static string Of(HttpContext context) => AddressOf(context)?.ToString() ?? "unknown";

    /// <summary>
    /// The client as rate limits count it: its address (see <see cref="Of"/>), except that an IPv6 address stands for its
    /// /64, which one client usually holds whole.
    /// </summary>
    public static string NetworkOf(HttpContext context)
    {
        if (AddressOf(context) is not { } address)
        {
            return "unknown";
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static IPAddress? AddressOf(HttpContext context) =>
        context?.Connection.RemoteIpAddress is { } address
            ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)
            : null;
}
