using KeyDashboard.Api.KeyAuthentication;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KeyDashboard.Tests.Api;

public sealed class FailedAuthenticationLimiterTests
{
    [Fact]
    public async Task An_address_is_blocked_once_its_failures_are_used_up_and_others_are_not()
    {
        using var failures = Limiter(failuresPerMinute: 3);

        Assert.Null(await failures.BlockedForAsync("203.0.113.7"));
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(await failures.BlockedForAsync("203.0.113.7"));
            await failures.CountFailureAsync("203.0.113.7");
        }

        var retryAfter = await failures.BlockedForAsync("203.0.113.7");
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        Assert.Null(await failures.BlockedForAsync("203.0.113.8"));
        Assert.Null(await failures.BlockedForAsync(null));
    }

    [Fact]
    public async Task An_IPv6_client_cannot_step_around_its_limit_by_changing_addresses_within_its_64()
    {
        using var failures = Limiter(failuresPerMinute: 3);

        for (var i = 1; i <= 3; i++) await failures.CountFailureAsync($"2001:db8:1:2::{i:x}");

        Assert.NotNull(await failures.BlockedForAsync("2001:db8:1:2:ffff:ffff:ffff:ffff"));
        Assert.Null(await failures.BlockedForAsync("2001:db8:1:3::1"));
    }

    private static FailedAuthenticationLimiter Limiter(int failuresPerMinute)
    {
        var options = new KeyDashboardOptions();
        options.Api.RateLimit.FailedAuthenticationsPerMinutePerAddress = failuresPerMinute;
        return new FailedAuthenticationLimiter(Options.Create(options), NullLogger<FailedAuthenticationLimiter>.Instance);
    }
}
