using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace KeyDashboard.Api;

/// <summary>
/// Leak reports per client address per minute (<c>KeyDashboard:Api:RateLimit:LeakReportsPerMinutePerAddress</c>):
/// the endpoint takes no credentials, so the address is all there is to count by.
/// </summary>
internal sealed class LeakReportRateLimitPolicy(IOptions<KeyDashboardOptions> options) : IRateLimiterPolicy<string>
{
    public const string Name = "leak-reports";

    private readonly Func<string, FixedWindowRateLimiterOptions> _window = _ => new FixedWindowRateLimiterOptions
    {
        PermitLimit = options.Value.Api.RateLimit.LeakReportsPerMinutePerAddress,
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
    };

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (rejected, _) =>
    {
        if (!rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)) retryAfter = TimeSpan.FromMinutes(1);
        await ApiProblems.WriteTooManyRequestsAsync(rejected.HttpContext, retryAfter, "Too many leak reports from this address. Try again later.");
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        RateLimitPartition.GetFixedWindowLimiter(ClientAddressBlock.Of(httpContext.Connection.RemoteIpAddress), _window);
}
