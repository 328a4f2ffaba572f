using Microsoft.AspNetCore.Authorization;

namespace KeyDashboard.Api;

/// <summary>The key-authenticated endpoints: scope authorization, their 403 and 4xx bodies, and their mapping.</summary>
public static class ApiEndpointsSetup
{
    public static IServiceCollection AddApiEndpoints(this IServiceCollection services)
    {
        // A value that does not bind answers a bare 400 (made problem details below) in every environment, rather
        // than an exception that Development's error page would answer with a stack trace.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = false);
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
    /// Gives every bodiless API error a problem-details body: a query value or JSON body the framework could not
    /// bind answers a bare 400, an unknown path under <c>/api</c> a bare 404, a wrong method a bare 405, a body that
    /// is not JSON a bare 415 (from routing, so before the endpoint's own status-code-page opt-out). Call after
    /// the dashboard's status code pages, so an unknown API path gets JSON rather than the HTML "not found" page.
    /// </summary>
    public static IApplicationBuilder UseApiProblemDetails(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            await next(context);
            var response = context.Response;
            if (!context.Request.Path.StartsWithSegments("/api") || response.StatusCode < 400 || response.HasStarted
                || response.ContentLength is not null || response.ContentType is not null) return;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = response.StatusCode,
                    Detail = response.StatusCode == StatusCodes.Status400BadRequest
                        ? "A value in the query string or the JSON body could not be read. Check its type and format against the OpenAPI document."
                        : null,
                },
            });
        });
}
