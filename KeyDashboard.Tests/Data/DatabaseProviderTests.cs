using KeyDashboard.Data;
using KeyDashboard.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace KeyDashboard.Tests.Data;

public sealed class DatabaseProviderTests
{
    [Theory]
    [InlineData(null, DatabaseProvider.Sqlite)]
    [InlineData("", DatabaseProvider.Sqlite)]
    [InlineData("sqlite", DatabaseProvider.Sqlite)]
    [InlineData("PostgreSQL", DatabaseProvider.PostgreSQL)]
    [InlineData(" postgresql ", DatabaseProvider.PostgreSQL)]
    public void The_provider_is_named_in_any_case_and_sqlite_by_default(string? name, DatabaseProvider expected) =>
        Assert.Equal(expected, DatabaseProviders.Configured(Configuration(name)));

    [Theory]
    [InlineData("SqlServer")]
    [InlineData("1")]
    [InlineData("Sqlite;PostgreSQL")]
    public void Any_other_provider_stops_the_start_with_a_sentence_naming_the_setting(string name)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => DatabaseProviders.Configured(Configuration(name)));
        Assert.Contains(DatabaseProviders.ProviderKey, refused.Message);
        Assert.Contains("Sqlite or PostgreSQL", refused.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Data Source=keydashboard.db;Default Timeout=5")]
    [InlineData("Database=keydashboard")]
    public void PostgreSQL_with_a_missing_or_sqlite_connection_string_says_what_to_set(string? connectionString)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => DatabaseProviders.PostgreSqlConnectionString(connectionString));
        Assert.Contains("ConnectionStrings:KeyDashboard", refused.Message);
    }

    [Fact]
    public void A_PostgreSQL_command_waits_five_seconds_for_a_lock_unless_the_connection_string_says_otherwise()
    {
        Assert.Contains("Command Timeout=5", DatabaseProviders.PostgreSqlConnectionString("Host=db.example.com;Database=kd"));
        Assert.Contains("Command Timeout=60", DatabaseProviders.PostgreSqlConnectionString("Host=db.example.com;Command Timeout=60"));
    }

    [Fact]
    public async Task A_time_with_an_offset_is_stored_as_the_same_instant_and_on_postgresql_read_back_in_utc()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync();
        var instant = new DateTimeOffset(2027, 3, 1, 14, 30, 0, TimeSpan.FromHours(2));
        await using (var db = await database.DbFactory.CreateDbContextAsync())
        {
            var row = await db.ApiKeys.SingleAsync(k => k.Id == key.Key.Id);
            row.ExpiresAt = instant;
            await db.SaveChangesAsync();
        }

        await using var read = await database.DbFactory.CreateDbContextAsync();
        var stored = (await read.ApiKeys.SingleAsync(k => k.Id == key.Key.Id)).ExpiresAt!.Value;
        Assert.Equal(instant, stored);
        // PostgreSQL's timestamptz keeps no offset; SQLite's binary form keeps the one written (the app writes UTC).
        if (TestProvider.IsPostgreSql) Assert.Equal(TimeSpan.Zero, stored.Offset);
        Assert.Equal(1, await read.ApiKeys.CountAsync(k => k.Id == key.Key.Id && k.ExpiresAt < instant.AddSeconds(1) && k.ExpiresAt > instant.AddSeconds(-1)));
    }

    private static IConfiguration Configuration(string? provider) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [DatabaseProviders.ProviderKey] = provider }).Build();
}
