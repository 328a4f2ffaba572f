using Microsoft.Data.Sqlite;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// Another writer holding the SQLite database's write lock, as a long migration, a backup or a stuck process would:
/// the app can still read (WAL), but each write waits for the busy timeout and fails. Released on dispose.
/// </summary>
public sealed class DatabaseWriteLock : IAsyncDisposable
{
    private readonly SqliteConnection _connection;

    private DatabaseWriteLock(SqliteConnection connection) => _connection = connection;

    public static async Task<DatabaseWriteLock> TakeAsync(string dataDirectory)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, WorldDatabaseFile.FileName)};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "BEGIN IMMEDIATE;";
        await command.ExecuteNonQueryAsync();
        return new DatabaseWriteLock(connection);
    }

    public async ValueTask DisposeAsync()
    {
        await using (var command = _connection.CreateCommand())
        {
            command.CommandText = "ROLLBACK;";
            await command.ExecuteNonQueryAsync();
        }
        await _connection.DisposeAsync();
    }
}
