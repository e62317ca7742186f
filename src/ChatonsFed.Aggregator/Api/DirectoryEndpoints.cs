using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatonsFed.Aggregator.Actor;
using ChatonsFed.Aggregator.Aggregation;
using ChatonsFed.Aggregator.ChatonsInfosSource;
using ChatonsFed.Aggregator.Crawling;
using ChatonsFed.Aggregator.Export;
using ChatonsFed.Aggregator.Observatory;
using ChatonsFed.Aggregator.Trust;
using ChatonsFed.Aggregator.Storage;
using ChatonsFed.Aggregator.Tracking;
using ChatonsFed.Directory.Node;
using ChatonsFed.Hosting;
using ChatonsFed.Hosting.Admin;
using ChatonsFed.Hosting.Configuration;
using ChatonsFed.Hosting.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace ChatonsFed.Aggregator.Api;

/// <summary>
/// The aggregator role over HTTP: its <c>Application</c> actor and inbox, the public directory API under
/// <c>/api/directory</c> (search, entries, exports, diagnostics, OpenAPI document; readable from any origin), and the
/// owner's directory commands under <c>/api/admin/directory</c>.
/// </summary>
public static class DirectoryEndpoints
{
    private static readonly CharterCriteriaCatalog Criteria = CharterCriteriaCatalog.LoadDefault();
    private static readonly ServiceCategoryCatalog Categories = ServiceCategoryCatalog.LoadDefault();

