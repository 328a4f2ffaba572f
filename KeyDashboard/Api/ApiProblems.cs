using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace KeyDashboard.Api;

/// <summary>
/// Every error answer of the API, each an RFC 9457 problem-details body: the ones endpoints return, the ones written
/// outside an endpoint (401, a refused scope's 403, 429), the bodiless errors of routing and binding, and the
/// error responses each endpoint documents. A service's refusals become problem details through
/// <see cref="OperationResultHttp"/>.
/// </summary>
public static class ApiProblems
{
    public const string ProblemJson = "application/problem+json";
    private static readonly string[] ProblemContentTypes = [ProblemJson];

    // One fixed body for every 401: missing, malformed, unknown, expired, revoked all look the same from outside
    // (no trace id either, which would differ per request). The reason goes to the server log.
    private static readonly byte[] UnauthorizedBody = Encoding.UTF8.GetBytes(
        """{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.2","title":"Unauthorized","status":401,"detail":"A valid API key is required. Send it as: Authorization: Bearer <key>."}""");

    /// <summary>A query or body value the endpoint itself found wrong.</summary>
    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message);

    public static Task WriteUnauthorizedAsync(HttpResponse response) => WriteUnauthorizedAsync(response, UnauthorizedBody);

    public static async Task WriteUnauthorizedAsync(HttpResponse response, byte[] body)
    {
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.Headers.WWWAuthenticate = "Bearer";
        response.Headers.CacheControl = "no-store";
        response.ContentType = ProblemJson;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body);
    }

    public static byte[] UnauthorizedBodyWith(string detail) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        type = "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        title = "Unauthorized",
        status = 401,
        detail,
    }));

    public static Task WriteTooManyRequestsAsync(HttpContext context, TimeSpan retryAfter, string detail)
    {
        context.Response.Headers[HeaderNames.RetryAfter] = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString();
        return Problem(StatusCodes.Status429TooManyRequests, "Too many requests", detail).ExecuteAsync(context);
    }

    public static Task WriteForbiddenAsync(HttpContext context, string detail) =>
        Problem(StatusCodes.Status403Forbidden, "Forbidden", detail).ExecuteAsync(context);

    /// <summary>A live key of a workspace on the Free plan: <c>reason</c> says so to software, as verify's answer does.</summary>
    public static Task WritePlanUpgradeRequiredAsync(HttpContext context, string detail)
    {
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status403Forbidden,
            Title = detail,
            Detail = $"{detail}. An owner can upgrade the workspace to the Paid plan in Settings; test keys keep working.",
            Extensions = { ["reason"] = "plan_upgrade_required" },
        }).ExecuteAsync(context);
    }

    /// <summary>Documents that the endpoint may answer these statuses with problem details.</summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statusCodes) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var statusCode in statusCodes)
            builder.WithMetadata(new ProducesResponseTypeMetadata(statusCode, typeof(ProblemDetails), ProblemContentTypes));
        return builder;
    }

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

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail });

    /// <summary>
    /// Turns a refused scope into a 403 problem-details body that names the missing permission. Every other
    /// outcome (a challenge, the dashboard's own policies) goes to the framework's default handling.
    /// </summary>
    public sealed class ScopeRefusals(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
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
}
