using System.Diagnostics;

namespace KeyDashboard.Cluster;

/// <summary>
/// Whether this instance may answer from its caches. Alone on SQLite it always may. On PostgreSQL only while its change
/// listener is known to hear every change: from each heartbeat that reached the database until a lease later, counted
/// from before the heartbeat was sent. The database counts the same lease from when the heartbeat arrived, later, so
/// this instance stops trusting its caches before any revoke stops waiting for it.
/// </summary>
public sealed class InstanceLease
{
    // A margin for the two clocks running at slightly different rates.
    private const double Margin = 0.9;
    private readonly bool _alone;
    private readonly long _leaseTicks;
    private long _trustedUntil;

    private InstanceLease(bool alone, TimeSpan lease) =>
        (_alone, _leaseTicks) = (alone, (long)(lease.TotalSeconds * Margin * Stopwatch.Frequency));

    public static InstanceLease Alone() => new(alone: true, TimeSpan.Zero);

    public static InstanceLease Shared(TimeSpan lease) => new(alone: false, lease);

    public bool CachesTrusted => _alone || Stopwatch.GetTimestamp() < Volatile.Read(ref _trustedUntil);

    /// <summary>A heartbeat sent at <paramref name="sentAt"/> (<see cref="Stopwatch.GetTimestamp"/>) reached the database.</summary>
    public void Renewed(long sentAt) => Volatile.Write(ref _trustedUntil, sentAt + _leaseTicks);

    public void Lost() => Volatile.Write(ref _trustedUntil, 0);
}
