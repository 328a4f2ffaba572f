using KeyDashboard.Api.KeyAuthentication;
using Microsoft.Extensions.Options;

namespace KeyDashboard.Tests.Api;

public sealed class FailedAuthenticationLimiterTests
{
    [Fact]
    public void An_address_is_blocked_once_its_failures_are_used_up_and_others_are_not()
    {
        var options = new KeyDashboardOptions();
        options.Api.RateLimit.FailedAuthenticationsPerMinutePerAddress = 3;
        using var failures = new FailedAuthenticationLimiter(Options.Create(options));

        Assert.False(failures.IsBlocked("203.0.113.7", out _));
        for (var i = 0; i < 3; i++)
        {
            Assert.False(failures.IsBlocked("203.0.113.7", out _));
            failures.CountFailure("203.0.113.7");
        }

        Assert.True(failures.IsBlocked("203.0.113.7", out var retryAfter));
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        Assert.False(failures.IsBlocked("203.0.113.8", out _));
        Assert.False(failures.IsBlocked(null, out _));
    }

    [Fact]
    public void An_IPv6_client_cannot_step_around_its_limit_by_changing_addresses_within_its_64()
    {
        var options = new KeyDashboardOptions();
        options.Api.RateLimit.FailedAuthenticationsPerMinutePerAddress = 3;
        using var failures = new FailedAuthenticationLimiter(Options.Create(options));

        for (var i = 1; i <= 3; i++) failures.CountFailure($"2001:db8:1:2::{i:x}");

        Assert.True(failures.IsBlocked("2001:db8:1:2:ffff:ffff:ffff:ffff", out _));
        Assert.False(failures.IsBlocked("2001:db8:1:3::1", out _));
    }
}
