using System.Collections.Concurrent;
using ChatonsFed.Aggregator.Api;
using ChatonsFed.Aggregator.ChatonsInfosSource;
using ChatonsFed.Aggregator.Observatory;
using ChatonsFed.Aggregator.Trust;
using ChatonsFed.Aggregator.Storage;
using ChatonsFed.Directory.Node;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Hosting.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatonsFed.Aggregator.Website;

/// <summary>
/// The directory website, served by the aggregator at <c>/</c>: the search page (list and map), a page per chaton, the
/// remote-follow hand-off, a page per unsigned entry read from ChatonsInfos files (apart, marked), and its own assets (site.css, site.js, Leaflet, the country outlines) from the assembly's
/// resources. Server-rendered HTML that works without JavaScript; the map is an enhancement. Nothing loads from
/// anywhere but this origin, unless a tile server is set.
/// </summary>
public static class WebsiteEndpoints
{
    private const string AssetPrefix = "ChatonsFed.Aggregator.Website.assets/";
    private static readonly ConcurrentDictionary<string, byte[]?> Assets = new(StringComparer.Ordinal);
    private static readonly string AssetTag = "\"" + typeof(WebsiteEndpoints).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..16] + "\"";

    public static IEndpointRouteBuilder MapWebsite(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        // Read at the first request: the settings are validated when the node starts.
        var lazySettings = new Lazy<WebsiteSettings>(() => new WebsiteSettings(routes.ServiceProvider.GetRequiredService<IOptions<NodeOptions>>().Value.Aggregator.Website));
        var categories = ServiceCategoryCatalog.LoadDefault();
        var criteria = CharterCriteriaCatalog.LoadDefault();
        routes.MapGet("/", (HttpContext context, DirectoryStore store, UnsignedDirectory unsigned, AdmissionBook admission, ObservationViews observed) =>
        {
            var lang = SiteLanguage.Of(context.Request);
            var query = WebsiteQuery.Read(context.Request.Query);
            Aggregator.Search.SearchPage? page = null;
            Aggregator.Search.SearchPage? unsignedPage = null;
            var error = query.Error;
            var search = query.Search is { } asked ? ObservationFilter.Apply(AdmissionFilter.Apply(asked, admission, out error), observed.Book) : null;
            if (search is not null && error is null)
            {
                try
                {
                    page = store.Search(search);
                    // The same search among the unsigned entries (source=chatonsinfos), shown apart after the verified hits.
                    var entries = unsigned.Index;
                    unsignedPage = entries.Count > 0 ? entries.Search(search with { Offset = 0, Cursor = null, Limit = SearchPageView.UnsignedShown }) : null;
                }
                catch (ArgumentException e)
                {
                    error = e.Message;
                }
            }

            var settings = lazySettings.Value;
            var status = page is null ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;
            return Page(context, settings, lang, status, SearchPageView.Render(context.Request, lang, query, page, unsignedPage, error, categories, settings, admission));
        });
        routes.MapGet("/chaton", (HttpContext context, DirectoryStore store, UnsignedDirectory unsigned, AdmissionBook admission, ObservationViews observed, string? id) =>
        {
            var lang = SiteLanguage.Of(context.Request);
            var settings = lazySettings.Value;
            return id is not null && store.Find(id) is { } chaton
                ? Page(context, settings, lang, StatusCodes.Status200OK, ChatonPageView.Render(context.Request, lang, chaton, unsigned.Conflicts(chaton.ActorId), categories, criteria, settings, admission.For(chaton.ActorId), store, observed))
                : NotFound(context, settings, lang, id, unsigned: id is not null && unsigned.Index.Find(id) is not null);
        });
        routes.MapGet("/unsigned", (HttpContext context, DirectoryStore store, UnsignedDirectory entries, string? id) =>
        {
            var lang = SiteLanguage.Of(context.Request);
            var settings = lazySettings.Value;
            // A verified chaton is never shown as unsigned, whatever the unsigned index holds.
            return id is not null && store.Find(id) is null && entries.Index.Find(id) is { } entry && entries.Origin(id) is { } origin
                ? Page(context, settings, lang, StatusCodes.Status200OK, UnsignedPageView.Render(context.Request, lang, entry, origin, entries.Conflicts(id), categories))
                : NotFound(context, settings, lang, id);
        });
        routes.MapGet("/follow", (HttpContext context, DirectoryStore store, string? id, string? instance) =>
        {
            var lang = SiteLanguage.Of(context.Request);
            var settings = lazySettings.Value;
            if (id is null || store.Find(id) is not { } chaton)
            {
                return NotFound(context, settings, lang, id);
            }

            var host = ChatonPageView.Instance(instance);
            return Page(context, settings, lang, host is null ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK, ChatonPageView.RenderFollow(context.Request, lang, chaton, host));
        });
        routes.MapGet(AdmissionView.AboutPath, (HttpContext context, DirectoryStore store, AdmissionBook admission, TrustRoots roots) =>
        {
            var lang = SiteLanguage.Of(context.Request);
            return Page(context, lazySettings.Value, lang, StatusCodes.Status200OK, AdmissionView.RenderAbout(context.Request, lang, admission, roots, store));
        });
        foreach (var path in new[] { ObservationPages.MethodPath, ObservationPages.MethodPathEnglish })
        {
            routes.MapGet(path, (HttpContext context, ObservatorySettings observatory, AggregatorUrls urls, ThirdParties trackers) =>
            {
                var lang = SiteLanguage.Of(context.Request);
                return Page(context, lazySettings.Value, lang, StatusCodes.Status200OK, ObservationPages.RenderMethod(context.Request, lang, observatory, urls.BaseUrl, trackers.TrackerCount));
            });
        }

        routes.MapGet("/assets/{**name}", (HttpContext context, string name) => Asset(context, name));
        return routes;
    }

    private static IResult Page(HttpContext context, WebsiteSettings settings, SiteLanguage lang, int status, string html)
    {
        var headers = context.Response.Headers;
        ResponseHeaders.SetPageHeaders(headers, settings.ContentSecurityPolicy, lang.Code);
        headers.Vary = "Accept-Language";
        headers.CacheControl = "no-cache";
        return Results.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
    }

    /// <summary>404; with <paramref name="unsigned"/>, <paramref name="id"/> is no verified chaton but an unsigned entry, linked.</summary>
    private static IResult NotFound(HttpContext context, WebsiteSettings settings, SiteLanguage lang, string? id, bool unsigned = false)
    {
        var html = new System.Text.StringBuilder();
        SiteLayout.Begin(html, lang, context.Request, lang.T("Chaton introuvable", "Chaton not found"), map: false);
        html.Append("<h1>").Append(lang.T("Chaton introuvable", "Chaton not found")).Append("</h1>\n<p>")
            .Append(unsigned ? lang.T("Cet annuaire ne liste aucun chaton vérifié ", "This directory lists no verified chaton ") : lang.T("Cet annuaire ne connaît pas ", "This directory does not list "))
            .Encoded(id ?? "?").Append(".</p>\n");
        if (unsigned)
        {
            html.Append("<p><a href=\"").Encoded(SiteLayout.UnsignedPath(lang, id!)).Append("\">")
                .Append(lang.T("Voir l'entrée non signée, d'après ChatonsInfos, qui a cet identifiant", "See the unsigned entry, from ChatonsInfos, that has this id")).Append("</a></p>\n");
        }

        html.Append("<p><a href=\"")
            .Encoded(SiteLayout.Link(lang, "/")).Append("\">").Append(lang.T("Retour à la recherche", "Back to the search")).Append("</a></p>\n");
        SiteLayout.End(html, lang);
        return Page(context, settings, lang, StatusCodes.Status404NotFound, html.ToString());
    }

    private static IResult Asset(HttpContext context, string name)
    {
        var bytes = Assets.GetOrAdd(name, static n =>
        {
            using var stream = typeof(WebsiteEndpoints).Assembly.GetManifestResourceStream(AssetPrefix + n);
            if (stream is null)
            {
                return null;
            }

            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        });
        if (bytes is null)
        {
            Assets.TryRemove(name, out _);
            return Results.NotFound();
        }

        var headers = context.Response.Headers;
        headers.CacheControl = "public, max-age=3600";
        headers.ETag = AssetTag;
        headers["X-Content-Type-Options"] = "nosniff";
        if (context.Request.Headers.IfNoneMatch.ToString() == AssetTag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        var type = Path.GetExtension(name) switch
        {
            ".css" => "text/css; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".geojson" => "application/geo+json",
            ".png" => "image/png",
            ".svg" => "image/svg+xml",
            _ => "application/octet-stream",
        };
        return Results.Bytes(bytes, type);
    }
}
