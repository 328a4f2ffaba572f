using KeyDashboard.Audit;
using KeyDashboard.Data;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Keys;

/// <summary>
/// The leaked-key lookup: which of the caller's keys a string found in a log, a ticket or a repository is. It answers
/// only for workspaces the caller administers (owner or admin), and gives the same "no match" whether the string is
/// malformed, unknown or another workspace's key, so it cannot be used to probe other workspaces. The string is
/// compared by hash, never stored or logged; every lookup is audited, without the string.
/// </summary>
public sealed class LeakedKeyFinder(IDbContextFactory<AppDbContext> dbFactory, ApiKeyLookup lookup, TimeProvider clock)
{
    public const string NoMatch = "This matched no key in the workspaces you administer.";

    /// <param name="workspaceId">The caller's current workspace: they must be an owner or admin there.</param>
    /// <returns>The key, or <c>null</c> for no match of theirs.</returns>
    public async Task<OperationResult<LeakedKey?>> FindAsync(Actor actor, Guid workspaceId, string? presented, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Every membership in one query, before the lookup: a match in someone else's workspace then costs the same
        // queries as an unknown key.
        var memberships = await db.Memberships.Where(m => m.UserId == actor.UserId)
            .Select(m => new { m.WorkspaceId, m.Role, WorkspaceName = m.Workspace.Name }).ToListAsync(ct);
        var current = memberships.FirstOrDefault(m => m.WorkspaceId == workspaceId);
        if (current is null) return OperationResult<LeakedKey?>.NotFound();
        if (Permissions.RefusalFor(current.Role, Permission.LookUpLeakedKeys) is { } refusal) return OperationResult<LeakedKey?>.Forbidden(refusal);

        var match = await lookup.FindAsync(presented?.Trim(), ct);
        var administered = match is null ? null
            : memberships.FirstOrDefault(m => m.WorkspaceId == match.Key.WorkspaceId && Permissions.Allows(m.Role, Permission.LookUpLeakedKeys));
        var now = clock.GetUtcNow();
        LeakedKey? found = null;
        if (match is not null && administered is not null)
        {
            var key = await ApiKeyService.Summaries(db, db.ApiKeys.Where(k => k.Id == match.Key.Id), now).SingleAsync(ct);
            found = new LeakedKey(key, administered.WorkspaceId, administered.WorkspaceName, match.ViaPreviousSecret);
            AuditTrail.Add(db, actor, administered.WorkspaceId, AuditActions.KeyLookup, now, "key", key.Id, key.Name,
                new { matched = true, oldSecret = match.ViaPreviousSecret });
        }
        else
        {
            AuditTrail.Add(db, actor, workspaceId, AuditActions.KeyLookup, now, details: new { matched = false });
        }
        await db.SaveChangesAsync(ct);
        return OperationResult<LeakedKey?>.Ok(found);
    }
}

/// <summary>The key a looked-up string belongs to, and the workspace it is in (not necessarily the current one).</summary>
public sealed record LeakedKey(KeySummary Key, Guid WorkspaceId, string WorkspaceName, bool ViaPreviousSecret);
