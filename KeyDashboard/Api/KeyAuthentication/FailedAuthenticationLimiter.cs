using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace KeyDashboard.Api.KeyAuthentication;

/// <summary>
/// Failed API authentications per client address. Once an address has used up its failures for the window,
/// its API requests get 429 before any key is parsed or looked up.
/// </summary>
public sealed class FailedAuthenticationLimiter : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private const int SweepAbove = 10_000;

    private readonly PartitionedRateLimiter<string> _limiter;
    // When each address last failed. An address blocked now failed within the last window (give or take the
    // limiter's replenishing timer), so one that has not failed for two windows is let through without asking
    // the limiter, whose partition lookup takes a lock shared by every request.
    private readonly ConcurrentDictionary<string, long> _lastFailure = new(StringComparer.Ordinal);

    public FailedAuthenticationLimiter(IOptions<KeyDashboardOptions> options)
    {
        var permits = options.Value.Api.RateLimit.FailedAuthenticationsPerMinutePerAddress;
        // Built once: the partitioner runs on every API request.
        Func<string, FixedWindowRateLimiterOptions> window =
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = Window, QueueLimit = 0 };
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, window));
    }

    /// <summary>True when the address has no failures left in this window; <paramref name="retryAfter"/> says for how long.</summary>
    public bool IsBlocked(string? clientAddress, out TimeSpan retryAfter)
    {
        if (!FailedWithinWindow(Partition(clientAddress)))
        {
            retryAfter = TimeSpan.Zero;
            return false;
        }
        // Asking for no permit only looks: it fails, with the retry time, exactly when none are left.
        using var lease = _limiter.AttemptAcquire(Partition(clientAddress), 0);
        retryAfter = TimeSpan.Zero;
        if (lease.IsAcquired) return false;
        if (!lease.TryGetMetadata(MetadataName.RetryAfter, out retryAfter)) retryAfter = TimeSpan.FromMinutes(1);
        return true;
    }

    public void CountFailure(string? clientAddress)
    {
        if (_lastFailure.Count > SweepAbove) SweepOlderThanTwoWindows();
        _lastFailure[Partition(clientAddress)] = Environment.TickCount64;
        _limiter.AttemptAcquire(Partition(clientAddress)).Dispose();
    }

    public void Dispose() => _limiter.Dispose();

    private bool FailedWithinWindow(string address) =>
        _lastFailure.TryGetValue(address, out var at) && Environment.TickCount64 - at < 2 * Window.TotalMilliseconds;

    private void SweepOlderThanTwoWindows()
    {
        foreach (var (address, at) in _lastFailure)
            if (Environment.TickCount64 - at >= 2 * Window.TotalMilliseconds) _lastFailure.TryRemove(KeyValuePair.Create(address, at));
    }

    private static string Partition(string? clientAddress) => ClientAddressBlock.Of(clientAddress);
}
