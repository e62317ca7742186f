using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace ChatonsFed.Aggregator.Api;

/// <summary>
/// The directory API's OpenAPI document, generated from the endpoints under <c>/api/directory</c> (their routes,
/// parameters, response types and the texts of <see cref="DirectoryApiDescriptions"/>) and served at
/// <c>/api/directory/openapi.json</c>. Registered only when the aggregator role is on; the document is built on its
/// first request, then kept.
/// </summary>
public static class DirectoryOpenApi
{
    /// <summary>The document's name, and the endpoint group name of the routes it describes.</summary>
    public const string DocumentName = "directory";

    /// <summary>The OpenAPI services for the directory document alone: the admin API and the ActivityPub routes are left out.</summary>
    public static IServiceCollection AddDirectoryOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi(DocumentName, options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            options.ShouldInclude = description => description.GroupName == DocumentName;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo { Title = DirectoryApiDescriptions.Title, Version = DirectoryApiDescriptions.Version, Description = DirectoryApiDescriptions.Overview };
                // Paths are relative to wherever the aggregator is reached: the document names no server, so it can be kept.
                document.Servers = null;
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                DescribeSchema(schema, context);
                return Task.CompletedTask;
            });
        });
        services.AddSingleton<DirectoryOpenApiDocument>();
        return services;
    }

    /// <summary>Gives an endpoint its summary, description, parameters, responses and examples.</summary>
    internal static RouteHandlerBuilder Describe(this RouteHandlerBuilder builder, ApiOperation operation)
    {
        builder.WithSummary(operation.Summary).WithDescription(operation.Description);
        foreach (var response in operation.Responses)
        {
            if (response.ContentType is null)
            {
                builder.Produces(response.Status);
            }
            else
            {
                builder.Produces(response.Status, response.Body, response.ContentType);
            }
        }

        return builder.AddOpenApiOperationTransformer((target, _, _) =>
        {
            Apply(operation, target);
            return Task.CompletedTask;
        });
    }

    private static void Apply(ApiOperation operation, OpenApiOperation target)
    {
        // Parameters read from the handler's signature are replaced by the described ones; one left undescribed stays
        // as it was inferred, without a description, for a test to notice.
        var parameters = target.Parameters ??= [];
        foreach (var parameter in operation.Parameters)
        {
            var described = new OpenApiParameter
            {
                Name = parameter.Name,
                In = parameter.In,
                Required = parameter.Required || parameter.In == ParameterLocation.Path,
                Description = parameter.Description,
                Schema = parameter.Schema,
                Example = parameter.Example.DeepClone(),
            };
            var index = parameters.ToList().FindIndex(p => p.Name == parameter.Name && p.In == parameter.In);
            if (index >= 0)
            {
                parameters[index] = described;
            }
            else
            {
                parameters.Add(described);
            }
        }

        foreach (var response in operation.Responses)
        {
            var key = response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (target.Responses?.TryGetValue(key, out var existing) != true || existing is not OpenApiResponse answer)
            {
                continue;
            }

            answer.Description = response.Description;
            if (response.ContentType is not null && response.Example is not null && answer.Content?.TryGetValue(response.ContentType, out var media) == true)
            {
                media.Example = response.Example.DeepClone();
            }
        }
    }

    /// <summary>
    /// The schemas say what the directory API writes, not what the host's JSON settings (which the schema generator
    /// follows) would read: enums by name, numbers as numbers, and a member that can be null left out rather than
    /// written null, so only the others are required. The properties and types whose name is not enough get their
    /// description.
    /// </summary>
    private static void DescribeSchema(OpenApiSchema schema, OpenApiSchemaTransformerContext context)
    {
        var type = context.JsonTypeInfo.Type;
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsEnum)
        {
            schema.Type = underlying == type ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
            schema.Format = null;
            schema.Enum = [.. Enum.GetNames(underlying).Select(name => (JsonNode)JsonValue.Create(name))];
        }
        else if (schema.Type is { } kind && (kind & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0 && (kind & JsonSchemaType.String) != 0)
        {
            schema.Type = kind & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        if (context.JsonPropertyInfo is null && schema.Properties is { Count: > 0 })
        {
            schema.Required = context.JsonTypeInfo.Properties.Where(p => !p.IsGetNullable).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            if (DirectoryApiDescriptions.Types.TryGetValue(type, out var description))
            {
                schema.Description = description;
            }
        }

        if (context.JsonPropertyInfo is { } property && property.AttributeProvider is System.Reflection.MemberInfo member
            && DirectoryApiDescriptions.Properties.TryGetValue((member.DeclaringType!, member.Name), out var text))
        {
            schema.Description = text.Description;
            if (text.Values is { } values)
            {
                schema.Enum = [.. values.Select(value => (JsonNode)JsonValue.Create(value))];
            }
        }
    }
}

/// <summary>One operation of the directory API as its OpenAPI document describes it.</summary>
internal sealed record ApiOperation(string Summary, string Description, IReadOnlyList<ApiParameter> Parameters, IReadOnlyList<ApiResponse> Responses);

/// <summary>A parameter: where it goes, what it means, its schema and an example value.</summary>
internal sealed record ApiParameter(string Name, string Description, OpenApiSchema Schema, JsonNode Example, bool Required = false, ParameterLocation In = ParameterLocation.Query);

/// <summary>A response: its status, what it means, and for one with a body its media type, body type and an example.</summary>
internal sealed record ApiResponse(int Status, string Description, string? ContentType = null, Type? Body = null, JsonNode? Example = null);

/// <summary>A property's description, and the values it takes when they are a short fixed list.</summary>
internal sealed record ApiProperty(string Description, IReadOnlyList<string>? Values = null);

/// <summary>The directory API's OpenAPI document as served: generated on its first request, then kept as bytes.</summary>
internal sealed class DirectoryOpenApiDocument(IServiceProvider services)
{
    private readonly Lazy<Task<byte[]>> _json = new(() => GenerateAsync(services));

    public Task<byte[]> GetAsync() => _json.Value;

    private static async Task<byte[]> GenerateAsync(IServiceProvider services)
    {
        // Not the first request's token: the document is shared, and a client leaving must not spoil it for the next.
        var document = await services.GetRequiredKeyedService<IOpenApiDocumentProvider>(DirectoryOpenApi.DocumentName).GetOpenApiDocumentAsync(CancellationToken.None);
        using var output = new MemoryStream();
        await document.SerializeAsJsonAsync(output, OpenApiSpecVersion.OpenApi3_1, CancellationToken.None);
        return output.ToArray();
    }
}
