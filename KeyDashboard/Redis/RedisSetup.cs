using StackExchange.Redis;

namespace KeyDashboard.Redis;

public static class RedisSetup
{
    /// <summary>
    /// With <c>KeyDashboard:Redis</c> set, one connection to it, which the API's per-key and failed-authentication limits
    /// share; without it nothing, and each instance keeps its own counts.
    /// </summary>
    /// <exception cref="InvalidOperationException">The setting is not a StackExchange.Redis configuration string.</exception>
    public static IServiceCollection AddRedis(this IServiceCollection services, KeyDashboardOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Redis)) return services;
        var configuration = Parse(options.Redis);
        // Start while Redis is down, and keep reconnecting in the background.
        configuration.AbortOnConnectFail = false;
        // While disconnected, a command fails at once instead of queueing: a limit Redis can't answer falls back straight
        // away rather than holding the request for the command timeout.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(configuration));
        return services;
    }

    // The message names the setting, never its value, which may hold a password.
    private static ConfigurationOptions Parse(string setting)
    {
        try
        {
            return ConfigurationOptions.Parse(setting);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"KeyDashboard:Redis is not a StackExchange.Redis configuration string: {e.Message}", e);
        }
    }
}
