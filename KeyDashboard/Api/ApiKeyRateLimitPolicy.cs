using System.Threading.RateLimiting;
using KeyDashboard.Api.KeyAuthentication;
using KeyDashboard.Redis;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using RedisRateLimiting;
using StackExchange.Redis;

namespace KeyDashboard.Api;

/// <summary>
/// Requests per key per minute (<c>KeyDashboard:Api:RateLimit:RequestsPerMinutePerKey</c>). Runs after
/// authentication, so it partitions by the key the request was authenticated with. Counted by this instance alone, or,
/// with <c>KeyDashboard:Redis</c>, in Redis for all instances together; while Redis can't be reached a key is not
/// limited (see <see cref="FailOpenRateLimiter"/>).
/// </summary>
internal sealed class ApiKeyRateLimitPolicy : IRateLimiterPolicy<string>
{
    public const string Name = "api-key";

    // One factory for every request, rather than a new closure each time.
    private readonly Func<string, FixedWindowRateLimiterOptions> _window;
    private readonly Func<string, RateLimiter>? _sharedWindow;

    public ApiKeyRateLimitPolicy(IOptions<KeyDashboardOptions> options, ILogger<ApiKeyRateLimitPolicy> logger, IConnectionMultiplexer? redis = null)
    {
        var permits = options.Value.Api.RateLimit.RequestsPerMinutePerKey;
        var window = TimeSpan.FromMinutes(1);
        _window = _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 };
        if (redis is null) return;
        var shared = new RedisFixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, ConnectionMultiplexerFactory = () => redis };
        var outage = new RedisOutageWarning(logger, "API requests are not limited per key until it is back");
        _sharedWindow = keyId => new FailOpenRateLimiter(new RedisFixedWindowRateLimiter<string>($"kd:api-key:{keyId}", shared), outage);
    }

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (rejected, _) =>
    {
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait
            // The Redis limiter's lease gives it in whole seconds, under a name of its own.
            : rejected.Lease.TryGetMetadata(RateLimitMetadataName.RetryAfter, out var seconds) ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromMinutes(1);
        await ApiProblems.WriteTooManyRequestsAsync(rejected.HttpContext, retryAfter, "This key has made too many requests. Try again later.");
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        httpContext.Features.Get<AuthenticatedKey>()?.Key.KeyId is not { } keyId
            // Unreachable behind the API's authorization; an endpoint without it is not limited per key.
            ? RateLimitPartition.GetNoLimiter("")
            : _sharedWindow is null
                ? RateLimitPartition.GetFixedWindowLimiter(keyId, _window)
                : RateLimitPartition.Get(keyId, _sharedWindow);
}
