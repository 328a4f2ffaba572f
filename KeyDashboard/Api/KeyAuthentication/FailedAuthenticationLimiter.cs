using KeyDashboard.Security;
using Microsoft.Extensions.Options;

namespace KeyDashboard.Api.KeyAuthentication;

/// <summary>
/// Failed API authentications per client address. Once an address has used up its failures for the minute,
/// its API requests get 429 before any key is parsed or looked up.
/// </summary>
public sealed class FailedAuthenticationLimiter(IOptions<KeyDashboardOptions> options)
    : FailuresPerAddress(options.Value.Api.RateLimit.FailedAuthenticationsPerMinutePerAddress, TimeSpan.FromMinutes(1));
