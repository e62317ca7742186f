using Microsoft.AspNetCore.Http;

namespace ChatonsFed.Hosting.Endpoints;

/// <summary>Response headers that several roles' endpoints set the same way.</summary>
public static class ResponseHeaders
{
    /// <summary>Lets any web page read the response (discovery documents, the directory API).</summary>
    public static void AllowAnyOrigin(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.AccessControlAllowOrigin = "*";
    }

    /// <summary>The headers every HTML page of the node or the directory website is sent with.</summary>
    public static void SetPageHeaders(IHeaderDictionary headers, string contentSecurityPolicy, string language)
    {
        ArgumentNullException.ThrowIfNull(headers);
        headers.ContentSecurityPolicy = contentSecurityPolicy;
        headers.ContentLanguage = language;
        headers["X-Content-Type-Options"] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
    }
}
