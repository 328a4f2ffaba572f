using System.Threading.RateLimiting;
using KeyDashboard.Redis;

namespace KeyDashboard.Api;

/// <summary>
/// A limiter whose count is in Redis, letting every request through while Redis can't be reached: an outage of the
/// shared count must not take the API down with it. The Redis limiter throws the client's exception from
/// <see cref="RateLimiter.AcquireAsync"/>, which the rate-limiting middleware would answer with a 500.
/// </summary>
internal sealed class FailOpenRateLimiter(RateLimiter shared, RedisOutageWarning outage) : RateLimiter
{
    public override TimeSpan? IdleDuration => shared.IdleDuration;

    // The Redis limiter keeps none (it throws NotImplementedException).
    public override RateLimiterStatistics? GetStatistics() => null;

    // The Redis limiter refuses every attempt that can't wait, so the middleware goes on to AcquireAsync.
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => shared.AttemptAcquire(permitCount);

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        try
        {
            return await shared.AcquireAsync(permitCount, cancellationToken);
        }
        catch (Exception e) when (RedisOutageWarning.IsOutage(e))
        {
            outage.Unreachable(e);
            return Granted.Lease;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) shared.Dispose();
        base.Dispose(disposing);
    }

    protected override ValueTask DisposeAsyncCore() => shared.DisposeAsync();

    private sealed class Granted : RateLimitLease
    {
        public static readonly Granted Lease = new();

        public override bool IsAcquired => true;
        public override IEnumerable<string> MetadataNames => [];
        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
