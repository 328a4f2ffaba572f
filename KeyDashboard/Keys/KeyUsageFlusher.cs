namespace KeyDashboard.Keys;

/// <summary>
/// Flushes <see cref="KeyUsageRecorder"/> every second, and a last time once the host has stopped: by then the
/// server has finished its in-flight requests, so a graceful shutdown loses no count.
/// </summary>
internal sealed class KeyUsageFlusher(KeyUsageRecorder usage, ILogger<KeyUsageFlusher> logger) : BackgroundService, IHostedLifecycleService
{
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try { await usage.FlushAsync(); }
                catch (Exception) { /* logged by the recorder; the counts stay pending for the next tick */ }
            }
        }
        catch (OperationCanceledException) { }
    }

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await usage.FlushAsync();
                return;
            }
            catch (Exception) when (attempt < 5)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Key usage could not be written on shutdown; the counts since the last flush are lost.");
                return;
            }
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
