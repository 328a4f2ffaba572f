using System.Threading.RateLimiting;
using KeyDashboard.Api.KeyAuthentication;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace KeyDashboard.Api;

/// <summary>
/// Requests per key per minute (<c>KeyDashboard:Api:RateLimit:RequestsPerMinutePerKey</c>). Runs after
/// authentication, so it partitions by the key the request was authenticated with.
/// </summary>
internal sealed class ApiKeyRateLimitPolicy(IOptions<KeyDashboardOptions> options) : IRateLimiterPolicy<string>
{
    public const string Name = "api-key";

    // One factory for every request, rather than a new closure each time.
    private readonly Func<string, FixedWindowRateLimiterOptions> _window = _ => new FixedWindowRateLimiterOptions
    {
        PermitLimit = options.Value.Api.RateLimit.RequestsPerMinutePerKey,
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
    };

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (rejected, _) =>
    {
        if (!rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)) retryAfter = TimeSpan.FromMinutes(1);
        await ApiProblems.WriteTooManyRequestsAsync(rejected.HttpContext, retryAfter, "This key has made too many requests. Try again later.");
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        httpContext.Features.Get<AuthenticatedKey>()?.Key.KeyId is { } keyId
            ? RateLimitPartition.GetFixedWindowLimiter(keyId, _window)
            // Unreachable behind the API's authorization; an endpoint without it is not limited per key.
            : RateLimitPartition.GetNoLimiter("");
}
