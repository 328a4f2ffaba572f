namespace KeyDashboard.Telemetry;

public static class TelemetrySetup
{
    public static IServiceCollection AddTelemetry(this IServiceCollection services)
    {
        services.AddSingleton<KeyDashboardMetrics>();
        return services;
    }
}
