using KeyDashboard.Data;

namespace KeyDashboard.Errors;

/// <summary>An error answer written outside an endpoint: problem details for a client that takes JSON (every API client), plain text for the rest.</summary>
internal static class ErrorResponse
{
    public static async Task WriteAsync(HttpContext context, int status, string? detail)
    {
        var response = context.Response;
        response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable) response.Headers.RetryAfter = DatabaseUnavailable.RetryAfterSeconds.ToString();
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = { Status = status, Detail = detail } }))
            return;
        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync(detail ?? ReasonPhrase(status));
    }

    /// <summary>The path the failed request asked for: the exception handler has already pointed the request at its error page.</summary>
    public static PathString RequestedPath(HttpContext context) =>
        context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerPathFeature>()?.Path ?? context.Request.Path;

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
}
