namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// A test against a real Redis (<see cref="RedisServer"/>: Debian's redis-server). Skipped, with the reason, on a
/// developer's machine without it; never skipped when <c>CI=true</c>, so a CI run without it fails instead.
/// </summary>
public sealed class RedisFactAttribute : FactAttribute
{
    public const string RedisMissing =
        $"redis-server is not installed at {RedisServer.ProgramPath} (apt-get install -y redis-server); the Redis tests run in CI.";

    public RedisFactAttribute()
    {
        var inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!RedisServer.IsInstalled && !inCi)
            Skip = RedisMissing;
    }
}
