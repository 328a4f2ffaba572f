using KeyDashboard.Cluster;
using KeyDashboard.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// Three app instances on Kestrel over one PostgreSQL database, each with a data folder of its own (so nothing is
/// shared through files): A starts first and migrates, B and C join it, as deploy/cluster.sh starts them.
/// </summary>
public sealed class ThreeInstances : IAsyncDisposable
{
    private ThreeInstances(KeyDashboardFactory a, KeyDashboardFactory b, KeyDashboardFactory c) => (A, B, C) = (a, b, c);

    public KeyDashboardFactory A { get; }
    public KeyDashboardFactory B { get; }
    public KeyDashboardFactory C { get; }

    public static ThreeInstances Start(bool onKestrel = true)
    {
        var a = Started(new KeyDashboardFactory { OnKestrel = onKestrel });
        var b = Joining(a, onKestrel);
        var c = Joining(a, onKestrel);
        return new ThreeInstances(a, b, c);
    }

    /// <summary>The id under which the instance's change listener heartbeats, and names its connection.</summary>
    public static Guid InstanceId(KeyDashboardFactory instance) =>
        instance.Services.GetServices<IHostedService>().OfType<ChangeListener>().Single().InstanceId;

    /// <summary>Cuts the instance's change listener off, as a failover or a network blip would; returns whether it was connected.</summary>
    public static bool KillListener(KeyDashboardFactory instance) => PostgresServer.Scalar<bool>($"""
        SELECT count(*) > 0 FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = '{ChangeListener.ApplicationNamePrefix}{InstanceId(instance):N}') AS killed
        """);

    /// <summary>Returns once the instance's change listener is stuck behind a lock, hearing nothing more.</summary>
    public static async Task ListenerWaitingForALockAsync(KeyDashboardFactory instance)
    {
        for (var waited = 0; waited < 100; waited++)
        {
            if (PostgresServer.Scalar<bool>($"""
                SELECT count(*) > 0 FROM pg_stat_activity
                WHERE application_name = '{ChangeListener.ApplicationNamePrefix}{InstanceId(instance):N}' AND wait_event_type = 'Lock'
                """)) return;
            await Task.Delay(50);
        }
        throw new TimeoutException("The change listener never got stuck behind the lock.");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var joined in new[] { C, B })
        {
            await joined.DisposeAsync();
            Directory.Delete(joined.DataDirectory, recursive: true);
        }
        // The first drops the database.
        await A.DisposeAsync();
    }

    private static KeyDashboardFactory Joining(KeyDashboardFactory first, bool onKestrel)
    {
        var directory = WorldDatabaseCopies.NewDataDirectory();
        Directory.CreateDirectory(directory);
        File.Copy(Path.Combine(first.DataDirectory, WorldDatabaseCopies.PostgreSqlFileName), Path.Combine(directory, WorldDatabaseCopies.PostgreSqlFileName));
        return Started(new KeyDashboardFactory { DataDirectory = directory, KeepDataDirectory = true, OnKestrel = onKestrel });
    }

    private static KeyDashboardFactory Started(KeyDashboardFactory instance)
    {
        _ = instance.Services;
        _ = instance.BaseAddress;
        return instance;
    }
}
