namespace KeyDashboard.Telemetry;

public static class TelemetrySetup
{
    public static IServiceCollection AddKeyDashboardMetrics(this IServiceCollection services) =>
        services.AddMetrics().AddSingleton<KeyDashboardMetrics>();
}
