using System.Text.Json;
using System.Text.Json.Nodes;
using ChatonsFed.Aggregator.ChatonsInfosSource;
using ChatonsFed.Aggregator.Storage;
using ChatonsFed.Aggregator.Aggregation;
using Microsoft.AspNetCore.Http;
using Microsoft.OpenApi;

namespace ChatonsFed.Aggregator.Api;

/// <summary>
/// What the directory API's OpenAPI document says about each endpoint, parameter and response beyond what the
/// routes and types tell: the texts, the parameter schemas and the examples (JSON examples are written from the
/// API's own types with its own settings, so they look exactly like an answer).
/// </summary>
internal static class DirectoryApiDescriptions
{
    public const string Title = "ChatonsFed directory API";

    public const string Version = "1.0";

    public const string Overview =
        "The directory an aggregator builds from the chatons' signed documents: search, one entry, deterministic exports (GeoJSON, CSV, signed bundle, ChatonsInfos " +
        "federation file) and diagnostics. Organizations read from ChatonsInfos federation files that run no ChatonsFed node are kept apart as unsigned entries " +
        "(source=chatonsinfos), never in the verified results or exports. Every GET answers any origin (Access-Control-Allow-Origin: *). JSON is UTF-8, " +
        "non-ASCII letters written as they are. See spec/aggregator.md.";

    private const string Json = "application/json";
    private const string WrongParameter = "A parameter is wrong; the body (a JSON string) says which and why.";
    private const string NotModified = "Not modified: the ETag given in If-None-Match is still the export's.";
    private const string ExampleActor = "https://chatons.example/actor";

    private static ApiResponse BadRequest(string example) => new(StatusCodes.Status400BadRequest, WrongParameter, Json, typeof(string), JsonValue.Create(example));

    private static ApiResponse NotFound { get; } = new(StatusCodes.Status404NotFound, "Not in this directory; the body (a JSON string) says which id.", Json, typeof(string), JsonValue.Create($"no chaton {ExampleActor} in this directory"));

    private static ApiResponse Unchanged { get; } = new(StatusCodes.Status304NotModified, NotModified);

    private static OpenApiSchema Text(params string[] values) => new()
    {
        Type = JsonSchemaType.String,
        Enum = values.Length == 0 ? null : [.. values.Select(v => (JsonNode)JsonValue.Create(v))],
    };

    private static OpenApiSchema Whole(int minimum, int maximum) => new() { Type = JsonSchemaType.Integer, Minimum = Number(minimum), Maximum = Number(maximum) };

