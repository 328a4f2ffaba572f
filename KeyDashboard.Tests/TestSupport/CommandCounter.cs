using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// Counts every command EF Core is about to send to the database. <see cref="FailNext"/> makes the next ones
/// fail as an unreachable database would.
/// </summary>
public sealed class CommandCounter : DbCommandInterceptor
{
    private int _count;
    private int _queries;
    private int _failuresLeft;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Only the reads: the usage flusher's writes, which run on a timer, do not count here.</summary>
    public int Queries => Volatile.Read(ref _queries);

    public void FailNext(int commands) => Volatile.Write(ref _failuresLeft, commands);

    public override DbCommand CommandCreated(CommandEndEventData eventData, DbCommand result)
    {
        Interlocked.Increment(ref _count);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)) Interlocked.Increment(ref _queries);
        return FailOr(result);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default) => FailOr(result);

    private ValueTask<T> FailOr<T>(T result)
    {
        if (Interlocked.Decrement(ref _failuresLeft) >= 0) throw new SqliteException("Injected failure: disk I/O error.", 10);
        Interlocked.Exchange(ref _failuresLeft, 0);
        return ValueTask.FromResult(result);
    }
}
