using Microsoft.AspNetCore.Authorization;

namespace KeyDashboard.Api;

/// <summary>The key-authenticated endpoints: scope authorization, their 403 and 4xx bodies, and their mapping.</summary>
public static class ApiEndpointsSetup
{
    public static IServiceCollection AddApiEndpoints(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddSingleton<IAuthorizationHandler, ScopeAuthorizationHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ApiForbiddenResults>();
        services.AddApiDocument();
        return services;
    }

    public static RouteGroupBuilder MapApiEndpoints(this RouteGroupBuilder api) =>
        api.MapKeyEndpoints()
            .MapUsageEndpoints()
            .MapMemberEndpoints()
            .MapAuditEndpoints();

    /// <summary>
    /// Gives every bodiless API error (a query value or JSON body the framework could not bind, for instance)
    /// a problem-details body, instead of the dashboard's HTML "not found" page. Call after the dashboard's
    /// status code pages, so this one answers first for <c>/api</c>.
    /// </summary>
    public static IApplicationBuilder UseApiProblemDetails(this IApplicationBuilder app) =>
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"), api => api.UseStatusCodePages());
}
