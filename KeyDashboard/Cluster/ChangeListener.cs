using System.Collections.Concurrent;
using System.Diagnostics;
using KeyDashboard.Data;
using KeyDashboard.Telemetry;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace KeyDashboard.Cluster;

/// <summary>
/// On PostgreSQL, this instance's ear: on a connection of its own it LISTENs for <see cref="WorkspaceChanges"/>,
/// hands each to this instance's caches, acknowledges its revision in <see cref="AppInstance"/> and heartbeats
/// there, renewing the <see cref="InstanceLease"/>. Cut off, it stops trusting the caches at once and reconnects;
/// back, it forgets everything, since it may have missed changes, and only then trusts again.
/// </summary>
public sealed class ChangeListener(IDbContextFactory<AppDbContext> dbFactory, WorkspaceChanges changes, InstanceLease lease,
    IOptions<KeyDashboardOptions> options, KeyDashboardMetrics metrics, ILogger<ChangeListener> logger) : BackgroundService
{
    /// <summary>What the listener's connection calls itself in <c>pg_stat_activity</c>, before the instance's id.</summary>
    public const string ApplicationNamePrefix = "KeyDashboard listener ";
    private static readonly TimeSpan Reconnect = TimeSpan.FromMilliseconds(200);

    public Guid InstanceId { get; } = Guid.NewGuid();
    private readonly string _instanceName = $"{Environment.MachineName}/{Environment.ProcessId}";
    private readonly ConcurrentQueue<string> _heard = new();
    private TimeSpan Lease => options.Value.Cluster.Lease;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                lease.Lost();
                logger.LogWarning(e, "The change listener lost the database; this instance reads keys from the database until it is back.");
                await Task.Delay(Reconnect, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        lease.Lost();
        await base.StopAsync(cancellationToken);
        // Revokes stop waiting for this instance now rather than when its lease would have run out.
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.AppInstances.Where(i => i.Id == InstanceId).ExecuteDeleteAsync(cancellationToken);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            logger.LogWarning(e, "Could not sign this instance off; its lease runs out by itself.");
        }
    }

    private async Task ListenAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(ListenerConnectionString());
        connection.Notification += (_, e) => _heard.Enqueue(e.Payload);
        await connection.OpenAsync(ct);
        await RunAsync(connection, $"LISTEN {WorkspaceChanges.Channel}", ct);
        // Whatever committed before the LISTEN went unheard: forget it all. What commits after, the LISTEN hears.
        _heard.Clear();
        changes.MissedSome();
        var acknowledged = await CurrentRevisionAsync(connection, ct);
        await RunAsync(connection, """DELETE FROM "AppInstances" WHERE "LeaseUntil" < now() - interval '1 hour'""", ct);

        var nextHeartbeat = 0L;
        var unacknowledged = true;
        while (true)
        {
            if (unacknowledged || Stopwatch.GetTimestamp() >= nextHeartbeat)
            {
                var sentAt = Stopwatch.GetTimestamp();
                await HeartbeatAsync(connection, acknowledged, ct);
                // The heartbeat's reply comes after any notification committed before it; forget those first.
                unacknowledged = Drain(ref acknowledged);
                lease.Renewed(sentAt);
                nextHeartbeat = sentAt + (long)(Lease.TotalSeconds / 4 * Stopwatch.Frequency);
                if (unacknowledged) continue;
            }
            // In whole milliseconds, and never 0, which Npgsql takes for "wait forever".
            var untilHeartbeat = (int)Math.Ceiling(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), nextHeartbeat).TotalMilliseconds);
            if (untilHeartbeat > 0) await connection.WaitAsync(untilHeartbeat, ct);
            unacknowledged = Drain(ref acknowledged);
        }
    }

    /// <summary>Hands what was heard to the caches; true when there was anything (to acknowledge).</summary>
    private bool Drain(ref long acknowledged)
    {
        var any = false;
        while (_heard.TryDequeue(out var payload))
        {
            acknowledged = Math.Max(acknowledged, changes.Receive(payload));
            any = true;
        }
        return any;
    }

    private async Task HeartbeatAsync(NpgsqlConnection connection, long acknowledged, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO "AppInstances" ("Id", "Name", "StartedAt", "LeaseUntil", "AcknowledgedRevision")
            VALUES (@id, @name, now(), now() + @lease, @acknowledged)
            ON CONFLICT ("Id") DO UPDATE SET "LeaseUntil" = EXCLUDED."LeaseUntil",
                "AcknowledgedRevision" = GREATEST("AppInstances"."AcknowledgedRevision", EXCLUDED."AcknowledgedRevision");
            SELECT count(*)::int FROM "AppInstances" WHERE "LeaseUntil" > now();
            """, connection);
        command.Parameters.AddWithValue("id", InstanceId);
        command.Parameters.AddWithValue("name", _instanceName);
        command.Parameters.AddWithValue("lease", Lease);
        command.Parameters.AddWithValue("acknowledged", acknowledged);
        metrics.InstancesAlive((int)(await command.ExecuteScalarAsync(ct))!);
    }

    private static async Task<long> CurrentRevisionAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""SELECT "Value" FROM "ClusterRevisions" WHERE "Id" = {ClusterRevision.SingleId}""", connection);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task RunAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The app's connection string, for a connection of the listener's own that a pool never hands to anyone else.</summary>
    private string ListenerConnectionString()
    {
        using var db = dbFactory.CreateDbContext();
        return new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString())
        {
            Pooling = false,
            ApplicationName = ApplicationNamePrefix + InstanceId.ToString("N"),
            // A dead peer shows up in seconds rather than at TCP's timeout.
            TcpKeepAlive = true,
            TcpKeepAliveTime = Math.Max(1, (int)Lease.TotalSeconds),
            TcpKeepAliveInterval = 1,
            // A heartbeat stuck behind a lock ends the lease long before this; it then goes through the moment the lock does.
            CommandTimeout = Math.Max(1, (int)Math.Ceiling(Lease.TotalSeconds * 5)),
        }.ToString();
    }
}
