using KeyDashboard.Api.KeyAuthentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace KeyDashboard.Api;

/// <summary>
/// The key-authenticated HTTP API under <c>/api/v1</c>: its authentication schemes, scope authorization, rate limits,
/// error answers, endpoints and OpenAPI document. The dashboard's cookie stays the default scheme; the API's endpoints
/// accept only their own scheme, so a signed-in browser cannot call them with its cookie.
/// </summary>
public static class ApiSetup
{
    public const string Prefix = "/api/v1";
    /// <summary>Authorization policy of the key-authenticated group: a valid key, nothing more.</summary>
    public const string ValidKeyPolicy = "ApiKey";
    public const string ServiceTokenPolicy = "ApiServiceToken";

    public static IServiceCollection AddApi(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddOptions<KeyDashboardOptions>().Validate(
            o => o.Api.ServiceTokens.All(t => t.Length >= ApiSettings.MinimumServiceTokenLength),
            $"Each KeyDashboard:Api:ServiceTokens entry must be at least {ApiSettings.MinimumServiceTokenLength} characters.").ValidateOnStart();
        // A value that does not bind answers a bare 400 (made problem details by UseApiProblemDetails) in every
        // environment, rather than an exception that Development's error page would answer with a stack trace.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = false);

        services.AddKeyAuthentication();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ServiceTokenAuthenticationHandler>(ServiceTokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ValidKeyPolicy, policy => policy.AddAuthenticationSchemes(ApiKeyClaims.Scheme).RequireAuthenticatedUser())
            .AddPolicy(ServiceTokenPolicy, policy => policy.AddAuthenticationSchemes(ServiceTokenAuthenticationHandler.SchemeName).RequireAuthenticatedUser());
        services.AddSingleton<IAuthorizationHandler, ScopeAuthorizationHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ApiProblems.ScopeRefusals>();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy<string, ApiKeyRateLimitPolicy>(ApiKeyRateLimitPolicy.Name);
            options.AddPolicy<string, LeakReportRateLimitPolicy>(LeakReportRateLimitPolicy.Name);
        });
        services.AddApiDocument();
        return services;
    }

    public static WebApplication MapApi(this WebApplication app)
    {
        // Any key-authenticated call may get 403: a live key of a workspace whose plan does not include live keys.
        var keys = ApiGroup(app).RequireAuthorization(ValidKeyPolicy).RequireRateLimiting(ApiKeyRateLimitPolicy.Name)
            .ProducesProblems(StatusCodes.Status403Forbidden);
        keys.MapMe()
            .MapKeyEndpoints()
            .MapUsageEndpoints()
            .MapMemberEndpoints()
            .MapAuditEndpoints();

        ApiGroup(app).RequireAuthorization(ServiceTokenPolicy).MapVerify();
        ApiGroup(app, withCredentials: false).MapLeakReports();
        app.MapApiDocument();
        return app;
    }

    /// <summary>
    /// The <c>/api/v1</c> group: problem details, no antiforgery (no cookie is accepted, so there is nothing to forge).
    /// The key-authenticated endpoints add a valid key (claims as in <see cref="ApiKeyClaims"/>) and per-key rate limiting;
    /// the leak reports take no credentials and are limited per client address.
    /// </summary>
    private static RouteGroupBuilder ApiGroup(IEndpointRouteBuilder app, bool withCredentials = true)
    {
        // Every API call may be refused for its rate, and one with credentials for those; the OpenAPI document says so.
        var group = app.MapGroup(Prefix).DisableAntiforgery().ProducesProblems(StatusCodes.Status429TooManyRequests);
        if (withCredentials) group.ProducesProblems(StatusCodes.Status401Unauthorized);
        // The dashboard re-executes empty error responses as its HTML "not found" page; API clients want JSON.
        group.WithMetadata(new SkipStatusCodePagesAttribute());
        return group;
    }
}
