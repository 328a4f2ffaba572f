using KeyDashboard.Data;
using Microsoft.AspNetCore.Diagnostics;

namespace KeyDashboard.Errors;

/// <summary>
/// A busy or unreachable database, wherever it surfaced (an endpoint's write, the key authentication's usage write, a
/// sign-in): 503 with <c>Retry-After</c>, problem details for the API, the same sentence as text for a browser.
/// </summary>
internal sealed class DatabaseUnavailableExceptionHandler(ILogger<DatabaseUnavailableExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!DatabaseUnavailable.Is(exception)) return false;
        logger.LogWarning(exception, "The database was busy or unreachable for {Method} {Path}.", context.Request.Method, ErrorResponse.RequestedPath(context));
        await ErrorResponse.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, DatabaseUnavailable.Message);
        return true;
    }
}
