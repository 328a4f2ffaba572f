namespace KeyDashboard.Tests.TestSupport;

/// <summary>A test against a real Redis (<see cref="RedisServer"/>: Debian's redis-server).</summary>
public sealed class RedisFactAttribute() : NeedsInstalledFactAttribute(RedisServer.IsInstalled, RedisMissing)
{
    public const string RedisMissing =
        $"redis-server is not installed at {RedisServer.ProgramPath} (apt-get install -y redis-server); the Redis tests run in CI.";
}
