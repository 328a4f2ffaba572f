using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using KeyDashboard.Api;

namespace KeyDashboard.Security;

/// <summary>
/// Failures per client address (an IPv6 address by its /64) in fixed windows, on ASP.NET Core's partitioned rate
/// limiter. Once an address has used up its failures for the window, <see cref="IsBlocked"/> says so until the window
/// is over, so the caller can refuse before doing the work a failure would cost.
/// </summary>
public abstract class FailuresPerAddress : IDisposable
{
    private const int SweepAbove = 10_000;

    private readonly TimeSpan _window;
    private readonly PartitionedRateLimiter<string> _limiter;
    // When each address last failed. An address blocked now failed within the last window (give or take the
    // limiter's replenishing timer), so one that has not failed for two windows is let through without asking
    // the limiter, whose partition lookup takes a lock shared by every request.
    private readonly ConcurrentDictionary<string, long> _lastFailure = new(StringComparer.Ordinal);

    protected FailuresPerAddress(int permits, TimeSpan window)
    {
        _window = window;
        // Built once: the partitioner runs on every request that asks.
        Func<string, FixedWindowRateLimiterOptions> options =
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 };
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, options));
    }

    /// <summary>True when the address has no failures left in this window; <paramref name="retryAfter"/> says for how long.</summary>
    public bool IsBlocked(string? clientAddress, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!FailedWithinTwoWindows(Partition(clientAddress))) return false;
        // Asking for no permit only looks: it fails, with the retry time, exactly when none are left.
        using var lease = _limiter.AttemptAcquire(Partition(clientAddress), 0);
        if (lease.IsAcquired) return false;
        if (!lease.TryGetMetadata(MetadataName.RetryAfter, out retryAfter)) retryAfter = _window;
        return true;
    }

    public void CountFailure(string? clientAddress)
    {
        if (_lastFailure.Count > SweepAbove) SweepOlderThanTwoWindows();
        _lastFailure[Partition(clientAddress)] = Environment.TickCount64;
        _limiter.AttemptAcquire(Partition(clientAddress)).Dispose();
    }

    public void Dispose()
    {
        _limiter.Dispose();
        GC.SuppressFinalize(this);
    }

    private bool FailedWithinTwoWindows(string address) =>
        _lastFailure.TryGetValue(address, out var at) && Environment.TickCount64 - at < 2 * _window.TotalMilliseconds;

    private void SweepOlderThanTwoWindows()
    {
        foreach (var (address, at) in _lastFailure)
            if (Environment.TickCount64 - at >= 2 * _window.TotalMilliseconds) _lastFailure.TryRemove(KeyValuePair.Create(address, at));
    }

    private static string Partition(string? clientAddress) => ClientAddressBlock.Of(clientAddress);
}
