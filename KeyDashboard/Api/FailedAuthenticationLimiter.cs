using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace KeyDashboard.Api;

/// <summary>
/// Failed API authentications per client address. Once an address has used up its failures for the window,
/// its API requests get 429 before any key is parsed or looked up.
/// </summary>
public sealed class FailedAuthenticationLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public FailedAuthenticationLimiter(IOptions<KeyDashboardOptions> options)
    {
        var permits = options.Value.Api.RateLimit.FailedAuthenticationsPerMinutePerAddress;
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }

    /// <summary>True when the address has no failures left in this window; <paramref name="retryAfter"/> says for how long.</summary>
    public bool IsBlocked(string? clientAddress, out TimeSpan retryAfter)
    {
        // Asking for no permit only looks: it fails, with the retry time, exactly when none are left.
        using var lease = _limiter.AttemptAcquire(Partition(clientAddress), 0);
        retryAfter = TimeSpan.Zero;
        if (lease.IsAcquired) return false;
        if (!lease.TryGetMetadata(MetadataName.RetryAfter, out retryAfter)) retryAfter = TimeSpan.FromMinutes(1);
        return true;
    }

    public void CountFailure(string? clientAddress) => _limiter.AttemptAcquire(Partition(clientAddress)).Dispose();

    public void Dispose() => _limiter.Dispose();

    private static string Partition(string? clientAddress) => clientAddress ?? "";
}
