using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatonsFed.Aggregator.Api;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ChatonsFed.Aggregation.Tests;

/// <summary>
/// The directory API's OpenAPI document, generated from the endpoints: every route of the API described, with its
/// parameters, responses and examples.
/// </summary>
public sealed partial class DirectoryApiDocumentTests
{
    private const string DocumentPath = "/api/directory/openapi.json";

    [Fact]
    public async Task The_document_describes_every_directory_route_with_descriptions_examples_and_response_schemas()
    {
        await using var aggregator = await TestAggregator.InitAsync([]);
        using var response = await aggregator.Http.GetAsync(DocumentPath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var document = JsonNode.Parse(bytes)!.AsObject();

        Assert.Matches(@"^3\.1\.\d+$", document["openapi"]!.GetValue<string>());
        Assert.Equal("ChatonsFed directory API", document["info"]!["title"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(document["info"]!["version"]?.GetValue<string>()));
        Assert.Null(document["servers"]);

        // The routes the application serves under /api/directory, as its endpoint data source lists them: a new one
        // without a description fails here.
        var routes = aggregator.Running!.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/directory/", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m => (Path: OpenApiPath(e.RoutePattern.RawText!), Method: m.ToLowerInvariant())))
            .Order()
            .ToList();
        Assert.Equal(9, routes.Count);
        var paths = document["paths"]!.AsObject();
        var operations = paths.SelectMany(p => p.Value!.AsObject().Select(o => (Path: p.Key, Method: o.Key))).Order().ToList();
        Assert.Equal(routes, operations);

        foreach (var (path, method) in operations)
        {
            var operation = paths[path]![method]!;
            var where = $"{method} {path}";
            Assert.False(string.IsNullOrWhiteSpace(operation["summary"]?.GetValue<string>()), where + ": summary");
            Assert.False(string.IsNullOrWhiteSpace(operation["description"]?.GetValue<string>()), where + ": description");
            foreach (var parameter in operation["parameters"]?.AsArray() ?? [])
            {
                var name = $"{where} {parameter!["name"]}";
                Assert.False(string.IsNullOrWhiteSpace(parameter["description"]?.GetValue<string>()), name + ": description");
                Assert.NotNull(parameter["example"]);
                Assert.NotNull(parameter["schema"]);
            }

            var responses = operation["responses"]!.AsObject();
            Assert.Contains("200", responses.Select(r => r.Key));
            foreach (var (status, answer) in responses)
            {
                Assert.False(string.IsNullOrWhiteSpace(answer!["description"]?.GetValue<string>()), $"{where} {status}: description");
                foreach (var (type, media) in answer["content"]?.AsObject() ?? [])
                {
                    Assert.NotNull(media!["schema"]);
                    Assert.True(media["example"] is not null, $"{where} {status} {type}: example");
                }
            }

            Assert.True(operation["parameters"] is not null || responses["200"]!["content"] is not null, where + ": an example somewhere");
        }

        // The search parameters are the ones the search reads, each with its example; the path parameter is required.
        var search = paths["/api/directory/search"]!["get"]!;
        Assert.Equal(SearchParameters.Names.Order(StringComparer.Ordinal), search["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal("collaborative-writing", search["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "category")!["example"]!.GetValue<string>());
        Assert.True(paths["/api/directory/entries/{id}"]!["get"]!["parameters"]![0]!["required"]!.GetValue<bool>());
        Assert.True(paths["/api/directory/entry"]!["get"]!["parameters"]![0]!["required"]!.GetValue<bool>());
        Assert.Equal(["304", "200"], paths["/api/directory/export.csv"]!["get"]!["responses"]!.AsObject().Select(r => r.Key).Order(StringComparer.Ordinal).Reverse());
        Assert.Equal(["200", "304", "400"], paths["/api/directory/export.properties"]!["get"]!["responses"]!.AsObject().Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.Equal("text/csv", paths["/api/directory/export.csv"]!["get"]!["responses"]!["200"]!["content"]!.AsObject().Single().Key);

        // Response schemas: every reference resolves, the entry's properties are described, enums are written by name.
        var schemas = document["components"]!["schemas"]!.AsObject();
        foreach (Match reference in SchemaReference().Matches(Encoding.UTF8.GetString(bytes)))
        {
            Assert.True(schemas.ContainsKey(reference.Groups[1].Value), reference.Value);
        }

        Assert.Equal("#/components/schemas/" + nameof(DirectorySearchPage), search["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        var entry = schemas[nameof(DirectoryEntry)]!["properties"]!.AsObject();
        Assert.StartsWith("The actor id", entry["id"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("One hosted service; categoryLabel", schemas["EntryService"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["signed", "chatonsinfos"], entry["source"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Contains("InvalidProof", schemas["RejectionReason"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("integer", schemas[nameof(DirectorySearchPage)]!["properties"]!["total"]!["type"]!.GetValue<string>());
        Assert.Equal(["id", "name", "services", "source", "summary", "verification"], schemas[nameof(DirectoryEntry)]!["required"]!.AsArray().Select(v => v!.GetValue<string>()).Order(StringComparer.Ordinal));

        // Examples are written like the answers: UTF-8, not escaped.
        Assert.Contains("\"Lyon, Auvergne-Rhône-Alpes\"", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);

        // Made once, then served as it is.
        Assert.Equal(bytes, await aggregator.GetBytesAsync(DocumentPath));
    }

    [Fact]
    public async Task Only_an_aggregator_registers_the_document()
    {
        await using var node = await TestNode.InitAsync();
        Assert.Null(node.Running!.Services.GetKeyedService<IOpenApiDocumentProvider>(DirectoryOpenApi.DocumentName));
        using var response = await node.Http.GetAsync(DocumentPath);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);

        await using var aggregator = await TestAggregator.InitAsync([]);
        Assert.NotNull(aggregator.Running!.Services.GetKeyedService<IOpenApiDocumentProvider>(DirectoryOpenApi.DocumentName));
    }

    /// <summary>A route pattern as an OpenAPI path: a catch-all <c>{**id}</c> is the parameter <c>{id}</c>.</summary>
    private static string OpenApiPath(string pattern) => CatchAll().Replace(pattern, "{$1}");

    [GeneratedRegex(@"\{\*{1,2}([^}]+)\}")]
    private static partial Regex CatchAll();

    [GeneratedRegex("\"#/components/schemas/([^\"]+)\"")]
    private static partial Regex SchemaReference();
}
