namespace KeyDashboard.Keys;

public enum KeyStatus { Active, ExpiringSoon, Expired, Revoked }

public static class KeyStatuses
{
    public static readonly TimeSpan ExpiringSoonWindow = TimeSpan.FromDays(14);

    public static KeyStatus Of(DateTimeOffset? revokedAt, DateTimeOffset? expiresAt, DateTimeOffset now) =>
        revokedAt is not null ? KeyStatus.Revoked
        : expiresAt <= now ? KeyStatus.Expired
        : expiresAt <= now + ExpiringSoonWindow ? KeyStatus.ExpiringSoon
        : KeyStatus.Active;

    public static string Label(this KeyStatus status) => status switch
    {
        KeyStatus.ExpiringSoon => "Expiring soon",
        _ => status.ToString(),
    };
}
