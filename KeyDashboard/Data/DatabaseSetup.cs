using System.Data.Common;
using KeyDashboard.Workspaces;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KeyDashboard.Data;

public static class DatabaseSetup
{
    public const string ConnectionStringName = "KeyDashboard";

    /// <summary>
    /// The database <c>KeyDashboard:Database:Provider</c> names with <c>ConnectionStrings:KeyDashboard</c>: SQLite in the
    /// data folder (a relative <c>Data Source</c> is taken relative to it), or PostgreSQL. Each provider's migrations
    /// come from its own assembly beside the app.
    /// </summary>
    public static IServiceCollection AddKeyDashboardData(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        var configured = configuration.GetConnectionString(ConnectionStringName);
        switch (DatabaseProviders.Configured(configuration))
        {
            case DatabaseProvider.PostgreSQL:
                var postgres = DatabaseProviders.PostgreSqlConnectionString(configured);
                services.AddDbContextFactory<AppDbContext>(options => options
                    .UseNpgsql(postgres, npgsql => npgsql.MigrationsAssembly(DatabaseProviders.MigrationsAssembly(DatabaseProvider.PostgreSQL))));
                break;
            default:
                var sqlite = SqliteConnectionString(configured, dataDirectory);
                var busyTimeout = TimeSpan.FromSeconds(new SqliteConnectionStringBuilder(sqlite).DefaultTimeout);
                services.AddDbContextFactory<AppDbContext>(options => options
                    .UseSqlite(sqlite, sqliteOptions => sqliteOptions.MigrationsAssembly(DatabaseProviders.MigrationsAssembly(DatabaseProvider.Sqlite)))
                    .AddInterceptors(new SqlitePragmas(busyTimeout)));
                break;
        }
        // Part of the data model (the passkeys table): the committed migrations are built with it.
        services.Configure<IdentityOptions>(options => options.Stores.SchemaVersion = IdentitySchemaVersions.Version3);
        return services;
    }

    public static string SqliteConnectionString(string? configured, string dataDirectory)
    {
        var builder = new SqliteConnectionStringBuilder(configured ?? "Data Source=keydashboard.db");
        if (builder.Mode is not SqliteOpenMode.Memory && !Path.IsPathRooted(builder.DataSource))
            builder.DataSource = Path.Combine(dataDirectory, builder.DataSource);
        // Microsoft.Data.Sqlite retries a busy database until the command timeout, and SQLite's own busy timeout is set
        // to the same: keep it short, so a stuck writer shows up as a 503 in seconds rather than requests hanging for
        // the default 30 s. "Default Timeout" in the connection string changes both.
        if (!configured?.Contains("Timeout", StringComparison.OrdinalIgnoreCase) ?? true) builder.DefaultTimeout = 5;
        return builder.ToString();
    }

    /// <summary>
    /// Why the app cannot start on its data folder, in one line that names it, or null when it can: the folder is
    /// created if missing and must take a new file. Asked before anything else touches the folder, so whoever starts
    /// the app reads the cause instead of a stack trace from wherever the first write happened to fail.
    /// </summary>
    public static string? DataDirectoryProblem(this WebApplication app)
    {
        var path = app.Services.GetRequiredService<DataDirectory>().Path;
        try
        {
            Directory.CreateDirectory(path);
            var probe = Path.Combine(path, $".write-test-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"KeyDashboard cannot write to its data folder {path}: {e.Message} Set KeyDashboard:DataDirectory to a folder it may write.";
        }
    }

    /// <summary>Applies the committed migrations, switches SQLite to WAL, creates the roles, loads the pepper, and seeds demo data once.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<KeyDashboardOptions>>().Value;
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // A migration may take longer than a request's command is allowed to.
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        await db.Database.MigrateAsync();
        if (db.Database.IsSqlite())
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");

        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role)) await roles.CreateAsync(new IdentityRole(role));

        // The pepper now rather than at the first request that needs it: on PostgreSQL it may come from the database.
        _ = app.Services.GetRequiredService<Keys.ApiKeyHasher>();

        if (options.SeedDemoData && !await db.Workspaces.AnyAsync())
            await ActivatorUtilities.CreateInstance<DemoData>(scope.ServiceProvider).SeedAsync();
    }

    /// <summary>Per-connection settings: they are not stored in the database file, so each connection sets them.</summary>
    private sealed class SqlitePragmas(TimeSpan busyTimeout) : DbConnectionInterceptor
    {
        private readonly string _pragmas = $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL;";

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = _pragmas;
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = _pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}

/// <summary>The absolute path of the folder holding the database, the generated pepper and the Data Protection keys.</summary>
public sealed record DataDirectory(string Path);
