namespace KeyDashboard.Sessions;

/// <summary>
/// Deletes expired sessions every <see cref="Interval"/>. An expired session already signs nobody in (the store
/// checks the expiry); this keeps the table from growing with every sign-in never logged out of.
/// </summary>
public sealed class ExpiredSessionCleanup(UserSessions sessions, TimeProvider clock, ILogger<ExpiredSessionCleanup> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var removed = await sessions.RemoveExpiredAsync(stoppingToken);
                    if (removed > 0) logger.LogInformation("Removed {Count} expired sign-in sessions.", removed);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A busy database: the next round tries again.
                    logger.LogWarning(e, "Could not remove expired sign-in sessions.");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
