using System.Linq.Expressions;

namespace KeyDashboard.Keys;

public enum KeyStatus { Active, ExpiringSoon, Expired, Revoked }

/// <summary>
/// The status and staleness rules, each written once as an expression: EF Core translates them for the key list's
/// columns and filters, and <see cref="Of"/> runs the status rule compiled, in memory.
/// </summary>
public static class KeyStatuses
{
    public static readonly TimeSpan ExpiringSoonWindow = TimeSpan.FromDays(14);

    /// <summary>A working key unused this long is stale: probably forgotten, still able to do harm.</summary>
    public static readonly TimeSpan StaleAfterUnused = TimeSpan.FromDays(90);

    /// <summary>A working key never used this long after its creation is stale too.</summary>
    public static readonly TimeSpan StaleIfNeverUsedAfter = TimeSpan.FromDays(30);

    // What each status means. The meanings exclude one another, and each is plain comparisons on the key's columns:
    // a filter on statuses then searches the (workspace, expiry) index rather than working out every key's status.
    private static readonly Dictionary<KeyStatus, Expression<Func<ApiKey, DateTimeOffset, bool>>> Meanings = new()
    {
        [KeyStatus.Revoked] = (k, now) => k.RevokedAt != null,
        [KeyStatus.Expired] = (k, now) => k.RevokedAt == null && k.ExpiresAt <= now,
        [KeyStatus.ExpiringSoon] = (k, now) => k.RevokedAt == null && k.ExpiresAt > now && k.ExpiresAt <= now + ExpiringSoonWindow,
        [KeyStatus.Active] = (k, now) => k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > now + ExpiringSoonWindow),
    };

    private static readonly Expression<Func<ApiKey, DateTimeOffset, KeyStatus>> Status = StatusWhoseMeaningHolds();
    private static readonly Func<ApiKey, DateTimeOffset, KeyStatus> CompiledStatus = Status.Compile();

    // Both ends are inclusive.
    private static readonly Expression<Func<ApiKey, DateTimeOffset, bool>> Stale = (k, now) =>
        k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > now)
        && (k.LastUsedAt != null ? k.LastUsedAt <= now - StaleAfterUnused : k.CreatedAt <= now - StaleIfNeverUsedAfter);

    /// <summary>A key's status at <paramref name="now"/>, for a key in memory.</summary>
    public static KeyStatus Of(ApiKey key, DateTimeOffset now) => CompiledStatus(key, now);

    /// <summary>A key's status at <paramref name="now"/>, for a query's projection.</summary>
    public static Expression<Func<ApiKey, KeyStatus>> StatusAt(DateTimeOffset now) => Status.At(now);

    /// <summary>The keys in any of <paramref name="statuses"/> at <paramref name="now"/>, for a query's filter.</summary>
    public static Expression<Func<ApiKey, bool>> InAnyOf(IReadOnlyCollection<KeyStatus> statuses, DateTimeOffset now)
    {
        var chosen = Meanings.Where(m => statuses.Contains(m.Key)).Select(m => m.Value.At(now)).ToList();
        return chosen.Count == 0 ? k => false : chosen.Aggregate(QueryExpressions.Or);
    }

    /// <summary>
    /// Whether a key still works (not revoked, not expired) yet has not been used for <see cref="StaleAfterUnused"/>,
    /// or was never used in the <see cref="StaleIfNeverUsedAfter"/> since it was created: for a query's projection or filter.
    /// </summary>
    public static Expression<Func<ApiKey, bool>> StaleAt(DateTimeOffset now) => Stale.At(now);

    public static string Label(this KeyStatus status) => status switch
    {
        KeyStatus.ExpiringSoon => "Expiring soon",
        _ => status.ToString(),
    };

    // Active is what a key is when no other status applies, so it needs no test of its own here.
    private static Expression<Func<ApiKey, DateTimeOffset, KeyStatus>> StatusWhoseMeaningHolds()
    {
        var (key, now) = (Expression.Parameter(typeof(ApiKey), "k"), Expression.Parameter(typeof(DateTimeOffset), "now"));
        Expression status = Expression.Constant(KeyStatus.Active);
        foreach (var (candidate, meaning) in Meanings.Reverse().Where(m => m.Key != KeyStatus.Active))
            status = Expression.Condition(QueryExpressions.BodyOf(meaning, key, now), Expression.Constant(candidate), status);
        return Expression.Lambda<Func<ApiKey, DateTimeOffset, KeyStatus>>(status, key, now);
    }
}
