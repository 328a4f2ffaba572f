using Microsoft.AspNetCore.Antiforgery;

namespace KeyDashboard.Errors;

/// <summary>
/// The antiforgery middleware only records a failed check; each endpoint is left to look. A Razor page refuses, a
/// minimal-API form fails to bind with an exception, and an endpoint that reads no form does not look at all. This
/// refuses every request whose endpoint requires a token and that lacks a valid one, before any endpoint runs.
/// </summary>
public static class AntiforgeryRefusal
{
    public const string Detail = "A valid antiforgery token is required. Reload the page and try again.";

    /// <summary>Call right after <c>UseAntiforgery</c>.</summary>
    public static IApplicationBuilder RefuseInvalidAntiforgeryTokens(this IApplicationBuilder app) =>
        app.Use((context, next) => context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false }
            ? ErrorResponse.WriteAsync(context, StatusCodes.Status400BadRequest, Detail)
            : next(context));
}
