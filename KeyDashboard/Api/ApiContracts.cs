using KeyDashboard.Audit;
using KeyDashboard.Keys;
using KeyDashboard.Members;
using KeyDashboard.Workspaces;

namespace KeyDashboard.Api;

// The API's JSON, kept apart from the services' records so the wire format changes only on purpose.
// Enumerations travel as lower-case words (see ApiEnumNames).

/// <summary>A key as the API shows it: never its secret, never its hash.</summary>
public sealed record ApiKeyResponse(
    string Id,
    string Name,
    string Description,
    string Prefix,
    string OwnerUserId,
    string OwnerName,
    bool OwnerIsMember,
    string Environment,
    IReadOnlyList<string> Scopes,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    string? RevokedReason,
    long UsageCount,
    DateTimeOffset? LastUsedAt,
    string? LastUsedFrom,
    DateTimeOffset? RotatedAt,
    DateTimeOffset? PreviousSecretValidUntil,
    DateTimeOffset? PreviousSecretLastUsedAt)
{
    public static ApiKeyResponse From(KeySummary key) => new(
        key.Id, key.Name, key.Description, key.DisplayPrefix, key.OwnerUserId, key.OwnerName, key.OwnerIsMember,
        ApiEnumNames.Of(key.Environment), key.Scopes, ApiEnumNames.Of(key.Status), key.CreatedAt, key.ExpiresAt, key.RevokedAt,
        key.RevokedReason, key.UsageCount, key.LastUsedAt, key.LastUsedFrom, key.RotatedAt, key.PreviousSecretValidUntil,
        key.PreviousSecretLastUsedAt);
}

/// <summary>The answer to create and rotate: the key and its secret, which is shown this once and never again.</summary>
public sealed record IssuedKeyResponse(ApiKeyResponse Key, string Secret)
{
    public static IssuedKeyResponse From(IssuedKey issued) => new(ApiKeyResponse.From(issued.Key), issued.Secret);
}

public sealed record KeyListResponse(IReadOnlyList<ApiKeyResponse> Items, int TotalCount, int Page, int PageSize);

public sealed record CreateKeyBody(
    string? Name,
    string? Description,
    /// <summary>The member the key acts as; the calling key's owner when omitted.</summary>
    string? OwnerUserId,
    /// <summary><c>test</c> (the default) or <c>live</c>.</summary>
    string? Environment,
    IReadOnlyList<string>? Scopes,
    /// <summary>Omitted: the workspace's default lifetime.</summary>
    DateTimeOffset? ExpiresAt,
    bool? NeverExpires);

/// <summary>Only the fields present change.</summary>
public sealed record EditKeyBody(
    string? Name,
    string? Description,
    /// <summary>The key's new scopes, replacing its scopes. Only scopes your key holds and its owner's role allows can be added.</summary>
    IReadOnlyList<string>? Scopes,
    /// <summary>An earlier expiry, in the future: it can only be brought forward.</summary>
    DateTimeOffset? ExpiresAt);

public sealed record RotateKeyBody(
    /// <summary>How long the old secret keeps working: <c>none</c>, <c>1h</c>, <c>24h</c> (the default) or <c>7d</c>.</summary>
    string? Grace);

public sealed record MemberResponse(string UserId, string Email, string Role)
{
    public static MemberResponse From(MemberSummary member) => new(member.UserId, member.Email, member.Role);
}

public sealed record AuditEntryResponse(
    long Id,
    DateTimeOffset At,
    string ActorType,
    string? ActorId,
    string? ActorName,
    string Action,
    string? TargetType,
    string? TargetId,
    string? TargetName,
    string? Details,
    string? ClientAddress)
{
    public static AuditEntryResponse From(AuditEntry entry) => new(
        entry.Id, entry.At, entry.ActorType.ToString().ToLowerInvariant(), entry.ActorId, entry.ActorName, entry.Action,
        entry.TargetType, entry.TargetId, entry.TargetName, entry.Details, entry.ClientAddress);
}

public sealed record AuditPageResponse(IReadOnlyList<AuditEntryResponse> Items, int TotalCount, int Page, int PageSize);

public sealed record UsageDayResponse(DateOnly Date, long Count);

/// <summary>Requests per UTC day, oldest first, every day present (zero when the key was not used).</summary>
public sealed record KeyUsageResponse(string KeyId, DateOnly From, DateOnly To, long Total, IReadOnlyList<UsageDayResponse> Days);
