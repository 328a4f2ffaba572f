using KeyDashboard.Keys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace KeyDashboard.Api;

/// <summary>
/// The key-authenticated HTTP API under <c>/api/v1</c>. The dashboard's cookie stays the default scheme; the API's
/// endpoints accept only their own scheme, so a signed-in browser cannot call them with its cookie.
/// </summary>
public static class ApiSetup
{
    public const string Prefix = "/api/v1";
    /// <summary>Authorization policy of the key-authenticated group: a valid key, nothing more.</summary>
    public const string KeyPolicy = "ApiKey";
    public const string ServicePolicy = "ApiServiceToken";

    public static IServiceCollection AddApi(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddOptions<KeyDashboardOptions>().Validate(
            o => o.Api.ServiceTokens.All(t => t.Length >= ApiSettings.MinimumServiceTokenLength),
            $"Each KeyDashboard:Api:ServiceTokens entry must be at least {ApiSettings.MinimumServiceTokenLength} characters.").ValidateOnStart();

        services.AddSingleton<VerifiedKeyCache>();
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<FailedAuthenticationLimiter>();
        services.AddSingleton<KeyUsageRecorder>();
        services.AddHostedService<KeyUsageFlusher>();

        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyClaims.Scheme, null)
            .AddScheme<AuthenticationSchemeOptions, ServiceTokenAuthenticationHandler>(ServiceTokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(KeyPolicy, policy => policy.AddAuthenticationSchemes(ApiKeyClaims.Scheme).RequireAuthenticatedUser())
            .AddPolicy(ServicePolicy, policy => policy.AddAuthenticationSchemes(ServiceTokenAuthenticationHandler.SchemeName).RequireAuthenticatedUser());
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy<string, ApiKeyRateLimitPolicy>(ApiKeyRateLimitPolicy.Name);
        });
        return services;
    }

    /// <summary>Maps the API. Endpoints for keys live in <see cref="MapKeyApi"/>'s group; call it once per area.</summary>
    public static WebApplication MapApi(this WebApplication app)
    {
        var keys = app.MapKeyApi();
        keys.MapMe();
        keys.MapApiEndpoints();

        var services = ApiGroup(app).RequireAuthorization(ServicePolicy);
        services.MapVerify();
        app.MapApiDocument();
        return app;
    }

    /// <summary>
    /// The <c>/api/v1</c> group for key-authenticated endpoints: a valid key (claims as in <see cref="ApiKeyClaims"/>),
    /// per-key rate limiting, problem details, no antiforgery (no cookie is accepted, so there is nothing to forge).
    /// </summary>
    public static RouteGroupBuilder MapKeyApi(this IEndpointRouteBuilder app) =>
        ApiGroup(app).RequireAuthorization(KeyPolicy).RequireRateLimiting(ApiKeyRateLimitPolicy.Name);

    private static RouteGroupBuilder ApiGroup(IEndpointRouteBuilder app)
    {
        // Every API call may be refused for its credentials or its rate; the OpenAPI document says so.
        var group = app.MapGroup(Prefix).DisableAntiforgery()
            .ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status429TooManyRequests);
        // The dashboard re-executes empty error responses as its HTML "not found" page; API clients want JSON.
        group.WithMetadata(new SkipStatusCodePagesAttribute());
        return group;
    }
}
