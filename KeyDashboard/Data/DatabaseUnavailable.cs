using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace KeyDashboard.Data;

/// <summary>
/// The one place that tells a database that is busy or out of reach (worth retrying in a moment) from any other
/// failure. The API answers it with 503 and <c>Retry-After</c>, the dashboard with <see cref="Message"/> while the form
/// stays filled in. A write that failed this way wrote nothing: it was one transaction.
/// </summary>
public static class DatabaseUnavailable
{
    public const string Message = "The database is busy, try again.";
    /// <summary>Seconds a client should wait: about the busy timeout another writer may hold the database for.</summary>
    public const int RetryAfterSeconds = 5;

    // SQLite's primary result codes: another connection holds the write lock past the busy timeout (BUSY), a table
    // is locked within a shared cache (LOCKED), the file cannot be opened (CANTOPEN).
    private const int SqliteBusy = 5, SqliteLocked = 6, SqliteCantOpen = 14;

    /// <summary>Whether <paramref name="exception"/>, or one it wraps, says the database is busy or unreachable.</summary>
    public static bool Is(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SqliteException sqlite when (sqlite.SqliteErrorCode & 0xFF) is SqliteBusy or SqliteLocked or SqliteCantOpen:
                // Other providers (PostgreSQL) mark connection failures and timeouts as transient.
                case DbException { IsTransient: true }:
                case TimeoutException:
                    return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The service's answer, or <see cref="OperationStatus.Unavailable"/> when the database was busy: what a dashboard
    /// component awaits, so a busy database shows as the form's error instead of ending the circuit.
    /// </summary>
    public static async Task<OperationResult<T>> OrUnavailable<T>(this Task<OperationResult<T>> call)
    {
        try
        {
            return await call;
        }
        catch (Exception e) when (Is(e))
        {
            return OperationResult<T>.Unavailable(Message);
        }
    }
}
