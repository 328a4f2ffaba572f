namespace KeyDashboard.Keys;

public enum HandOffState
{
    /// <summary>Within the grace period; the old secret has not been used since the rotation, which was less than 24 hours ago.</summary>
    NotUsedSinceRotation,
    /// <summary>Within the grace period; the old secret was used in the last 24 hours.</summary>
    OldSecretInUse,
    /// <summary>Within the grace period; no use of the old secret in 24 hours (since its last use, or since the rotation if never used).</summary>
    Complete,
    /// <summary>The grace period is over: the old secret no longer works.</summary>
    GraceEnded,
}

/// <summary>
/// How the switch from a rotated key's old secret to its new one is going, so an admin sees when nothing uses the
/// old secret any more.
/// </summary>
public sealed record KeyHandOff(HandOffState State, DateTimeOffset RotatedAt, DateTimeOffset OldSecretValidUntil, DateTimeOffset? OldSecretLastUsedAt)
{
    /// <summary>How long the old secret must go unused for the hand-off to count as complete.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromHours(24);

    /// <summary>Null when there is no hand-off to show: never rotated, rotated without a grace period, or revoked.</summary>
    public static KeyHandOff? Of(DateTimeOffset? rotatedAt, DateTimeOffset? oldSecretValidUntil, DateTimeOffset? oldSecretLastUsedAt,
        DateTimeOffset? revokedAt, DateTimeOffset now)
    {
        if (revokedAt is not null || rotatedAt is not { } rotated || oldSecretValidUntil is not { } validUntil) return null;
        var quietSince = oldSecretLastUsedAt ?? rotated;
        var state = validUntil <= now ? HandOffState.GraceEnded
            : now - quietSince >= QuietPeriod ? HandOffState.Complete
            : oldSecretLastUsedAt is null ? HandOffState.NotUsedSinceRotation
            : HandOffState.OldSecretInUse;
        return new KeyHandOff(state, rotated, validUntil, oldSecretLastUsedAt);
    }
}
