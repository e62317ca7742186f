using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Hosting;

/// <summary>Who sent a request, as limits and logs name it.</summary>
public static class ClientAddress
{
    /// <summary>
    /// The client's address: the connection's, or, when the connection comes from a known proxy
    /// (<c>ChatonsFed:KnownProxies</c>, loopback by default), the address that proxy forwarded in <c>X-Forwarded-For</c>.
    /// </summary>
    public static string Of(HttpContext context) =>
        context?.Connection.RemoteIpAddress is { } address
            ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
            : "unknown";
}
