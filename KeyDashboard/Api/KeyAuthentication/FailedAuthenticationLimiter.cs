using KeyDashboard.Security;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace KeyDashboard.Api.KeyAuthentication;

/// <summary>
/// Failed API authentications per client address. Once an address has used up its failures for the minute, its API
/// requests get 429 before any key is parsed or looked up. Each instance counts the failures it sees; with
/// <c>KeyDashboard:Redis</c> they are counted there as well, for all instances together, and an address is blocked when
/// either count is used up. So while Redis is unreachable every instance still limits, on its own.
/// </summary>
public sealed class FailedAuthenticationLimiter(
    IOptions<KeyDashboardOptions> options,
    ILogger<FailedAuthenticationLimiter> logger,
    IConnectionMultiplexer? redis = null) : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly OnThisInstance _onThisInstance = new(options.Value.Api.RateLimit.FailedAuthenticationsPerMinutePerAddress);
    private readonly SharedFailedAuthentications? _shared = redis is null
        ? null
        : new(redis, options.Value.Api.RateLimit.FailedAuthenticationsPerMinutePerAddress, Window, logger);

    /// <summary>How long the address must wait before it may try again; null when it may try now.</summary>
    public async ValueTask<TimeSpan?> BlockedForAsync(string? clientAddress)
    {
        if (_onThisInstance.IsBlocked(clientAddress, out var retryAfter)) return retryAfter;
        return _shared is null ? null : await _shared.BlockedForAsync(ClientAddressBlock.Of(clientAddress));
    }

    public async ValueTask CountFailureAsync(string? clientAddress)
    {
        _onThisInstance.CountFailure(clientAddress);
        if (_shared is not null) await _shared.CountFailureAsync(ClientAddressBlock.Of(clientAddress));
    }

    public void Dispose() => _onThisInstance.Dispose();

    private sealed class OnThisInstance(int permits) : FailuresPerAddress(permits, Window);
}
