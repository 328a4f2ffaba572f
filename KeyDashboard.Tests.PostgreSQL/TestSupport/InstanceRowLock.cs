using KeyDashboard.Tests.TestSupport;
using Npgsql;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>A transaction holding one instance's row in "AppInstances": that instance's heartbeats wait behind it. Released on dispose.</summary>
public sealed class InstanceRowLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private InstanceRowLock(NpgsqlConnection connection, NpgsqlTransaction transaction) => (_connection, _transaction) = (connection, transaction);

    public static async Task<InstanceRowLock> TakeAsync(KeyDashboardFactory anyInstance, Guid instanceId)
    {
        var settings = WorldDatabaseCopies.Settings(anyInstance.DataDirectory);
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(settings[$"ConnectionStrings:{KeyDashboard.Data.DatabaseSetup.ConnectionStringName}"]) { Pooling = false }.ToString());
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("""SELECT 1 FROM "AppInstances" WHERE "Id" = @id FOR UPDATE""", connection, transaction);
        command.Parameters.AddWithValue("id", instanceId);
        await command.ExecuteScalarAsync();
        return new InstanceRowLock(connection, transaction);
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.RollbackAsync();
        await _connection.DisposeAsync();
    }
}
