using KeyDashboard.Audit;
using KeyDashboard.Data;
using KeyDashboard.Keys;
using KeyDashboard.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Api.KeyAuthentication;

/// <summary>
/// Decides whether a presented key string may be used now: for the API's authentication handler and for
/// <c>POST /api/v1/verify</c>. Shape and checksum first (no database), then the verified-key cache, then the
/// database. Using a revoked key leaves an audit entry.
/// </summary>
public sealed class ApiKeyAuthenticator(
    ApiKeyFormat format,
    ApiKeyHasher hasher,
    ApiKeyLookup lookup,
    VerifiedKeyCache cache,
    KeyUsageRecorder usage,
    IDbContextFactory<AppDbContext> dbFactory,
    KeyDashboardMetrics metrics,
    ILogger<ApiKeyAuthenticator> logger)
{
    public async ValueTask<KeyCheck> CheckAsync(string? presented, DateTimeOffset now, string? clientAddress, CancellationToken ct)
    {
        var check = await DecideAsync(presented, now, clientAddress, ct);
        metrics.Verified(check.Refusal);
        return check;
    }

    private async ValueTask<KeyCheck> DecideAsync(string? presented, DateTimeOffset now, string? clientAddress, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(presented)) return KeyCheck.Refused(KeyRefusal.Missing);
        if (!format.IsWellFormed(presented)) return KeyCheck.Refused(KeyRefusal.Malformed);

        var secretHash = SecretHash.Of(hasher, presented);
        if (!cache.TryGet(secretHash, out var key))
        {
            var lookupBegan = cache.BeginLookup();
            var loaded = await LoadAsync(presented, now, clientAddress, ct);
            if (loaded.Key is null) return loaded;
            key = loaded.Key;
            cache.Add(secretHash, key, lookupBegan);
        }

        if (key.RefusalAt(now) is { } refusal)
        {
            cache.Remove(secretHash);
            return KeyCheck.Refused(refusal, key.KeyId);
        }
        // Stays cached: a plan change is announced like any other, and drops the workspace's entries at once.
        return Decide(key);
    }

    private async Task<KeyCheck> LoadAsync(string presented, DateTimeOffset now, string? clientAddress, CancellationToken ct)
    {
        var match = await lookup.FindAsync(presented, ct);
        if (match is null) return KeyCheck.Refused(KeyRefusal.Unknown);
        var check = await VerifyMatchAsync(match, now, ct);
        if (check.Refusal == KeyRefusal.Revoked) await AuditRevokedKeyUseAsync(match.Key, now, clientAddress);
        return check;
    }

    /// <summary>
    /// The API's rule for a key whose secret matched: refused when it is revoked or expired, when the secret is the
    /// one a rotation replaced and its grace period is over, when its owner is no longer a member of its
    /// workspace, or when it is a live key and the workspace's plan does not include live keys; otherwise what a
    /// request needs to act as it. Reads the owner's membership and the plan; records nothing.
    /// </summary>
    public async Task<KeyCheck> CheckMatchAsync(KeyMatch match, DateTimeOffset now, CancellationToken ct = default)
    {
        var check = await VerifyMatchAsync(match, now, ct);
        return check.Key is { } key ? Decide(key) : check;
    }

    private static KeyCheck Decide(VerifiedKey key) =>
        key.PlanIncludesIt ? new KeyCheck(key, null, key.KeyId) : KeyCheck.Refused(KeyRefusal.PlanUpgradeRequired, key.KeyId);

    // Everything but the plan, which is checked at each use, so that what is cached is the key and not the refusal.
    private async Task<KeyCheck> VerifyMatchAsync(KeyMatch match, DateTimeOffset now, CancellationToken ct)
    {
        var key = match.Key;
        if (key.RevokedAt is not null) return KeyCheck.Refused(KeyRefusal.Revoked, key.Id);
        // The checks that need no database come first: a key they refuse costs no second query.
        if (VerifiedKey.RefusalAt(key.ExpiresAt, match.ViaPreviousSecret, key.PreviousSecretValidUntil, now) is { } refusal)
            return KeyCheck.Refused(refusal, key.Id);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (owner, usageBase) = await usage.ReadStoredUsageAsync(key.Id, () => db.ApiKeys.Where(k => k.Id == key.Id)
            .Select(k => new
            {
                k.UsageCount,
                OwnerName = k.Owner.UserName ?? k.Owner.Email ?? k.OwnerUserId,
                Membership = db.Memberships.Where(m => m.WorkspaceId == k.WorkspaceId && m.UserId == k.OwnerUserId)
                    .Select(m => new { m.Role, WorkspaceName = m.Workspace.Name, m.Workspace.Plan }).FirstOrDefault(),
            }).SingleOrDefaultAsync(ct), row => row?.UsageCount ?? 0, ct);
        if (owner?.Membership is null) return KeyCheck.Refused(KeyRefusal.OwnerNotMember, key.Id);

        return new KeyCheck(new VerifiedKey(key.Id, key.Name, key.DisplayPrefix, key.Environment, key.WorkspaceId,
            owner.Membership.WorkspaceName, key.OwnerUserId, owner.OwnerName, owner.Membership.Role, key.Scopes.ToArray(),
            key.ExpiresAt, match.ViaPreviousSecret, key.PreviousSecretValidUntil, usageBase, owner.Membership.Plan), null, key.Id);
    }

    private async Task AuditRevokedKeyUseAsync(ApiKey key, DateTimeOffset now, string? clientAddress)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var actor = new Actor(key.OwnerUserId, $"{key.Name} ({key.DisplayPrefix})", clientAddress) { KeyId = key.Id };
            AuditTrail.Add(db, actor, key.WorkspaceId, AuditActions.RevokedKeyUsed, now, "key", key.Id, key.Name);
            await db.SaveChangesAsync();
        }
        catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException)
        {
            // The refusal matters more than its record: a busy database must not turn a 401 into a 500.
            logger.LogWarning(e, "Could not audit the use of revoked key {KeyId}.", key.Id);
        }
    }
}

/// <summary>Either a usable key, or why not (with the key's id when it was found).</summary>
public sealed record KeyCheck(VerifiedKey? Key, KeyRefusal? Refusal, string? KeyId = null)
{
    public static KeyCheck Refused(KeyRefusal refusal, string? keyId = null) => new(null, refusal, keyId);
}
