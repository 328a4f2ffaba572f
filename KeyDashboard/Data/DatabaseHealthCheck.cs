using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KeyDashboard.Data;

/// <summary>
/// Healthy only when the database can be read and written: a read, then a write inside a transaction that is rolled
/// back, so nothing changes. A database locked by another writer or a folder that became read-only is Unhealthy (503).
/// </summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<AppDbContext> dbFactory) : IHealthCheck
{
    public const string Name = "database";
    /// <summary>A check waits no longer than this for a busy database (the busy timeout may be longer).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            db.Database.SetCommandTimeout(Timeout);
            await db.Roles.AsNoTracking().AnyAsync(cancellationToken);
            // Taking the write lock is the test: an update of no row needs it as much as a real one.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("""UPDATE "AspNetRoles" SET "Name" = "Name" WHERE 1 = 0""", cancellationToken);
            await transaction.RollbackAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus,
                DatabaseUnavailable.Is(e) ? "The database is busy or out of reach." : "The database cannot be read and written.", e);
        }
    }
}

public static class DatabaseHealthChecks
{
    public const string LivePath = "/health/live";

    public static IServiceCollection AddDatabaseHealthCheck(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>(DatabaseHealthCheck.Name, HealthStatus.Unhealthy, timeout: DatabaseHealthCheck.Timeout);
        return services;
    }

    /// <summary>
    /// <c>/health</c>: readiness, with the database check. <c>/health/live</c>: liveness, answered by the process alone
    /// without touching the database, cheap enough for a load balancer to ask every second.
    /// </summary>
    public static IEndpointRouteBuilder MapDatabaseHealthChecks(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health").DisableHttpMetrics();
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false }).DisableHttpMetrics();
        return app;
    }
}