    /// <summary>
    /// The directory API's JSON (answers, error messages, the admin commands' progress lines). Letters outside ASCII
    /// are written as UTF-8 ("Rhône", not "Rh\u00F4ne"), with the encoder ASP.NET Core gives HTTP answers: this JSON is
    /// only ever a response body (no page embeds it), so the characters HTML gives a meaning to need no escape either.
    /// The ActivityPub documents are not written with these settings: they are served as signed.
    /// </summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IEndpointRouteBuilder MapAggregatorActor(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(AggregatorUrls.ActorPath, (AggregatorActor actor) =>
        {
            var (json, modified) = actor.Document();
            return new DocumentResult(json, DocumentResult.ActivityJson, DocumentResult.ETagOf(json), modified);
        });
        routes.MapGet(AggregatorUrls.FollowingPath, Following);
        routes.MapGet(AggregatorUrls.InboxPath, () => TypedResults.StatusCode(StatusCodes.Status405MethodNotAllowed));
        return routes;
    }

    public static IEndpointRouteBuilder MapDirectoryApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup(AggregatorUrls.DirectoryApiPath).AddEndpointFilter(async (context, next) =>
        {
            ResponseHeaders.AllowAnyOrigin(context.HttpContext);
            return await next(context);
        });
        // Every route of the group is in the OpenAPI document (its group name); each says what it does with Describe.
        api.WithGroupName(DirectoryOpenApi.DocumentName).WithTags(DirectoryOpenApi.DocumentName);
        api.MapGet("/search", Search).Describe(DirectoryApiDescriptions.Search);
        api.MapGet("/entries/{**id}", (string id, DirectoryStore store, UnsignedDirectory unsigned, AdmissionBook admission, ObservationViews observed) => Entry(Uri.UnescapeDataString(id), store, unsigned, admission, observed)).Describe(DirectoryApiDescriptions.Entries);
        api.MapGet("/entry", (string? id, DirectoryStore store, UnsignedDirectory unsigned, AdmissionBook admission, ObservationViews observed) => id is null ? Refuse(StatusCodes.Status400BadRequest, "the 'id' parameter (the actor id) is required") : Entry(id, store, unsigned, admission, observed))
            .Describe(DirectoryApiDescriptions.Entry);
        api.MapGet("/export.geojson", (HttpContext context, DirectoryStore store, AdmissionBook admission) =>
            Export(context, "application/geo+json", "chatons.geojson", output => GeoJsonExport.Write(output, store.Listings, Criteria, admission.For))).Describe(DirectoryApiDescriptions.GeoJson);
        api.MapGet("/export.csv", (HttpContext context, DirectoryStore store, AdmissionBook admission) =>
            Export(context, "text/csv; charset=utf-8", "chatons.csv", output => CsvExport.Write(output, store.Listings, Criteria, admission.For))).Describe(DirectoryApiDescriptions.Csv);
        api.MapGet("/export/bundle.json", (HttpContext context, DirectoryStore store) =>
            Export(context, "application/json", "chatons-bundle.json", output => SignedBundle.Write(output, store))).Describe(DirectoryApiDescriptions.Bundle);
        api.MapGet("/export.properties", ExportProperties).Describe(DirectoryApiDescriptions.FederationFile);
        api.MapGet("/diagnostics", (DirectoryService directory, int? limit) =>
            Results.Json(directory.Status(Math.Clamp(limit ?? 100, 1, 1000)), Json)).Describe(DirectoryApiDescriptions.Diagnostics);
        api.MapGet("/openapi.json", async (DirectoryOpenApiDocument document) => Results.Bytes(await document.GetAsync(), "application/json"))
            .Describe(DirectoryApiDescriptions.OpenApi);
        return routes;
    }

    public static IEndpointRouteBuilder MapDirectoryAdmin(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup(AdminApi.Prefix + "/directory").RequireAuthorization(AdminApi.Policy);
        admin.MapGet("/status", (DirectoryService directory) => Results.Json(directory.Status(), Json));
        admin.MapPost("/follow", async Task<IResult> (FollowRequest request, DirectoryService directory, CancellationToken ct) =>
        {
            try
            {
                return Results.Json(await directory.FollowAsync(request.Address ?? string.Empty, ct), Json);
            }
            catch (NodeInputException e)
            {
                return Refuse(StatusCodes.Status400BadRequest, e.Message);
            }
        });
        admin.MapPost("/rebuild", (HttpContext context, DirectoryService directory) =>
            Streamed(context, (progress, ct) => directory.RebuildAsync(progress, ct), CrawlReport.From));
        admin.MapPost("/refresh", (HttpContext context, DirectoryService directory) =>
            Streamed(context, (progress, ct) => directory.RefreshAsync(progress, ct), CrawlReport.From));
        admin.MapPost("/bootstrap", async Task<IResult> (HttpContext context, DirectoryService directory) =>
        {
            var body = await ReadBodyAsync(context.Request, 256L * 1024 * 1024, context.RequestAborted);
            if (body is null)
            {
                return Refuse(StatusCodes.Status400BadRequest, "the bundle is larger than 256 MiB");
            }

            try
            {
                SignedBundle.Read(body);
            }
            catch (FormatException e)
            {
                return Refuse(StatusCodes.Status400BadRequest, e.Message);
            }

            return await Streamed(context, (progress, ct) => directory.BootstrapAsync(body, progress, ct), CrawlReport.From);
        });
        admin.MapPost("/observe", async Task<IResult> (string? chaton, ServiceObservatory observatory, TimeProvider time, CancellationToken ct) =>
            await ObserveNow.RunAsync(observatory, time, chaton, ct) is { } rows ? Results.Json(rows, Json) : Refuse(StatusCodes.Status404NotFound, $"no chaton {chaton} in this directory"));
        return routes;
    }

    /// <summary>The body of a follow request: a handle or an actor URL.</summary>
    public sealed record FollowRequest(string? Address);

    private static IResult Search(HttpContext context, DirectoryStore store, UnsignedDirectory unsigned, AdmissionBook admission, ObservationViews observed)
    {
        if (!SearchParameters.TryParse(context.Request.Query, out var query, out var error)
            || !SearchParameters.TryParseSource(context.Request.Query, allowAll: false, out var source, out error))
        {
            return Refuse(StatusCodes.Status400BadRequest, error!);
        }

        query = ObservationFilter.Apply(AdmissionFilter.Apply(query, admission, out error), observed.Book);
        if (error is not null)
        {
            return Refuse(StatusCodes.Status400BadRequest, error);
        }

        try
        {
            if (source == DirectorySource.ChatonsInfos)
            {
                var found = unsigned.Index.Search(query);
                return Results.Json(new DirectorySearchPage(found.Total, [.. found.Hits.Select(h => observed.Attach(Unsigned(h.Chaton, unsigned)) with { DistanceKm = h.DistanceKm, MatchingServices = h.MatchingServiceIds })], found.NextCursor), Json);
            }

            var page = store.Search(query);
            return Results.Json(new DirectorySearchPage(page.Total, [.. page.Hits.Select(h => observed.Attach(WithConflicts(DirectoryEntry.From(h, Criteria, Categories), unsigned)) with { Admission = admission.For(h.Chaton.ActorId) })], page.NextCursor), Json);
        }
        catch (ArgumentException e)
        {
            return Refuse(StatusCodes.Status400BadRequest, e.Message);
        }
    }

    /// <summary>A verified entry first: an unsigned entry is never found in its place.</summary>
    private static IResult Entry(string id, DirectoryStore store, UnsignedDirectory unsigned, AdmissionBook admission, ObservationViews observed) =>
        store.Find(id) is { } listing
            ? Results.Json(observed.Attach(WithConflicts(DirectoryEntry.From(listing, Criteria, Categories), unsigned)) with { Admission = admission.For(listing.ActorId) }, Json)
            : unsigned.Index.Find(id) is { } entry
                ? Results.Json(observed.Attach(Unsigned(entry, unsigned)), Json)
                : Refuse(StatusCodes.Status404NotFound, $"no chaton {id} in this directory");

    private static DirectoryEntry Unsigned(Aggregator.Listing.ChatonListing listing, UnsignedDirectory unsigned) =>
        WithConflicts(DirectoryEntry.FromUnsigned(listing, unsigned.Origin(listing.ActorId) ?? new UnsignedOrigin(string.Empty, listing.ActorId, listing.Observation.LastSeen), Criteria, Categories), unsigned);

    /// <summary>The entry with the website conflicts it is part of, verified or unsigned.</summary>
    private static DirectoryEntry WithConflicts(DirectoryEntry entry, UnsignedDirectory unsigned) =>
        unsigned.Conflicts(entry.Id) is { Count: > 0 } conflicts ? entry with { WebsiteConflicts = conflicts } : entry;

    /// <summary>The directory as a ChatonsInfos federation file: verified chatons by default, <c>source=chatonsinfos|all</c> for the unsigned ones.</summary>
    private static IResult ExportProperties(HttpContext context, DirectoryStore store, UnsignedDirectory unsigned, AggregatorOptions options)
    {
        var query = context.Request.Query;
        var unknown = query.Keys.FirstOrDefault(k => k != "source");
        if (unknown is not null)
        {
            return Refuse(StatusCodes.Status400BadRequest, $"unknown parameter '{unknown}'; the only parameter is source=signed|chatonsinfos|all");
        }

        if (!SearchParameters.TryParseSource(query, allowAll: true, out var source, out var error))
        {
            return Refuse(StatusCodes.Status400BadRequest, error!);
        }

        var verified = source == DirectorySource.ChatonsInfos ? [] : store.Listings;
        var listed = source == DirectorySource.Verified ? [] : unsigned.Index.Listings;
        var name = options.Name;
        return Export(context, "text/plain; charset=utf-8", "chatons.properties", output => output.Write(ChatonsInfosExport.WriteBytes(name, verified, listed)));
    }

    /// <summary>A refusal: the reason as a JSON string, written like the rest of the directory API's JSON.</summary>
    private static IResult Refuse(int status, string reason) => Results.Json(reason, Json, statusCode: status);

    private static IResult Export(HttpContext context, string contentType, string fileName, Action<Stream> write)
    {
        // Exports are written to memory first: the store is read under its lock, and the ETag is the hash of the bytes.
        using var buffer = new MemoryStream();
        write(buffer);
        context.Response.Headers.ContentDisposition = $"inline; filename=\"{fileName}\"";
        return Conditional(context, buffer.ToArray(), contentType);
    }

    /// <summary><paramref name="bytes"/> with their hash as ETag, or 304 when the request's <c>If-None-Match</c> is that ETag.</summary>
    internal static IResult Conditional(HttpContext context, byte[] bytes, string contentType)
    {
        var etag = "\"" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))[..32] + "\"";
        context.Response.Headers.ETag = etag;
        return context.Request.Headers.IfNoneMatch.ToString() == etag
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Bytes(bytes, contentType);
    }

    /// <summary>The chatons the aggregator follows, in pages of <see cref="FollowingPageSize"/> (ids in order), as a node pages its collections.</summary>
    private static Results<JsonHttpResult<JsonObject>, BadRequest<string>> Following(AggregatorUrls urls, AggregatorTables store, int? page)
    {
        var followed = store.TrackedActors.Find(t => t.Follow == FollowState.Accepted || t.Follow == FollowState.Requested).Select(t => t.Id).Order(StringComparer.Ordinal).ToList();
        return OrderedCollections.OfIds(urls.Following, followed, page, FollowingPageSize) is { } collection
            ? TypedResults.Json(collection, contentType: DocumentResult.ActivityJson)
            : TypedResults.BadRequest("page numbers start at 1");
    }

    private const int FollowingPageSize = 100;

    /// <summary>
    /// Runs a long operation and streams its progress as JSON lines (<c>{"found":…,"done":…,"failed":…,"listed":…}</c>),
    /// about five a second, then one line with the summary (<c>"done":true</c>). The operation goes on if the client leaves.
    /// </summary>
    private static async Task<IResult> Streamed<T>(HttpContext context, Func<IProgress<CrawlProgress>, CancellationToken, Task<T>> run, Func<T, object> summary)
    {
        var response = context.Response;
        response.ContentType = "application/x-ndjson";
        response.Headers.CacheControl = "no-store";
        CrawlProgress? latest = null;
        var progress = new SynchronousProgress(p => Volatile.Write(ref latest, p));
        var task = run(progress, CancellationToken.None);
        CrawlProgress? written = null;
        var connected = true;
        while (!task.IsCompleted)
        {
            await Task.WhenAny(task, Task.Delay(200, CancellationToken.None));
            var now = Volatile.Read(ref latest);
            if (connected && now is not null && now != written)
            {
                written = now;
                connected = await TryWriteLineAsync(context, new { found = now.Found, done = now.Done, failed = now.Failed, listed = now.Listed });
            }
        }

        object last;
        try
        {
            last = summary(await task);
        }
        catch (Exception e) when (e is FormatException or NodeInputException)
        {
            last = new CrawlReport { Done = true, Error = e.Message };
        }

        if (connected)
        {
            await TryWriteLineAsync(context, last);
        }

        return Results.Empty;
    }

    private static async Task<bool> TryWriteLineAsync(HttpContext context, object line)
    {
        try
        {
            await context.Response.WriteAsync(JsonSerializer.Serialize(line, Json) + "\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            return true;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Reports on the caller's thread, unlike <see cref="Progress{T}"/>, which posts to the thread pool.</summary>
    private sealed class SynchronousProgress(Action<CrawlProgress> report) : IProgress<CrawlProgress>
    {
        public void Report(CrawlProgress value) => report(value);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
