using System.Reflection;
using System.Runtime.Loader;
using Npgsql;

namespace KeyDashboard.Data;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSQL,
}

public static class DatabaseProviders
{
    public const string ProviderKey = "KeyDashboard:Database:Provider";
    public const int DefaultCommandTimeoutSeconds = 5;

    /// <summary>The provider <see cref="ProviderKey"/> names (any case), SQLite when it names none.</summary>
    public static DatabaseProvider Configured(IConfiguration configuration)
    {
        var name = configuration[ProviderKey];
        if (string.IsNullOrWhiteSpace(name)) return DatabaseProvider.Sqlite;
        return Enum.GetValues<DatabaseProvider>().Cast<DatabaseProvider?>()
                .FirstOrDefault(p => string.Equals(p.ToString(), name.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException($"{ProviderKey} is \"{name}\": it must be Sqlite or PostgreSQL.");
    }

    /// <summary>The connection string, checked as PostgreSQL's: the SQLite one of appsettings.json would fail later, and less clearly.</summary>
    public static string PostgreSqlConnectionString(string? configured)
    {
        const string Needed = $"{ProviderKey} is PostgreSQL: set ConnectionStrings:{DatabaseSetup.ConnectionStringName} to a PostgreSQL connection string " +
            "such as \"Host=db.example.com;Database=keydashboard;Username=keydashboard;Password=…\"";
        if (string.IsNullOrWhiteSpace(configured)) throw new InvalidOperationException($"{Needed}.");
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(configured);
            if (string.IsNullOrEmpty(builder.Host)) throw new InvalidOperationException($"{Needed}; it names no Host.");
            // As on SQLite: a writer stuck behind another's lock shows up as a 503 in seconds, not after Npgsql's 30 s.
            if (!configured.Replace(" ", "").Contains("CommandTimeout", StringComparison.OrdinalIgnoreCase)) builder.CommandTimeout = DefaultCommandTimeoutSeconds;
            return builder.ToString();
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"{Needed}; it is not one: {e.Message}", e);
        }
    }

    /// <summary>
    /// The assembly holding <paramref name="provider"/>'s migrations. It is built against the app, so the app cannot
    /// reference it: it is loaded from beside the app, where the build copies it.
    /// </summary>
    public static Assembly MigrationsAssembly(DatabaseProvider provider)
    {
        var name = $"KeyDashboard.Migrations.{provider}";
        var loaded = AssemblyLoadContext.Default.Assemblies.FirstOrDefault(a => a.GetName().Name == name);
        return loaded ?? AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.Combine(AppContext.BaseDirectory, $"{name}.dll"));
    }
}
