using System.Collections.Concurrent;
using KeyDashboard.Api;
using Microsoft.Extensions.Options;

namespace KeyDashboard.SignIn;

/// <summary>
/// Runs of consecutive failed sign-ins for one account from one client address (an IPv6 address by its /64). After
/// <see cref="SignInSettings.FailuresBeforeDelay"/> of them each further attempt waits, 1 s doubling up to a minute
/// by default. Counted per address, so someone failing on purpose slows down only themselves: the account's owner,
/// elsewhere, signs in at once. Keyed by the name typed, whether or not an account has it, so a wait tells nothing
/// about which accounts exist.
/// </summary>
public sealed class AccountFailureDelays(IOptions<KeyDashboardOptions> options, TimeProvider clock)
{
    // Beyond this, new runs are not recorded (the limit per address still holds); quiet runs are swept first.
    private const int MostRuns = 100_000;
    private readonly SignInSettings _settings = options.Value.SignIn;
    private readonly ConcurrentDictionary<(string Account, string Address), Run> _runs = new();

    private sealed record Run(int Failures, DateTimeOffset LastFailure);

    // A run ends after this long without a failure, as the limit per address forgets.
    private TimeSpan Quiet => TimeSpan.FromMinutes(_settings.FailuresPerAddressMinutes);

    /// <summary>How long the next attempt for <paramref name="normalizedAccount"/> from this address must wait; zero if it may go now.</summary>
    public TimeSpan WaitFor(string normalizedAccount, string? clientAddress)
    {
        if (!_runs.TryGetValue(Key(normalizedAccount, clientAddress), out var run)) return TimeSpan.Zero;
        var now = clock.GetUtcNow();
        if (now - run.LastFailure >= Quiet) return TimeSpan.Zero;
        var wait = run.LastFailure + Delay(run.Failures) - now;
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    public void CountFailure(string normalizedAccount, string? clientAddress)
    {
        var now = clock.GetUtcNow();
        if (_runs.Count >= MostRuns) Sweep(now);
        if (_runs.Count >= MostRuns) return;
        _runs.AddOrUpdate(Key(normalizedAccount, clientAddress), new Run(1, now),
            (_, run) => new Run(now - run.LastFailure >= Quiet ? 1 : run.Failures + 1, now));
    }

    /// <summary>A success ends the run from this address only: the owner signing in must not clear an attacker's wait.</summary>
    public void CountSuccess(string normalizedAccount, string? clientAddress) =>
        _runs.TryRemove(Key(normalizedAccount, clientAddress), out _);

    private TimeSpan Delay(int failures)
    {
        if (failures < _settings.FailuresBeforeDelay) return TimeSpan.Zero;
        var doublings = Math.Min(failures - _settings.FailuresBeforeDelay, 30);
        return TimeSpan.FromSeconds(Math.Min(_settings.FirstDelaySeconds * Math.Pow(2, doublings), _settings.LongestDelaySeconds));
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, run) in _runs)
            if (now - run.LastFailure >= Quiet) _runs.TryRemove(KeyValuePair.Create(key, run));
    }

    private static (string, string) Key(string normalizedAccount, string? clientAddress) =>
        (normalizedAccount, ClientAddressBlock.Of(clientAddress));
}
