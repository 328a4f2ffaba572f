using KeyDashboard.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// Where every test database comes from: a database migrated and seeded with the <see cref="TestWorld"/> once per test
/// run, then copied for each <see cref="TestDatabase"/> and <see cref="KeyDashboardFactory"/> data folder. On SQLite
/// the copy is the file <see cref="FileName"/> in that folder; on PostgreSQL (<see cref="TestProvider"/>) it is a
/// database made from the world's as a template, whose connection string the folder keeps in <see cref="PostgreSqlFileName"/>.
/// Copying takes milliseconds; migrating took a hundred times that, for every test.
/// </summary>
public static class WorldDatabaseCopies
{
    public const string FileName = "keydashboard.db";
    public const string PostgreSqlFileName = "postgresql-connection.txt";

    private static readonly Lazy<string> Template = new(TestProvider.IsPostgreSql ? CreatePostgreSqlTemplate : CreateSqliteTemplate);

    /// <summary>A new temp folder for one test's data.</summary>
    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "kd-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Whether <paramref name="directory"/> already has its database.</summary>
    public static bool HasDatabase(string directory) =>
        File.Exists(Path.Combine(directory, TestProvider.IsPostgreSql ? PostgreSqlFileName : FileName));

    /// <summary>Gives <paramref name="directory"/> a copy of the world's database, creating the folder.</summary>
    public static void CopyTo(string directory)
    {
        Directory.CreateDirectory(directory);
        if (TestProvider.IsPostgreSql) CreatePostgreSqlDatabase(directory, $"TEMPLATE \"{Template.Value}\"");
        else File.Copy(Template.Value, Path.Combine(directory, FileName));
    }

    /// <summary>Gives <paramref name="directory"/> an empty database, for the app's own first start.</summary>
    public static void CreateEmpty(string directory)
    {
        Directory.CreateDirectory(directory);
        if (TestProvider.IsPostgreSql) CreatePostgreSqlDatabase(directory, "TEMPLATE template0");
    }

    /// <summary>The configuration that points the app at <paramref name="directory"/>'s database: none for SQLite's default.</summary>
    public static IReadOnlyDictionary<string, string?> Settings(string directory) =>
        File.Exists(Path.Combine(directory, PostgreSqlFileName))
            ? new Dictionary<string, string?>
            {
                [DatabaseProviders.ProviderKey] = nameof(DatabaseProvider.PostgreSQL),
                [$"ConnectionStrings:{DatabaseSetup.ConnectionStringName}"] = File.ReadAllText(Path.Combine(directory, PostgreSqlFileName)),
            }
            : new Dictionary<string, string?>();

    public static IConfiguration Configuration(string directory) => new ConfigurationBuilder().AddInMemoryCollection(Settings(directory)).Build();

    /// <summary>Closes this folder's pooled connections (only its own: other tests' stay open) and deletes its database and the folder.</summary>
    public static void Delete(string directory, string? sqliteConnectionString = null)
    {
        var postgres = Path.Combine(directory, PostgreSqlFileName);
        if (File.Exists(postgres))
        {
            var connectionString = File.ReadAllText(postgres);
            NpgsqlConnection.ClearPool(new NpgsqlConnection(connectionString));
            PostgresServer.Execute($"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(connectionString).Database}\" WITH (FORCE)");
        }
        else
        {
            SqliteConnection.ClearPool(new SqliteConnection(DatabaseSetup.SqliteConnectionString(sqliteConnectionString, directory)));
        }
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
    }

    private static void CreatePostgreSqlDatabase(string directory, string from)
    {
        var name = $"kd_{Guid.NewGuid():N}";
        PostgresServer.Execute($"CREATE DATABASE \"{name}\" {from}");
        // As the app completes it: its connections then share a pool whose key Delete knows.
        File.WriteAllText(Path.Combine(directory, PostgreSqlFileName), DatabaseProviders.PostgreSqlConnectionString(PostgresServer.ConnectionString(name)));
    }

    private static void Seed(string directory)
    {
        using var services = new ServiceCollection().AddKeyDashboardData(Configuration(directory), directory).BuildServiceProvider();
        using var db = services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext();
        db.Database.Migrate();
        if (db.Database.IsSqlite()) db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
        TestWorld.Seed(db);
        // Everything into the main file, so that the file alone is the whole database.
        if (db.Database.IsSqlite()) db.Database.ExecuteSqlRaw("PRAGMA wal_checkpoint(TRUNCATE);");
    }

    private static string CreateSqliteTemplate()
    {
        var directory = NewDataDirectory();
        Directory.CreateDirectory(directory);
        Seed(directory);
        SqliteConnection.ClearPool(new SqliteConnection(DatabaseSetup.SqliteConnectionString(null, directory)));
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        };
        return Path.Combine(directory, FileName);
    }

    /// <summary>The world's database on the server, named for this run; no connection may stay open on a template.</summary>
    private static string CreatePostgreSqlTemplate()
    {
        var directory = NewDataDirectory();
        CreateEmpty(directory);
        Seed(directory);
        var connectionString = File.ReadAllText(Path.Combine(directory, PostgreSqlFileName));
        NpgsqlConnection.ClearPool(new NpgsqlConnection(connectionString));
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        return new NpgsqlConnectionStringBuilder(connectionString).Database!;
    }
}
