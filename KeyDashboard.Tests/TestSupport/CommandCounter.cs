using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// Counts every command EF Core is about to send to the database. <see cref="FailNext"/> makes the next ones
/// fail as an unreachable database would; <see cref="FailNextQueries"/> only the next reads, so that the usage
/// flusher's writes, which run on a timer, can't take the failure meant for a request.
/// </summary>
public sealed class CommandCounter : DbCommandInterceptor
{
    private int _count;
    private int _queries;
    private int _failuresLeft;
    private int _queryFailuresLeft;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Only the reads: the usage flusher's writes, which run on a timer, do not count here.</summary>
    public int Queries => Volatile.Read(ref _queries);

    public void FailNext(int commands) => Volatile.Write(ref _failuresLeft, commands);

    public void FailNextQueries(int queries) => Volatile.Write(ref _queryFailuresLeft, queries);

    public override DbCommand CommandCreated(CommandEndEventData eventData, DbCommand result)
    {
        Interlocked.Increment(ref _count);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        var query = command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase);
        if (query) Interlocked.Increment(ref _queries);
        return FailOr(result, query);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default) => FailOr(result, query: false);

    private ValueTask<T> FailOr<T>(T result, bool query)
    {
        if ((query && TakeFailure(ref _queryFailuresLeft)) || TakeFailure(ref _failuresLeft))
            throw new SqliteException("Injected failure: disk I/O error.", 10);
        return ValueTask.FromResult(result);
    }

    private static bool TakeFailure(ref int left)
    {
        if (Interlocked.Decrement(ref left) >= 0) return true;
        Interlocked.Exchange(ref left, 0);
        return false;
    }
}
