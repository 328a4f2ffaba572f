using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;

namespace KeyDashboard.Api;

/// <summary>
/// Turns a refused scope into a 403 problem-details body that names the missing permission. Every other
/// outcome (a challenge, the dashboard's own policies) goes to the framework's default handling.
/// </summary>
public sealed class ApiForbiddenResults(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var failure = authorizeResult.Forbidden
            ? authorizeResult.AuthorizationFailure?.FailureReasons.OfType<ScopeFailure>().FirstOrDefault()
            : null;
        if (failure is null)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        // RFC 6750's answer to a token without the scope an endpoint needs.
        if (failure.MissingScope)
            context.Response.Headers.WWWAuthenticate = $"Bearer error=\"insufficient_scope\", scope=\"{failure.Scope}\"";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Forbidden",
                Detail = failure.Message,
                Extensions = { ["permission"] = failure.Scope },
            },
        });
    }
}
