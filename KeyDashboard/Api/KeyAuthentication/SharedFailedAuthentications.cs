using KeyDashboard.Redis;
using StackExchange.Redis;

namespace KeyDashboard.Api.KeyAuthentication;

/// <summary>
/// Failed API authentications per client address block, counted in Redis in fixed windows that every instance shares.
/// While Redis can't be reached it blocks no one and counts nothing, and the log says so; the instance's own count in
/// <see cref="FailedAuthenticationLimiter"/> then limits alone.
/// </summary>
internal sealed class SharedFailedAuthentications(IConnectionMultiplexer redis, int permits, TimeSpan window, ILogger logger)
{
    // The window's first failure sets its expiry, in the same script: no count is ever left without one.
    private static readonly LuaScript CountFailure = LuaScript.Prepare("""
        local failures = redis.call('INCR', @key)
        if failures == 1 then redis.call('PEXPIRE', @key, @windowMilliseconds) end
        return failures
        """);

    private readonly RedisOutageWarning _outage = new(logger, "failed API authentications are limited per instance until it is back");

    /// <summary>How long the address block must wait, or null while it has failures left (or Redis can't say).</summary>
    public async Task<TimeSpan?> BlockedForAsync(string addressBlock)
    {
        try
        {
            var count = await redis.GetDatabase().StringGetWithExpiryAsync(Key(addressBlock));
            return (long?)count.Value >= permits ? count.Expiry ?? window : null;
        }
        catch (Exception e) when (RedisOutageWarning.IsOutage(e))
        {
            _outage.Unreachable(e);
            return null;
        }
    }

    public async Task CountFailureAsync(string addressBlock)
    {
        try
        {
            await redis.GetDatabase().ScriptEvaluateAsync(CountFailure,
                new { key = Key(addressBlock), windowMilliseconds = (long)window.TotalMilliseconds });
        }
        catch (Exception e) when (RedisOutageWarning.IsOutage(e))
        {
            _outage.Unreachable(e);
        }
    }

    private static RedisKey Key(string addressBlock) => $"kd:failed-authentications:{addressBlock}";
}
