using System.Text.Json;
using KeyDashboard.Audit;
using KeyDashboard.Data;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Keys;

/// <summary>
/// What the dashboard tells an owner or admin about keys of their workspace that a leak report revoked: each of them
/// sees every such key of the last <see cref="ShownForDays"/> days until they themselves mark it seen. Read from the
/// audit log (the report's entries, and each person's "seen" entry), so telling them needs nothing stored beside it.
/// </summary>
public sealed class LeakReportNotices(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public const int ShownForDays = 30;
    private const int MaxShown = 50;

    /// <summary>The keys revoked by leak reports that the actor has not marked seen, newest first. Owners and admins only.</summary>
    public async Task<OperationResult<IReadOnlyList<LeakedKeyNotice>>> UnseenAsync(Actor actor, Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var access = await WorkspaceAccess.RequireAsync(db, workspaceId, actor, Permission.ManageKeys, ct);
        if (!access.Succeeded) return access.As<IReadOnlyList<LeakedKeyNotice>>();

        var seen = await db.AuditEntries.AsNoTracking()
            .Where(a => a.WorkspaceId == workspaceId && a.ActorId == actor.UserId && a.Action == AuditActions.LeakReportsSeen)
            .OrderByDescending(a => a.Id).Select(a => a.Details).FirstOrDefaultAsync(ct);
        var seenUpTo = seen is null ? 0 : JsonSerializer.Deserialize<SeenDetails>(seen, JsonSerializerOptions.Web)?.SeenUpTo ?? 0;
        var since = clock.GetUtcNow().AddDays(-ShownForDays);
        IReadOnlyList<LeakedKeyNotice> notices = await db.AuditEntries.AsNoTracking()
            .Where(a => a.WorkspaceId == workspaceId && a.Action == AuditActions.KeyReportedLeaked && a.At >= since && a.Id > seenUpTo)
            .OrderByDescending(a => a.Id).Take(MaxShown)
            .Select(a => new LeakedKeyNotice(a.Id, a.TargetId!, a.TargetName ?? a.TargetId!,
                db.ApiKeys.Where(k => k.Id == a.TargetId).Select(k => k.DisplayPrefix).FirstOrDefault() ?? "", a.At))
            .ToListAsync(ct);
        return OperationResult<IReadOnlyList<LeakedKeyNotice>>.Ok(notices);
    }

    /// <summary>
    /// The actor has seen the notices up to <paramref name="newest"/> (its <see cref="LeakedKeyNotice.EntryId"/>): later
    /// reports still show. Audited, so the log says who was told. Owners and admins only.
    /// </summary>
    public async Task<OperationResult<bool>> MarkSeenAsync(Actor actor, Guid workspaceId, LeakedKeyNotice newest, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var access = await WorkspaceAccess.RequireAsync(db, workspaceId, actor, Permission.ManageKeys, ct);
        if (!access.Succeeded) return access.As<bool>();
        AuditTrail.Add(db, actor, workspaceId, AuditActions.LeakReportsSeen, clock.GetUtcNow(), details: new { seenUpTo = newest.EntryId });
        await db.SaveChangesAsync(ct);
        return OperationResult<bool>.Ok(true);
    }

    private sealed record SeenDetails(long SeenUpTo);
}

/// <summary>A key a leak report revoked, as the banner names it; <see cref="EntryId"/> is the report's audit entry.</summary>
public sealed record LeakedKeyNotice(long EntryId, string KeyId, string KeyName, string DisplayPrefix, DateTimeOffset RevokedAt);
