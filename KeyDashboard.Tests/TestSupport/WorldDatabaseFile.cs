using KeyDashboard.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// Where every test database comes from: a SQLite file migrated and seeded with the <see cref="TestWorld"/> once
/// per test run, then copied into each <see cref="TestDatabase"/> and <see cref="KeyDashboardFactory"/> data folder.
/// Copying a file takes a millisecond; migrating a new one took a hundred times that, for every test.
/// </summary>
public static class WorldDatabaseFile
{
    public const string FileName = "keydashboard.db";

    private static readonly Lazy<string> Template = new(Create);

    /// <summary>A new temp folder for one test's data.</summary>
    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "kd-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Puts a copy of the world's database in <paramref name="directory"/>, creating the folder.</summary>
    public static void CopyTo(string directory)
    {
        Directory.CreateDirectory(directory);
        File.Copy(Template.Value, Path.Combine(directory, FileName));
    }

    private static string Create()
    {
        var directory = NewDataDirectory();
        Directory.CreateDirectory(directory);
        var connectionString = DatabaseSetup.SqliteConnectionString(null, directory);
        using (var services = new ServiceCollection().AddKeyDashboardData(new ConfigurationBuilder().Build(), directory).BuildServiceProvider())
        using (var db = services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext())
        {
            db.Database.Migrate();
            db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
            TestWorld.Seed(db);
            // Everything into the main file, so that the file alone is the whole database.
            db.Database.ExecuteSqlRaw("PRAGMA wal_checkpoint(TRUNCATE);");
        }
        SqliteConnection.ClearPool(new SqliteConnection(connectionString));
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        };
        return Path.Combine(directory, FileName);
    }
}
