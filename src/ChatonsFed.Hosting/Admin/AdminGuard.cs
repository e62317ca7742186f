using System.Globalization;
using System.Net;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Hosting.Operations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatonsFed.Hosting.Admin;

/// <summary>
/// Keeps the admin API private: a request that came through a reverse proxy is refused (unless
/// <c>ChatonsFed:Admin:AllowProxied</c>), and a client with too many failed sign-ins waits, except the local command
/// line presenting this run's token. A request is an admin request when routing sends it to an endpoint behind
/// <see cref="AdminApi.Policy"/>, or when its path, in any letter case and encoding, is under <see cref="AdminApi.Prefix"/>.
/// </summary>
public static class AdminGuard
{
    /// <summary>Headers a proxy adds to say whom it forwards for (any <c>X-Forwarded-*</c> header counts too).</summary>
    private static readonly string[] ForwardingHeaders = ["Forwarded", "X-Real-IP", "X-Client-IP", "True-Client-IP", "CF-Connecting-IP"];

    /// <summary>
    /// Refuses an admin request that came through a proxy with 403 and a reason. Runs before the forwarded headers are
    /// applied, so that it sees them as received.
    /// </summary>
    public static async Task RefuseProxiedAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (IsAdminRequest(context))
        {
            var options = context.RequestServices.GetRequiredService<IOptions<NodeOptions>>().Value;
            if (!options.Admin.AllowProxied && ProxyEvidence(context.Request.Headers, context.Connection.RemoteIpAddress, options.KnownProxies) is { } evidence)
            {
                var logger = Logger(context);
                if (context.RequestServices.GetRequiredService<LogThrottle>().Allows(logger, AdminLog.ProxiedKind))
                {
                    var forwardedFor = context.Request.Headers["X-Forwarded-For"].ToString();
                    AdminLog.ProxiedRefused(logger, ClientAddress.Of(context), context.Request.Method, context.Request.Path.Value ?? string.Empty, evidence,
                        forwardedFor.Length > 200 ? forwardedFor[..200] + "…" : forwardedFor);
                }

                await TypedResults.Problem(
                    title: "The admin API is not reachable through a proxy",
                    detail: $"this request came through a proxy ({evidence}); run the command line on the node's own machine, "
                        + $"or set {NodeOptions.Section}:{AdminOptions.Section}:{nameof(AdminOptions.AllowProxied)} to true",
                    statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
                return;
            }
        }

        await next(context);
    }

    /// <summary>
    /// Answers 429 to an admin request from a client with too many recent failed sign-ins, unless it presents this run's
    /// token: the local command line is never locked out by the failures of others. Runs after the forwarded headers are
    /// applied, so that failures are counted per real client.
    /// </summary>
    public static async Task LimitFailuresAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (IsAdminRequest(context))
        {
            var services = context.RequestServices;
            var client = ClientAddress.Of(context);
            var retryAfter = services.GetRequiredService<AdminFailureTracker>().RetryAfter(client);
            if (retryAfter > 0 && !services.GetRequiredService<AdminTokens>().IsRunToken(AdminTokens.PresentedBy(context.Request)))
            {
                var logger = Logger(context);
                if (services.GetRequiredService<LogThrottle>().Allows(logger, AdminLog.LockedOutKind))
                {
                    AdminLog.LockedOut(logger, client, context.Request.Method, context.Request.Path.Value ?? string.Empty, retryAfter);
                }

                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await context.Response.WriteAsync("too many failed admin authentications from this address; try again later");
                return;
            }
        }

        await next(context);
    }

    private static readonly string AdminPrefixFirstSegment = AdminApi.Prefix.Split('/', StringSplitOptions.RemoveEmptyEntries)[0];

    /// <summary>Whether the request is for the admin API: by the endpoint routing chose, or else by its path.</summary>
    public static bool IsAdminRequest(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var routed = context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(data => data.Policy == AdminApi.Policy) ?? false;
        return routed || IsAdminPath(context.Request.PathBase.Add(context.Request.Path).Value);
    }

    /// <summary>
    /// Whether <paramref name="path"/> is under <see cref="AdminApi.Prefix"/> in any letter case, once what is still
    /// percent-encoded (<c>%2F</c>, double encodings) is decoded, backslashes read as slashes, empty and dot segments
    /// removed: <c>/API/Admin/x</c>, <c>/api%2Fadmin/x</c>, <c>/api//admin/x</c> and <c>/api/./admin/x</c> all are.
    /// </summary>
    public static bool IsAdminPath(string? path)
    {
        var value = path ?? string.Empty;
        // Most requests: nothing encoded, and no segment can read as the prefix's first one.
        if (!value.Contains('%', StringComparison.Ordinal) && !value.Contains(AdminPrefixFirstSegment, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        for (var round = 0; round < 4 && value.Contains('%', StringComparison.Ordinal); round++)
        {
            value = Uri.UnescapeDataString(value);
        }

        var segments = new List<string>();
        foreach (var segment in value.Split('/', '\\'))
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }

                continue;
            }

            segments.Add(segment);
        }

        var prefix = AdminApi.Prefix.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Count >= prefix.Length && prefix.Select((name, i) => string.Equals(name, segments[i].Trim(), StringComparison.OrdinalIgnoreCase)).All(same => same);
    }

    /// <summary>
    /// What shows that a request came through a proxy: a forwarding header, or a connection from a proxy listed in the
    /// settings (other than a loopback address, which is also where the local command line connects from); null when
    /// nothing does.
    /// </summary>
    public static string? ProxyEvidence(IHeaderDictionary headers, IPAddress? connection, IEnumerable<string> knownProxies)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(knownProxies);
        var header = ForwardingHeaders.FirstOrDefault(headers.ContainsKey)
            ?? headers.Keys.FirstOrDefault(name => name.StartsWith("X-Forwarded-", StringComparison.OrdinalIgnoreCase));
        if (header is not null)
        {
            return $"it has a {header} header";
        }

        if (connection is null || IPAddress.IsLoopback(connection))
        {
            return null;
        }

        var from = connection.IsIPv4MappedToIPv6 ? connection.MapToIPv4() : connection;
        foreach (var proxy in knownProxies)
        {
            if (IPAddress.TryParse(proxy, out var known) && (known.IsIPv4MappedToIPv6 ? known.MapToIPv4() : known).Equals(from))
            {
                return $"it comes from {from}, a proxy listed in {NodeOptions.Section}:{nameof(NodeOptions.KnownProxies)}";
            }
        }

        return null;
    }

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AdminGuard).FullName!);
}
