using System.Data.Common;
using KeyDashboard.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// Another writer holding the database's write lock, as a long migration, a backup or a stuck process would: the app
/// can still read, but each write waits for the busy timeout and fails. On SQLite the write lock itself; on
/// PostgreSQL an exclusive lock on every table of the app, which lets reads through as well. Released on dispose.
/// </summary>
public sealed class DatabaseWriteLock : IAsyncDisposable
{
    private readonly DbConnection _connection;

    private DatabaseWriteLock(DbConnection connection) => _connection = connection;

    public static async Task<DatabaseWriteLock> TakeAsync(string dataDirectory)
    {
        var settings = WorldDatabaseCopies.Settings(dataDirectory);
        DbConnection connection = settings.TryGetValue($"ConnectionStrings:{DatabaseSetup.ConnectionStringName}", out var postgres)
            ? new NpgsqlConnection(new NpgsqlConnectionStringBuilder(postgres) { Pooling = false }.ToString())
            : new SqliteConnection($"Data Source={Path.Combine(dataDirectory, WorldDatabaseCopies.FileName)};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = connection is NpgsqlConnection
            ? """
              BEGIN;
              DO $$ DECLARE t record; BEGIN
                FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
                  EXECUTE format('LOCK TABLE %I IN EXCLUSIVE MODE', t.tablename);
                END LOOP;
              END $$;
              """
            : "BEGIN IMMEDIATE;";
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
