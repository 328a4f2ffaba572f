using System.Diagnostics;
using KeyDashboard.Data;
using KeyDashboard.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KeyDashboard.Cluster;

/// <summary>
/// Waits, after a change committed, until every instance whose lease has not run out has acknowledged its revision.
/// An instance that can't acknowledge loses its lease within one lease and stops trusting its caches before that, so
/// the wait is bounded by the lease and a silent instance never holds a revoke up for longer.
/// </summary>
public sealed class ChangeAcknowledgements(IDbContextFactory<AppDbContext> dbFactory, IOptions<KeyDashboardOptions> options,
    KeyDashboardMetrics metrics, ILogger<ChangeAcknowledgements> logger)
{
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(20);

    public async Task WaitAsync(long revision)
    {
        var started = Stopwatch.GetTimestamp();
        // A silent instance's lease runs out within one lease; the rest is for a slow database.
        var deadline = options.Value.Cluster.Lease * 3;
        var pause = TimeSpan.FromMilliseconds(1);
        await using var db = await dbFactory.CreateDbContextAsync();
        while (await UnacknowledgedAsync(db, revision) is var waitingFor and > 0)
        {
            if (Stopwatch.GetElapsedTime(started) > deadline)
            {
                logger.LogError("{Instances} instances with a live lease have not acknowledged revision {Revision} after {Waited}.",
                    waitingFor, revision, Stopwatch.GetElapsedTime(started));
                return;
            }
            await Task.Delay(pause);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
        }
        metrics.InvalidationLag(Stopwatch.GetElapsedTime(started));
    }

    private static async Task<int> UnacknowledgedAsync(AppDbContext db, long revision) =>
        await db.Database.SqlQuery<int>($"""
            SELECT count(*)::int AS "Value" FROM "AppInstances" WHERE "LeaseUntil" > now() AND "AcknowledgedRevision" < {revision}
            """).SingleAsync();
}
