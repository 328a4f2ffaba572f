using Microsoft.AspNetCore.DataProtection;

namespace KeyDashboard.Data;

public static class DataProtectionSetup
{
    /// <summary>The application name every instance shares: cookies and protected data are isolated by it.</summary>
    public const string ApplicationName = "KeyDashboard";

    /// <summary>
    /// The keys that protect cookies, antiforgery tokens and the generated pepper: on PostgreSQL in the database, so a
    /// cookie one instance issued is accepted by every other; on SQLite in the data folder, the one instance's.
    /// </summary>
    public static IServiceCollection AddKeyDashboardDataProtection(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        var dataProtection = services.AddDataProtection().SetApplicationName(ApplicationName);
        if (DatabaseProviders.Configured(configuration) == DatabaseProvider.PostgreSQL)
            dataProtection.PersistKeysToDbContext<AppDbContext>();
        else
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "data-protection-keys")));
        return services;
    }
}
