using StackExchange.Redis;

namespace KeyDashboard.Redis;

/// <summary>
/// Logs that Redis could not be reached, and what that means for the caller, as one warning a minute at most: during an
/// outage every request fails to reach it, and a line each would flood the log. Each warning counts the failures since
/// the one before.
/// </summary>
public sealed class RedisOutageWarning(ILogger logger, string consequence)
{
    private const long IntervalMilliseconds = 60_000;

    private long _nextWarningAt;
    private long _failures;

    /// <summary>Whether <paramref name="exception"/> says that Redis could not answer (as opposed to a bug to let through).</summary>
    public static bool IsOutage(Exception exception) => exception is RedisException or RedisTimeoutException;

    public void Unreachable(Exception exception)
    {
        Interlocked.Increment(ref _failures);
        var now = Environment.TickCount64;
        var next = Interlocked.Read(ref _nextWarningAt);
        if (now < next || Interlocked.CompareExchange(ref _nextWarningAt, now + IntervalMilliseconds, next) != next) return;
        logger.LogWarning(exception, "Redis could not be reached ({Failures} failed calls since this was last logged): {Consequence}.",
            Interlocked.Exchange(ref _failures, 0), consequence);
    }
}
