using Microsoft.AspNetCore.Diagnostics;

namespace KeyDashboard.Errors;

/// <summary>
/// Any other failure of an API call, outside Development: a 500 problem-details body without the exception's text,
/// rather than the dashboard's HTML error page an API client cannot read. Development's error page shows the details.
/// </summary>
internal sealed class ApiExceptionHandler(IHostEnvironment environment, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var path = ErrorResponse.RequestedPath(context);
        if (environment.IsDevelopment() || !path.StartsWithSegments("/api")) return false;
        logger.LogError(exception, "The API call {Method} {Path} failed.", context.Request.Method, path);
        await ErrorResponse.WriteAsync(context, StatusCodes.Status500InternalServerError, null);
        return true;
    }
}
