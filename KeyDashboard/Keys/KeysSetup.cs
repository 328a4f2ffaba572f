using KeyDashboard.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KeyDashboard.Keys;

public static class KeysSetup
{
    public static IServiceCollection AddKeys(this IServiceCollection services)
    {
        services.AddSingleton(sp => new ApiKeyFormat(sp.GetRequiredService<IOptions<KeyDashboardOptions>>().Value.Keys.Prefix));
        services.AddSingleton(sp => new ApiKeyHasher(LoadPepper(sp)));
        services.AddSingleton(sp => new ScopeCatalog(sp.GetRequiredService<IOptions<KeyDashboardOptions>>().Value.Scopes));
        services.AddScoped<ApiKeyService>();
        services.AddSingleton<ApiKeyLookup>();
        services.AddScoped<KeyDetailsService>();
        services.AddScoped<LeakedKeyFinder>();
        services.AddSingleton<LeakReports>();
        services.AddScoped<LeakReportNotices>();
        services.AddSingleton<KeyUsageRecorder>();
        services.AddHostedService<KeyUsageFlusher>();
        return services;
    }

    private static byte[] LoadPepper(IServiceProvider services)
    {
        var configured = services.GetRequiredService<IOptions<KeyDashboardOptions>>().Value.Keys.Pepper;
        var dataProtection = services.GetRequiredService<IDataProtectionProvider>();
        using var db = services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext();
        return db.Database.IsNpgsql()
            ? PepperStore.Load(configured, db, dataProtection)
            : PepperStore.Load(configured, services.GetRequiredService<DataDirectory>().Path, dataProtection);
    }
}
