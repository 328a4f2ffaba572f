using System.Linq.Expressions;

namespace KeyDashboard.Keys;

public enum KeyStatus { Active, ExpiringSoon, Expired, Revoked }

public static class KeyStatuses
{
    public static readonly TimeSpan ExpiringSoonWindow = TimeSpan.FromDays(14);

    /// <summary>A working key unused this long is stale: probably forgotten, still able to do harm.</summary>
    public static readonly TimeSpan StaleAfterUnused = TimeSpan.FromDays(90);

    /// <summary>A working key never used this long after its creation is stale too.</summary>
    public static readonly TimeSpan StaleIfNeverUsedAfter = TimeSpan.FromDays(30);

    public static KeyStatus Of(DateTimeOffset? revokedAt, DateTimeOffset? expiresAt, DateTimeOffset now) =>
        revokedAt is not null ? KeyStatus.Revoked
        : expiresAt <= now ? KeyStatus.Expired
        : expiresAt <= now + ExpiringSoonWindow ? KeyStatus.ExpiringSoon
        : KeyStatus.Active;

    /// <summary>
    /// Whether a key still works (not revoked, not expired) yet has not been used for <see cref="StaleAfterUnused"/>,
    /// or was never used in the <see cref="StaleIfNeverUsedAfter"/> since it was created. Both ends are inclusive.
    /// </summary>
    public static bool IsStale(DateTimeOffset? revokedAt, DateTimeOffset? expiresAt, DateTimeOffset createdAt, DateTimeOffset? lastUsedAt, DateTimeOffset now) =>
        revokedAt is null && (expiresAt is null || expiresAt > now)
        && (lastUsedAt is { } used ? used <= now - StaleAfterUnused : createdAt <= now - StaleIfNeverUsedAfter);

    /// <summary>The same rule as <see cref="IsStale"/>, as SQL for the key list's filter.</summary>
    public static Expression<Func<ApiKey, bool>> StaleAt(DateTimeOffset now)
    {
        var unusedSince = now - StaleAfterUnused;
        var createdBefore = now - StaleIfNeverUsedAfter;
        return k => k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > now)
            && (k.LastUsedAt != null ? k.LastUsedAt <= unusedSince : k.CreatedAt <= createdBefore);
    }

    public static string Label(this KeyStatus status) => status switch
    {
        KeyStatus.ExpiringSoon => "Expiring soon",
        _ => status.ToString(),
    };
}
