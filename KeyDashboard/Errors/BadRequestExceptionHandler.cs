using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;

namespace KeyDashboard.Errors;

/// <summary>
/// A request the framework refused to read, thrown wherever it was found: a missing or wrong antiforgery token, a
/// body too large, a value that does not bind. Each is the client's mistake, so a 4xx, never a 500.
/// </summary>
internal sealed class BadRequestExceptionHandler(ILogger<BadRequestExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, detail) = exception switch
        {
            AntiforgeryValidationException => (StatusCodes.Status400BadRequest, AntiforgeryRefusal.Detail),
            BadHttpRequestException bad => (bad.StatusCode, bad.Message),
            _ => (0, null),
        };
        if (status == 0) return false;
        logger.LogInformation("Refused a request the framework could not read ({Status}): {Reason}", status, exception.Message);
        await ErrorResponse.WriteAsync(context, status, detail);
        return true;
    }
}
