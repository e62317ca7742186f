using System.Net;
using System.Net.Sockets;

namespace ChatonsFed.Federation.Http;

/// <summary>A connection was refused because the host resolved only to addresses the options do not allow.</summary>
public sealed class AddressRefusedException : Exception
{
    public AddressRefusedException()
    {
    }

    public AddressRefusedException(string message)
        : base(message)
    {
    }

    public AddressRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Builds the handler every outbound request goes through: it resolves host names itself and connects only to
/// addresses that <see cref="NetworkAddressPolicy"/> allows, so a name that resolves to a private address (or is
/// rebound to one between a check and the connection) is never reached. No proxy, no automatic redirects.
/// </summary>
public static class OutboundHandler
{
    public static SocketsHttpHandler Create(OutboundHttpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, options, cancellationToken),
        };
    }

    internal static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, OutboundHttpOptions options, CancellationToken cancellationToken)
    {
        var host = endPoint.Host.TrimStart('[').TrimEnd(']');
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);

        string? firstRefusal = null;
        var allowed = new List<IPAddress>(addresses.Length);
        foreach (var address in addresses)
        {
            if (NetworkAddressPolicy.IsAllowed(address, options, out var reason))
            {
                allowed.Add(address);
            }
            else
            {
                firstRefusal ??= reason;
            }
        }

        if (allowed.Count == 0)
        {
            throw new AddressRefusedException(firstRefusal is null
                ? $"{host} has no address"
                : $"{host} resolves only to refused addresses: {firstRefusal}, which this node does not connect to");
        }

        SocketException? last = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endPoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }
}
