using KeyDashboard.Cluster;
using KeyDashboard.Data;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.TestSupport;

public static class ClusterTestSupport
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    /// <summary>Returns once this instance trusts its caches: on PostgreSQL, once its change listener is up.</summary>
    public static async Task ListeningAsync(IServiceProvider services)
    {
        var lease = services.GetRequiredService<InstanceLease>();
        var deadline = DateTime.UtcNow + Patience;
        while (!lease.CachesTrusted)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The change listener did not reach the database within {Patience}.");
            await Task.Delay(10);
        }
    }

    /// <summary>
    /// Announces a change of <paramref name="workspaceId"/> made behind the services' back (straight in the database) as
    /// a service announces its own: on every instance, returning once all have heard it.
    /// </summary>
    public static async Task AnnounceChangeAsync(this IServiceProvider services, Guid workspaceId)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        await services.GetRequiredService<WorkspaceChanges>().SaveAsync(db, workspaceId, CancellationToken.None);
    }
}
