using KeyDashboard.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace KeyDashboard.Keys;

public static class KeysSetup
{
    public static IServiceCollection AddKeys(this IServiceCollection services)
    {
        services.AddSingleton(sp => new ApiKeyFormat(sp.GetRequiredService<IOptions<KeyDashboardOptions>>().Value.Keys.Prefix));
        services.AddSingleton(sp => new ApiKeyHasher(PepperStore.Load(
            sp.GetRequiredService<IOptions<KeyDashboardOptions>>().Value.Keys.Pepper,
            sp.GetRequiredService<DataDirectory>().Path,
            sp.GetRequiredService<IDataProtectionProvider>())));
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
}
