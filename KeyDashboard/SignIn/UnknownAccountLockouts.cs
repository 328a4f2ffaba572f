using System.Collections.Concurrent;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace KeyDashboard.SignIn;

/// <summary>
/// Identity's lockout, played for names that have no account: after as many consecutive failures as lock an account,
/// the name answers "locked out" for as long. Otherwise locking a name out would tell that an account has it.
/// </summary>
public sealed class UnknownAccountLockouts(IOptions<IdentityOptions> identity, TimeProvider clock)
{
    // Beyond this, names idle for longer than a lockout are forgotten (and new ones not recorded while still full).
    private const int MostNames = 100_000;
    private readonly ConcurrentDictionary<string, Name> _names = new(StringComparer.Ordinal);

    private sealed record Name(int Failures, DateTimeOffset LastFailure, DateTimeOffset LockedUntil);

    private LockoutOptions Lockout => identity.Value.Lockout;

    public bool IsLockedOut(string normalizedName) =>
        _names.TryGetValue(normalizedName, out var name) && name.LockedUntil > clock.GetUtcNow();

    /// <summary>Counts a failure, as Identity's <c>AccessFailedAsync</c> does; true when it locked the name out.</summary>
    public bool CountFailure(string normalizedName)
    {
        var now = clock.GetUtcNow();
        if (_names.Count >= MostNames) Sweep(now);
        if (_names.Count >= MostNames && !_names.ContainsKey(normalizedName)) return false;
        var name = _names.AddOrUpdate(normalizedName, _ => Next(0, now), (_, name) => Next(name.Failures, now));
        return name.LockedUntil > now;
    }

    private Name Next(int failures, DateTimeOffset now) => failures + 1 >= Lockout.MaxFailedAccessAttempts
        ? new Name(0, now, now + Lockout.DefaultLockoutTimeSpan)
        : new Name(failures + 1, now, DateTimeOffset.MinValue);

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, name) in _names)
            if (name.LockedUntil <= now && now - name.LastFailure >= Lockout.DefaultLockoutTimeSpan) _names.TryRemove(KeyValuePair.Create(key, name));
    }
}
