using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace KeyDashboard.Api;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c>: the key-authenticated endpoints and their bearer scheme; and its
/// interactive reference at <c>/api/reference</c>.
/// </summary>
public static class ApiDocument
{
    public const string BearerScheme = "Bearer";
    public const string ServiceTokenScheme = "ServiceToken";

    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            // The API only: the dashboard's own form endpoints (sign-out, downloads) are not part of it.
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "KeyDashboard API";
                document.Info.Description = "Manage a workspace's API keys, and read its members, audit log and usage, with one of its keys. "
                    + "Send the key as `Authorization: Bearer <key>`. A call needs the scope its operation names, and the key's owner's role must allow it.";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "API key (kd_live_… or kd_test_…)",
                    Description = "A workspace API key. Never in the query string.",
                };
                document.Components.SecuritySchemes[ServiceTokenScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "A service token from KeyDashboard:Api:ServiceTokens, for a product's own services to call verify. Not a workspace key.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                var policies = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).ToHashSet();
                var scheme = policies.Contains(ApiSetup.ValidKeyPolicy) ? BearerScheme : policies.Contains(ApiSetup.ServiceTokenPolicy) ? ServiceTokenScheme : null;
                if (scheme is not null)
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] });
                }
                if (metadata.OfType<KeyVersionHeaders.KeyVersionMetadata>().FirstOrDefault() is { } version) DescribeKeyVersion(operation, version);
                if (metadata.OfType<ScopeRequirement>().FirstOrDefault() is { } scope)
                    operation.Description = $"{operation.Description}\n\nScope: `{scope.Scope}`.".TrimStart();
                return Task.CompletedTask;
            });
        });

    private static void DescribeKeyVersion(OpenApiOperation operation, KeyVersionHeaders.KeyVersionMetadata version)
    {
        var text = new OpenApiSchema { Type = JsonSchemaType.String };
        if (version.TakesIfMatch)
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "If-Match",
                In = ParameterLocation.Header,
                Description = "The ETag of the key as you last saw it: the change applies only to that version (409 otherwise).",
                Schema = text,
            });
        }
        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (!status.StartsWith('2') || response is not OpenApiResponse described) continue;
            described.Headers ??= new Dictionary<string, IOpenApiHeader>();
            described.Headers["ETag"] = new OpenApiHeader { Description = "The key's version, for If-Match.", Schema = text };
        }
    }

    public const string ReferencePath = "/api/reference";

    public static IEndpointRouteBuilder MapApiDocument(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi();
        // Interactive: an integrator tries the endpoints with their own key, from the document above. Self-hosted, so
        // nothing is fetched from elsewhere (no web fonts, no telemetry, no agent); the nonce lets its inline script past
        // the Content-Security-Policy.
        app.MapScalarApiReference(ReferencePath, options => options
            .WithTitle("KeyDashboard API reference")
            .WithNonce()
            .AddPreferredSecuritySchemes(BearerScheme)
            .HideDeveloperTools()
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp());
        return app;
    }
}