    private static string Number(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static OpenApiSchema AdmissionSchema()
    {
        var schema = Text("admitted", "candidate", "lapsed", "revoked", "any");
        schema.Default = JsonValue.Create("any");
        return schema;
    }

    private static ApiParameter Source(string description, params string[] values)
    {
        var schema = Text(values);
        schema.Default = JsonValue.Create(DirectoryEntry.SignedSource);
        return new("source", description, schema, JsonValue.Create(DirectoryEntry.ChatonsInfosSource));
    }

    public static ApiOperation Search { get; } = new(
        "Search the directory",
        "Every criterion given must hold; the values of one criterion are alternatives. Service criteria must hold for one and the same service. An unknown parameter or a bad value gets 400 with the reason.",
        [
            new("category", "Service category ids of the shared list (repeat or separate with commas); 'other' stands for every id the list does not know.", Text(), JsonValue.Create("collaborative-writing")),
            new("family", "Category families of the shared list.", Text(), JsonValue.Create("collaboration")),
            new("software", "Software names, compared without case or accents.", Text(), JsonValue.Create("etherpad")),
            new("q", "Free text: every word must begin a word of the chaton's text (name, handle, summary, place, services, category labels).", Text(), JsonValue.Create("visio lyon")),
            new("near", "Centre of a radius search, LAT,LON in decimal degrees; needs radius.", Text(), JsonValue.Create("45.76,4.84")),
            new("radius", "Radius in km (great-circle distance); needs near.", new OpenApiSchema { Type = JsonSchemaType.Number, ExclusiveMinimum = "0", Maximum = "20100" }, JsonValue.Create(50)),
            new("bbox", "Bounding box SOUTH,WEST,NORTH,EAST; a west greater than east crosses the antimeridian.", Text(), JsonValue.Create("43,-1,48,7")),
            new("structure", "Structure types: ASSOCIATION, INFORMAL, COOPERATIVE, MICROCOMPANY, COMPANY, INDIVIDUAL, OTHER.", Text(), JsonValue.Create("ASSOCIATION")),
            new("registration", "Who may open an account on a matching service: none, free, member, client.", Text(), JsonValue.Create("free")),
            new("open", "true: a matching service takes new accounts (capacity open, status not closed).", new OpenApiSchema { Type = JsonSchemaType.Boolean }, JsonValue.Create(true)),
            new("membership", "Membership statuses: ACTIVE, IDLE, AWAY.", Text(), JsonValue.Create("ACTIVE")),
            new("country", "ISO 3166-1 alpha-2 code of the chaton's country.", Text(), JsonValue.Create("FR")),
            new("charter", "all: the attestation declares every required criterion met; notall: it does not.", Text("all", "notall"), JsonValue.Create("all")),
            new("stale", "include (default) or exclude chatons whose node has not answered for a while.", Text("include", "exclude"), JsonValue.Create("exclude")),
            new("sort", "name (default), distance (needs near) or updated (latest first). Ties by actor id.", Text("name", "distance", "updated"), JsonValue.Create("distance")),
            new("limit", "Hits per page, 1 to 1000 (default 20).", Whole(1, 1000), JsonValue.Create(20)),
            new("offset", "Hits to skip (after the cursor when there is one).", new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" }, JsonValue.Create(0)),
            new("cursor", "nextCursor of the previous page: hits strictly after it, in the same sort.", Text(), JsonValue.Create("MApodHRwczovL2NoYXRvbnMuZXhhbXBsZS9hY3RvcgpjaGF0b24gZCdleGVtcGxl")),
            Source("signed (default): verified entries only, read from the chatons' signed documents; chatonsinfos: unsigned entries only, read from ChatonsInfos federation files (verification.state Unsigned). The two are never mixed in one page.", "signed", "chatonsinfos"),
            new("admission", "This aggregator's view of membership: admitted, candidate, lapsed or revoked (each matches that status only), or any (the default). An aggregator without trust roots computes no admission and answers 400 to any value but any.", AdmissionSchema(), JsonValue.Create("admitted")),
            new("observed", "up: chatons whose services (those matching the service criteria, or all when there is none; services without a URL left out) were all up at their observatory's last check; any (the default). A service never checked matches not.", Text("up", "any"), JsonValue.Create("up")),
            new("thirdParty", "none: chatons whose website and services (as for observed) were up at their last check and load no third-party host; any (the default). Never checked matches not.", Text("none", "any"), JsonValue.Create("none")),
        ],
        [
            new(StatusCodes.Status200OK, "A page of hits.", Json, typeof(DirectorySearchPage), Serialize(new DirectorySearchPage(1, [ExampleEntry() with { DistanceKm = 2.4, MatchingServices = ["pad"] }], null))),
            BadRequest("radius needs near=LAT,LON"),
        ]);

    public static ApiOperation Entry { get; } = new(
        "One entry by id (a verified chaton's actor id, or an unsigned entry's organization file)",
        "The entry as a search lists it, without distanceKm and matchingServices. A verified entry is always found first: an unsigned entry is never found in its place.",
        [new("id", "The actor id, or for an unsigned entry the URL of its organization file. A verified entry is always found first.", Text(), JsonValue.Create(ExampleActor), Required: true)],
        [
            new(StatusCodes.Status200OK, "The entry.", Json, typeof(DirectoryEntry), Serialize(ExampleEntry())),
            BadRequest("the 'id' parameter (the actor id) is required"),
            NotFound,
        ]);

    public static ApiOperation Entries { get; } = new(
        "One chaton by actor id (URL-encoded in the path)",
        "The same answer as /api/directory/entry?id=, the id URL-encoded as one path segment.",
        [new("id", "The actor id (or an unsigned entry's organization file), URL-encoded.", Text(), JsonValue.Create(Uri.EscapeDataString(ExampleActor)), In: ParameterLocation.Path)],
        [new(StatusCodes.Status200OK, "The entry.", Json, typeof(DirectoryEntry), Serialize(ExampleEntry())), NotFound]);

    public static ApiOperation GeoJson { get; } = new(
        "GeoJSON FeatureCollection, one Feature per chaton (id = actor id), in canonical JSON",
        "Verified chatons only, ordered by actor id; the geometry is a Point [longitude, latitude], or null without a location. With trust roots, admission_status and admission_endorsements give this aggregator's view of membership. Written in JSON canonical form (RFC 8785), with an ETag.",
        [],
        [
            new(StatusCodes.Status200OK, "RFC 7946 FeatureCollection; the same bytes on every aggregator that holds the same documents.", "application/geo+json", typeof(JsonObject),
                JsonNode.Parse($$"""{"features":[{"geometry":{"coordinates":[4.84,45.76],"type":"Point"},"id":"{{ExampleActor}}","properties":{"admission_endorsements":3,"admission_status":"admitted","name":"Chaton d'exemple","placeName":"Lyon, Auvergne-Rhône-Alpes","url":"https://chatons.example"},"type":"Feature"}],"type":"FeatureCollection"}""")),
            Unchanged,
        ]);

    public static ApiOperation Csv { get; } = new(
        "CSV, one row per chaton (RFC 4180)",
        "Verified chatons only, ordered by actor id: UTF-8 without byte order mark, CRLF line ends, a header row; lists sorted and joined with ';'. With an ETag.",
        [],
        [
            new(StatusCodes.Status200OK,
                "Columns: actor_id, name, preferred_username, website, structure_type, membership_status, member_since, country, place, latitude, longitude, service_count, service_categories, software, registrations, open_to_new_accounts, declares_all_required_criteria, charter_version, updated, admission_status, admission_endorsements (this aggregator's view of membership; empty without trust roots).",
                "text/csv", typeof(string),
                JsonValue.Create("actor_id,name,preferred_username,website,structure_type,membership_status,member_since,country,place,latitude,longitude,service_count,service_categories,software,registrations,open_to_new_accounts,declares_all_required_criteria,charter_version,updated,admission_status,admission_endorsements\r\n" +
                    $"{ExampleActor},Chaton d'exemple,exemple,https://chatons.example,ASSOCIATION,ACTIVE,2019-04-01,FR,\"Lyon, Auvergne-Rhône-Alpes\",45.76,4.84,1,collaborative-writing,Etherpad,free,true,true,2016-v1,2025-03-02T10:00:00Z,admitted,3\r\n")),
            Unchanged,
        ]);

    public static ApiOperation Bundle { get; } = new(
        "Signed bundle: every listed chaton's signed documents, and the membership credentials and status lists held, for another aggregator to bootstrap from",
        "Each document in its canonical form (RFC 8785), which is what its proof signs: a reader verifies each chaton against its actor fetched from the chaton's own origin, and each credential and status list against its issuer's, and need not trust this aggregator. Never an admission status: a reader computes admission itself. With an ETag.",
        [],
        [
            new(StatusCodes.Status200OK, "{\"chatons\":[…],\"credentials\":[…],\"statusLists\":[…],\"type\":\"ChatonsFedBundle\",\"version\":1}; chatons ordered by actor id, each with its actor, attestation, services and servicesCollection; credentials and status lists ordered by id, left out when there are none.", Json, typeof(JsonObject),
                JsonNode.Parse("""{"chatons":[],"type":"ChatonsFedBundle","version":1}""")),
            Unchanged,
        ]);

    public static ApiOperation FederationFile { get; } = new(
        "The directory as a ChatonsInfos federation file",
        "A federation file (UTF-8, LF): federation.name is the aggregator's Name setting, file.datetime the latest update among the verified chatons' documents, no file.url. One subs. line per verified chaton, ordered by actor id, pointing at the organization file its node serves ({base}/.well-known/chatonsinfos/{handle}.properties; id {handle}-{host}); with source=chatonsinfos or all, one subs. line per unsigned entry pointing at the organization file it was read from (id unsigned-{host}-{name}), after the verified ones. Two aggregators holding the same documents and sources write the same bytes.",
        [Source("signed (default): verified chatons only; chatonsinfos: unsigned entries only; all: both.", "signed", "chatonsinfos", "all")],
        [
            new(StatusCodes.Status200OK, "The federation file, with an ETag.", "text/plain", typeof(string),
                JsonValue.Create("[File]\nfile.class = federation\nfile.protocol = ChatonsInfos-0.5\nfile.datetime = 2025-03-02T10:00:00\nfile.generator = ChatonsFed\n\n[Federation]\nfederation.name = Annuaire\n\n[Subs]\nsubs.exemple-chatons.example = https://chatons.example/.well-known/chatonsinfos/exemple.properties\n")),
            Unchanged,
            BadRequest("unknown parameter 'format'; the only parameter is source=signed|chatonsinfos|all"),
        ]);

    public static ApiOperation Diagnostics { get; } = new(
        "Counts, actors not listed and why, recent rejections",
        "The directory's state as its owner sees it: counts, seeds and follows, the last crawl, each actor not listed with its reason, the latest rejections (membership credentials and status lists among them, kinds Credential and StatusList), membership at a glance (admission: trust roots, quorum, counts by status, problems), and for each ChatonsInfos federation file its outcomes, its organizations and its problems.",
        [new("limit", "How many actors not listed, rejections and organizations of each federation file to give, 1 to 1000 (default 100; a value out of range is brought within it).", Whole(1, 1000), JsonValue.Create(100))],
        [new(StatusCodes.Status200OK, "The directory's state.", Json, typeof(DirectoryStatus), Serialize(ExampleStatus()))]);

    public static ApiOperation OpenApi { get; } = new(
        "This document",
        "The OpenAPI 3.1 description of the directory API, generated from its endpoints.",
        [],
        [new(StatusCodes.Status200OK, "OpenAPI 3.1", Json, typeof(JsonObject), new JsonObject { ["openapi"] = "3.1.1", ["info"] = new JsonObject { ["title"] = Title, ["version"] = Version }, ["paths"] = new JsonObject() })]);

    /// <summary>Descriptions of the answers' types where their documentation comment does not read well on its own.</summary>
    public static IReadOnlyDictionary<Type, string> Types { get; } = new Dictionary<Type, string>
    {
        [typeof(EntryService)] = "One hosted service; categoryLabel is the shared list's French label of its category (or \"autre\").",
        [typeof(FederationReport)] = "One ChatonsInfos federation file: when it was read, how many organizations had each outcome, the organizations and what became of each, its problems.",
    };

    /// <summary>Descriptions of the answers' properties, by declaring type and property, where the name is not enough.</summary>
    public static IReadOnlyDictionary<(Type Type, string Property), ApiProperty> Properties { get; } = new Dictionary<(Type, string), ApiProperty>
    {
        [(typeof(DirectoryEntry), nameof(DirectoryEntry.Id))] = new("The actor id; for an unsigned entry, the URL of the organization file it was read from."),
        [(typeof(DirectoryEntry), nameof(DirectoryEntry.Verification))] = new("What this aggregator saw (not exported). An unsigned entry has state Unsigned, and firstSeen and lastSeen are the time its federation file was last read."),
        [(typeof(DirectoryEntry), nameof(DirectoryEntry.DistanceKm))] = new("Search hits only, with near: the great-circle distance from the centre, in km."),
        [(typeof(DirectoryEntry), nameof(DirectoryEntry.MatchingServices))] = new("Search hits only, with service criteria: the ids of the services that matched."),
        [(typeof(DirectoryEntry), nameof(DirectoryEntry.Source))] = new("signed: read from the chaton's signed documents; chatonsinfos: an unsigned entry, read from a ChatonsInfos organization file (and its service files), not checked by any signature.", [DirectoryEntry.SignedSource, DirectoryEntry.ChatonsInfosSource]),
        [(typeof(DirectoryEntry), nameof(DirectoryEntry.ChatonsInfos))] = new("Unsigned entries only: where the entry was read."),
        [(typeof(DirectoryEntry), nameof(DirectoryEntry.WebsiteConflicts))] = new("A verified chaton and an unsigned entry that give the same website while the organization file does not name the chaton's actor and the actor does not live on the website's host (or under it): both are listed, and each entry names the other here. Left out when there is none."),
        [(typeof(WebsiteConflict), nameof(WebsiteConflict.Chaton))] = new("The verified chaton's actor id."),
        [(typeof(WebsiteConflict), nameof(WebsiteConflict.OrganizationFile))] = new("The organization file's URL: the unsigned entry's id."),
        [(typeof(EntryChatonsInfos), nameof(EntryChatonsInfos.Federation))] = new("The federation file, as configured."),
        [(typeof(EntryChatonsInfos), nameof(EntryChatonsInfos.OrganizationFile))] = new("The organization file's URL (the entry's id)."),
        [(typeof(EntryVerification), nameof(EntryVerification.State))] = new("The last check's outcome.", ["Verified", "PartlyRejected", "LastCheckRejected", DirectoryEntry.UnsignedState]),
        [(typeof(EntryService), nameof(EntryService.CategoryLabel))] = new("The shared list's French label of the category, or \"autre\"."),
        [(typeof(DirectorySearchPage), nameof(DirectorySearchPage.NextCursor))] = new("The cursor of the next page, null on the last one."),
        [(typeof(DirectoryStatus), nameof(DirectoryStatus.UnsignedListed))] = new("Unsigned entries listed apart, from ChatonsInfos federation files."),
        [(typeof(DirectoryStatus), nameof(DirectoryStatus.ChatonsInfos))] = new("Each ChatonsInfos federation file of the sources."),
        [(typeof(DirectoryStatus), nameof(DirectoryStatus.Problems))] = new("Actors not listed, or that their node no longer serves, and why."),
        [(typeof(DirectoryStatus), nameof(DirectoryStatus.Rejections))] = new("The latest documents refused, newest first."),
        [(typeof(DirectoryStatus), nameof(DirectoryStatus.Follows))] = new("Tracked actors by follow state."),
        [(typeof(FederationReport), nameof(FederationReport.Name))] = new("federation.name; null when the file could not be read."),
        [(typeof(FederationReport), nameof(FederationReport.Outcomes))] = new("Organizations by outcome: unsigned (listed apart), actor (names its ChatonsFed actor: listed from it alone), actor-not-listed (names an actor that is not listed), website (the website of a verified chaton whose actor lives on the website's host or under it: the verified entry wins), website-conflict (the website of a verified chaton elsewhere, which the file does not name: both listed, the conflict shown on both entries), duplicate (a file already listed)."),
        [(typeof(FederationReport), nameof(FederationReport.Problems))] = new("Files that could not be read and lines that could not be used, each with its file."),
        [(typeof(FederationOrganizationOutcome), nameof(FederationOrganizationOutcome.Actor))] = new("The actor named, the verified chaton on the website's host, or (website-conflict) the first verified chaton elsewhere with the same website."),
        [(typeof(DirectoryDiagnostic), nameof(DirectoryDiagnostic.Reason))] = new("Why the document was refused."),
        [(typeof(DirectoryEntry), nameof(DirectoryEntry.Admission))] = new("This aggregator's view of the chaton's membership, computed from its trust roots and quorum (not the chaton's own declaration, which is membership). Left out when the aggregator has no trust root, and for unsigned entries."),
        [(typeof(EntryAdmission), nameof(EntryAdmission.Status))] = new("admitted: endorsed by admitted members on at least quorum distinct hosts (or a trust root); candidate: not (yet); lapsed: admitted once expired or cascading endorsements are counted; revoked: so, and one of its revoked endorsements counts there.", ["admitted", "candidate", "lapsed", "revoked"]),
        [(typeof(EntryAdmission), nameof(EntryAdmission.Root))] = new("One of this aggregator's trust roots: admitted by definition."),
        [(typeof(EntryAdmission), nameof(EntryAdmission.Endorsements))] = new("The distinct hosts of the admitted issuers whose valid credentials about it count (a host never counts for a chaton on it)."),
        [(typeof(EntryAdmission), nameof(EntryAdmission.EndorsedBy))] = new("For each host counted, its first issuer by actor id; sorted."),
        [(typeof(EntryAdmission), nameof(EntryAdmission.Until))] = new("When the credentials counted stop keeping it at the quorum (the quorum-th latest validUntil of the hosts counted); null for a root and below the quorum."),
        [(typeof(EntryAdmission), nameof(EntryAdmission.Credentials))] = new("Every authentic credential about the chaton, sorted by issuer then id."),
        [(typeof(DirectoryEntry), nameof(DirectoryEntry.Observation))] = new("This aggregator's observatory (its own view, never exported): the website and legal notice as last checked, and where observation and declaration disagree. Left out until something of the chaton was checked."),
        [(typeof(EntryService), nameof(EntryService.Observation))] = new("The service's URL as this aggregator's observatory last checked it; left out until it is checked."),
        [(typeof(Observatory.ObservationView), nameof(Observatory.ObservationView.State))] = new("up: 2xx or 3xx after at most 3 redirects; down: no connection, no answer in 10 s, or 5xx; error: 4xx, certificate refused, address refused, too many redirects.", ["up", "down", "error"]),
        [(typeof(Observatory.ObservationView), nameof(Observatory.ObservationView.Reason))] = new("Why it is not up: timeout, connection refused, http 503, http 404, address refused, too many redirects, tls: name mismatch, tls: untrusted, tls: expired…; left out when up."),
        [(typeof(Observatory.ObservationView), nameof(Observatory.ObservationView.HttpStatus))] = new("The last answer's status; null without an answer."),
        [(typeof(Observatory.ObservationView), nameof(Observatory.ObservationView.ResponseMs))] = new("From the request to the last answer's headers, redirects included, in ms; null without an answer."),
        [(typeof(Observatory.ObservationView), nameof(Observatory.ObservationView.Tls))] = new("The certificate of an https answer; null for http or without one."),
        [(typeof(Observatory.ObservationView), nameof(Observatory.ObservationView.ThirdPartyHosts))] = new("Hosts the page loads (scripts, stylesheets, icons, images, frames, media, form actions, refresh) that are neither the target's host nor under the chaton's site domain; sorted."),
        [(typeof(Observatory.ObservationView), nameof(Observatory.ObservationView.Trackers))] = new("Those of thirdPartyHosts on the tracker list shipped with the aggregator (or under a host on it)."),
        [(typeof(Observatory.ObservationView), nameof(Observatory.ObservationView.SecurityHeaders))] = new("Strict-Transport-Security, Content-Security-Policy, X-Content-Type-Options and Referrer-Policy of the last answer: null when absent; left out without an answer."),
        [(typeof(Observatory.ObservedUptime), nameof(Observatory.ObservedUptime.Days7))] = new("Share of the checks of the last 7 days that were up, from 0 to 1; null without a check."),
        [(typeof(Observatory.ObservedUptime), nameof(Observatory.ObservedUptime.Days30))] = new("Share of the checks of the last 30 days that were up, from 0 to 1; null without a check."),
        [(typeof(Observatory.ObservedUptime), nameof(Observatory.ObservedUptime.P50Ms))] = new("Median response time over 30 days: the upper bound of its histogram bucket, in ms."),
        [(typeof(Observatory.ObservedUptime), nameof(Observatory.ObservedUptime.P95Ms))] = new("95th percentile of the response times over 30 days: the upper bound of its histogram bucket, in ms."),
        [(typeof(Observatory.ObservationDiscrepancy), nameof(Observatory.ObservationDiscrepancy.Kind))] = new("declaredOnlineButDown: status ok or degraded, not up for more than a day; registrationPage404: free registration and open, the URL answers 404; legalNoticeUnreachable: the legal notice is down or in error.", [Observatory.ObservationViews.DeclaredOnlineButDown, Observatory.ObservationViews.RegistrationPage404, Observatory.ObservationViews.LegalNoticeUnreachable]),
        [(typeof(Observatory.ObservationDiscrepancy), nameof(Observatory.ObservationDiscrepancy.Since))] = new("The first check of the run that shows it."),
        [(typeof(Observatory.ObservationDiscrepancy), nameof(Observatory.ObservationDiscrepancy.Service))] = new("The service's id; null for the legal notice."),
        [(typeof(EntryCredential), nameof(EntryCredential.State))] = new("The credential's state now.", ["valid", "notYetValid", "statusUnavailable", "revoked", "expired"]),
        [(typeof(EntryCredential), nameof(EntryCredential.Counted))] = new("Whether it counts: valid, and by an admitted issuer."),
        [(typeof(EntryCredential), nameof(EntryCredential.CurrentAttestation))] = new("Whether the charter attestation the issuer reviewed (its digest) is the one the chaton publishes now."),
        [(typeof(DirectoryStatus), nameof(DirectoryStatus.Admission))] = new("Membership at a glance; left out without trust roots."),
        [(typeof(AdmissionSummary), nameof(AdmissionSummary.TrustRoots))] = new("The trust roots as the settings give them."),
        [(typeof(AdmissionSummary), nameof(AdmissionSummary.Roots))] = new("The trust roots' actor ids, handles resolved through WebFinger."),
        [(typeof(AdmissionSummary), nameof(AdmissionSummary.Problems))] = new("Trust roots not resolved, collections, credentials and status lists that could not be read at the last poll."),
    };

    private static JsonNode Serialize<T>(T value) => JsonSerializer.SerializeToNode(value, DirectoryEndpoints.Json)!;

    private static DirectoryEntry ExampleEntry()
    {
        var updated = new DateTimeOffset(2025, 3, 2, 10, 0, 0, TimeSpan.Zero);
        return new DirectoryEntry(
            ExampleActor,
            "Chaton d'exemple",
            "exemple",
            "Des services libres pour les associations de la région.",
            "https://chatons.example",
            "ASSOCIATION",
            new EntryMembership("ACTIVE", new DateOnly(2019, 4, 1), null),
            "FR",
            new EntryLocation("Lyon, Auvergne-Rhône-Alpes", 45.76, 4.84),
            "mailto:contact@chatons.example",
            "https://chatons.example/mentions-legales",
            null,
            updated,
            [new EntryService("pad", "Pad", "Rédaction collaborative en temps réel.", "https://pad.chatons.example", "collaborative-writing", "Rédaction collaborative (pad)", new EntrySoftware("Etherpad", "2.2.7", "Apache-2.0", "https://github.com/ether/etherpad-lite"), "free", "open", "ok", true, updated)
            {
                Observation = new Observatory.ObservationView("up", null, updated.AddHours(3), 200, 182, new Observatory.ObservedTls(updated.AddDays(61), 61), [], [],
                    new Observatory.ObservedUptime(1, 0.998, 1440, 200, 500), new Observatory.ObservedSecurityHeaders("max-age=31536000", null, "nosniff", "same-origin")),
            }],
            new EntryCharter("https://chatons.example/charter", "2016-v1", "https://chatons.org/fr/charte", ["collective.respect", "alternative.no-ads"], [], true, updated),
            new EntryVerification("Verified", false, updated.AddDays(-30), updated.AddHours(2)))
        {
            Observation = new Observatory.EntryObservation(
                new Observatory.ObservationView("up", null, updated.AddHours(3), 200, 95, new Observatory.ObservedTls(updated.AddDays(61), 61), ["stats.autre.example"], [],
                    new Observatory.ObservedUptime(1, 1, 1440, 100, 200), new Observatory.ObservedSecurityHeaders("max-age=31536000", "default-src 'self'", "nosniff", null)),
                new Observatory.ObservationView("error", "http 404", updated.AddHours(3), 404, 80, new Observatory.ObservedTls(updated.AddDays(61), 61), [], [],
                    new Observatory.ObservedUptime(0, 0, 1440, 100, 100), new Observatory.ObservedSecurityHeaders(null, null, null, null)),
                [new Observatory.ObservationDiscrepancy(Observatory.ObservationViews.LegalNoticeUnreachable, updated.AddDays(-2), null)]),
            Admission = new EntryAdmission("admitted", false, 2, 2, ["https://fondateur.example/actor", "https://lynx.example/actor"], updated.AddDays(300),
            [
                new EntryCredential("https://fondateur.example/actor", "https://fondateur.example/membership/issued/3f1c9a", updated.AddDays(300), "valid", true, true),
                new EntryCredential("https://lynx.example/actor", "https://lynx.example/membership/issued/82d07e", updated.AddDays(340), "valid", true, true),
            ]),
        };
    }

    private static DirectoryStatus ExampleStatus() => new()
    {
        Listed = 1,
        Tracked = 2,
        NotListed = 1,
        Seeds = ["acct:exemple@chatons.example"],
        Follows = new Dictionary<string, int> { ["Accepted"] = 2 },
        LastCrawlAt = new DateTimeOffset(2025, 3, 2, 12, 0, 0, TimeSpan.Zero),
        Problems = [new ActorProblem("https://autre.example/actor", false, new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero), null, "the actor's proof does not verify")],
    };
}
