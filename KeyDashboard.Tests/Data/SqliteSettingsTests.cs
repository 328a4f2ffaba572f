using System.Data.Common;
using KeyDashboard.Data;
using KeyDashboard.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.Data;

public sealed class SqliteSettingsTests
{
    [Fact]
    public async Task The_database_is_one_file_in_the_data_folder_in_wal_mode_with_a_short_busy_timeout()
    {
        await using var app = new KeyDashboardFactory();
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();

        var file = new SqliteConnectionStringBuilder(connection.ConnectionString).DataSource;
        Assert.Equal(Path.Combine(app.DataDirectory, "keydashboard.db"), file);
        Assert.True(File.Exists(file));
        Assert.Equal("wal", await PragmaAsync(connection, "journal_mode"));
        var busyTimeout = long.Parse(await PragmaAsync(connection, "busy_timeout"));
        Assert.InRange(busyTimeout, 1, 29_999);
    }

    private static async Task<string> PragmaAsync(DbConnection connection, string pragma)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {pragma};";
        return Convert.ToString(await command.ExecuteScalarAsync())!;
    }
}
