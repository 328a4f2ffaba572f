namespace KeyDashboard.Keys;

public sealed record CreateKeyRequest
{
    public string? Name { get; init; }
    public string? Description { get; init; }
    /// <summary>The member the key acts as; the acting user when null.</summary>
    public string? OwnerUserId { get; init; }
    public KeyEnvironment Environment { get; init; } = KeyEnvironment.Test;
    public IReadOnlyCollection<string> Scopes { get; init; } = [];
    /// <summary>Null: the workspace's default lifetime.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
    public bool NeverExpires { get; init; }
}

/// <param name="Scopes">The key's new scopes; null leaves them as they are.</param>
/// <param name="ExpiresAt">An earlier expiry; null leaves it as it is.</param>
public sealed record EditKeyRequest(string? Name, string? Description, IReadOnlyCollection<string>? Scopes = null, DateTimeOffset? ExpiresAt = null);

public enum RotationGrace { None, OneHour, OneDay, SevenDays }

public static class RotationGraces
{
    public static TimeSpan Duration(this RotationGrace grace) => grace switch
    {
        RotationGrace.OneHour => TimeSpan.FromHours(1),
        RotationGrace.OneDay => TimeSpan.FromHours(24),
        RotationGrace.SevenDays => TimeSpan.FromDays(7),
        _ => TimeSpan.Zero,
    };
}

/// <summary>A key as people and integrations see it: everything but the secret and its hash.</summary>
public sealed record KeySummary
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required string DisplayPrefix { get; init; }
    public required string OwnerUserId { get; init; }
    public required string OwnerName { get; init; }
    /// <summary>The owner's role in the workspace; null once they have left.</summary>
    public string? OwnerRole { get; init; }
    /// <summary>False once the owner has left the workspace: the key then has no power.</summary>
    public bool OwnerIsMember => OwnerRole is not null;
    public required KeyEnvironment Environment { get; init; }
    public required IReadOnlyList<string> Scopes { get; init; }
    public required KeyStatus Status { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
    public string? RevokedReason { get; init; }
    public long UsageCount { get; init; }
    public DateTimeOffset? LastUsedAt { get; init; }
    public string? LastUsedFrom { get; init; }
    public DateTimeOffset? RotatedAt { get; init; }
    /// <summary>Set while a rotation's old secret is still accepted.</summary>
    public DateTimeOffset? PreviousSecretValidUntil { get; init; }
    public DateTimeOffset? PreviousSecretLastUsedAt { get; init; }
    /// <summary>Still working but unused for long: see <see cref="KeyStatuses.StaleAt"/>.</summary>
    public bool IsStale { get; init; }
    /// <summary>Changes with every rotation, edit and revocation (not with usage): what a caller saw, to pass back when it changes the key.</summary>
    public Guid Version { get; init; }
}

/// <summary>A key with its secret: returned once, by create and rotate, and never again.</summary>
public sealed record IssuedKey(KeySummary Key, string Secret);

public sealed record RevokeOutcome(KeySummary Key, bool AlreadyRevoked);

/// <summary>The keys as they are now, how many this call revoked, and how many were revoked already.</summary>
public sealed record BulkRevokeOutcome(IReadOnlyList<KeySummary> Keys, int Revoked, int AlreadyRevoked);

public enum KeySort { Name, Created, Expires, LastUsed, Usage, Owner, Prefix }

public sealed record KeyQuery
{
    /// <summary>Matches name, display prefix or owner, ignoring case.</summary>
    public string? Search { get; init; }
    /// <summary>Empty: every status but Revoked (unless <see cref="IncludeRevoked"/>).</summary>
    public IReadOnlyCollection<KeyStatus> Statuses { get; init; } = [];
    /// <summary>Also the stale keys (see <see cref="KeyStatuses.StaleAt"/>); only them when no status is chosen.</summary>
    public bool Stale { get; init; }
    public KeyEnvironment? Environment { get; init; }
    public bool IncludeRevoked { get; init; }
    public KeySort SortBy { get; init; } = KeySort.Created;
    public bool Descending { get; init; } = true;
    /// <summary>Zero-based.</summary>
    public int Page { get; init; }
    public int PageSize { get; init; } = 25;

    public const int MaxPageSize = 100;
}

public sealed record KeyPage(IReadOnlyList<KeySummary> Items, int TotalCount);

/// <summary>Shown before a revocation: what would stop working.</summary>
public sealed record KeyImpact(DateTimeOffset? LastUsedAt, string? LastUsedFrom, long RequestsTodayAndYesterday);
