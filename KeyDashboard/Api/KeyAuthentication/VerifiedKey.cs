using KeyDashboard.Keys;
using KeyDashboard.Workspaces;

namespace KeyDashboard.Api.KeyAuthentication;

/// <summary>
/// A key whose secret matched, with what a request needs to act as it: its owner's role at the time it was
/// read. Kept by <see cref="VerifiedKeyCache"/>; the time-dependent checks are made again at each use.
/// </summary>
public sealed record VerifiedKey(
    string KeyId,
    string Name,
    string DisplayPrefix,
    KeyEnvironment Environment,
    Guid WorkspaceId,
    string WorkspaceName,
    string OwnerUserId,
    string OwnerName,
    string Role,
    IReadOnlyList<string> Scopes,
    DateTimeOffset? ExpiresAt,
    bool ViaPreviousSecret,
    DateTimeOffset? PreviousSecretValidUntil,
    long UsageBase,
    WorkspacePlan Plan)
{
    private ApiKeyIdentity? _identity;

    /// <summary>The key's claims, built on first use and shared by the requests made with it.</summary>
    public ApiKeyIdentity Identity => _identity ??= new ApiKeyIdentity(this);

    /// <summary>False for a live key of a workspace whose plan does not include live keys: it is known, but refused.</summary>
    public bool PlanIncludesIt => Environment == KeyEnvironment.Test || Plan == WorkspacePlan.Paid;

    /// <summary>Why the key cannot be used at <paramref name="now"/>, or null when it can.</summary>
    public KeyRefusal? RefusalAt(DateTimeOffset now) => RefusalAt(ExpiresAt, ViaPreviousSecret, PreviousSecretValidUntil, now);

    /// <summary>
    /// The checks that change with time, for a key read from the database as for one kept in the cache: why a key
    /// with this expiry, presented with its current secret or with the one its last rotation replaced, cannot be
    /// used at <paramref name="now"/>, or null when it can.
    /// </summary>
    public static KeyRefusal? RefusalAt(DateTimeOffset? expiresAt, bool viaPreviousSecret, DateTimeOffset? previousSecretValidUntil, DateTimeOffset now) =>
        expiresAt <= now ? KeyRefusal.Expired
        : viaPreviousSecret && !(previousSecretValidUntil > now) ? KeyRefusal.RotatedSecretEnded
        : null;
}

/// <summary>
/// Why a presented key was refused. Goes to the server log and to verify's answer, never to a 401's body.
/// <see cref="PlanUpgradeRequired"/> alone is answered with 403 rather than 401: the key is genuine, its workspace's plan refuses it.
/// </summary>
public enum KeyRefusal { Missing, Malformed, Unknown, Expired, Revoked, RotatedSecretEnded, OwnerNotMember, PlanUpgradeRequired }

/// <summary>
/// The key a request was authenticated with, when and from where, and its usage count with this request: set on the
/// request's features.
/// </summary>
public sealed record AuthenticatedKey(VerifiedKey Key, DateTimeOffset At, string? ClientAddress, long UsageCount);
