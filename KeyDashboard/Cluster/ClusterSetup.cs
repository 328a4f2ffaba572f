using KeyDashboard.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace KeyDashboard.Cluster;

public static class ClusterSetup
{
    /// <summary>Alone on SQLite; on PostgreSQL one of possibly many instances, with a change listener and a lease.</summary>
    public static IServiceCollection AddCluster(this IServiceCollection services, IConfiguration configuration)
    {
        if (DatabaseProviders.Configured(configuration) != DatabaseProvider.PostgreSQL)
        {
            services.AddSingleton(InstanceLease.Alone());
            return services;
        }
        services.AddSingleton(sp => InstanceLease.Shared(sp.GetRequiredService<IOptions<KeyDashboardOptions>>().Value.Cluster.Lease));
        services.AddSingleton<ChangeAcknowledgements>();
        services.AddHostedService<ChangeListener>();
        services.AddHealthChecks().AddCheck<ChangeListenerHealthCheck>(ChangeListenerHealthCheck.Name, HealthStatus.Unhealthy);
        return services;
    }
}

/// <summary>Unhealthy while the change listener is not known to hear every change: this instance then reads every key from the database.</summary>
public sealed class ChangeListenerHealthCheck(InstanceLease lease) : IHealthCheck
{
    public const string Name = "change-listener";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lease.CachesTrusted
            ? HealthCheckResult.Healthy()
            : new HealthCheckResult(context.Registration.FailureStatus, "The change listener has not reached the database within its lease."));
}
