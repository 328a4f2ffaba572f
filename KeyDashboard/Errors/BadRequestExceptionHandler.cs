using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace KeyDashboard.Errors;

/// <summary>
/// A request the framework refused to read, thrown wherever it was found: a missing or wrong antiforgery token, a
/// body too large, a value that does not bind, text PostgreSQL cannot hold (a NUL character). Each is the client's
/// mistake, so a 4xx, never a 500.
/// </summary>
internal sealed class BadRequestExceptionHandler(ILogger<BadRequestExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, detail) = exception switch
        {
            AntiforgeryValidationException => (StatusCodes.Status400BadRequest, AntiforgeryRefusal.Detail),
            BadHttpRequestException bad => (bad.StatusCode, bad.Message),
            _ when UnstorableText(exception) => (StatusCodes.Status400BadRequest, "The request holds text that cannot be stored, such as a NUL character."),
            _ => (0, null),
        };
        if (status == 0) return false;
        logger.LogInformation("Refused a request the framework could not read ({Status}): {Reason}", status, exception.Message);
        await ErrorResponse.WriteAsync(context, status, detail);
        return true;
    }

    private static bool UnstorableText(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
            if (e is PostgresException { SqlState: PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter })
                return true;
        return false;
    }
}
