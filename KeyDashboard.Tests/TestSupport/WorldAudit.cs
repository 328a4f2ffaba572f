using KeyDashboard.Audit;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>Audit entries in an <see cref="IWorldDatabase"/>: written straight in, for logs no sequence of service calls makes quickly, and read back.</summary>
public static class WorldAudit
{
    public static AuditEntry Entry(Guid? workspaceId, string action, DateTimeOffset at, string actorName = "owner@acme.test",
        AuditActorType actorType = AuditActorType.User, string? actorId = "user-1", string? targetId = null, string? targetName = null,
        string? details = null) => new()
    {
        WorkspaceId = workspaceId,
        Action = action,
        At = at,
        ActorType = actorType,
        ActorId = actorId,
        ActorName = actorName,
        TargetType = targetId is null ? null : "key",
        TargetId = targetId,
        TargetName = targetName,
        Details = details,
        ClientAddress = "198.51.100.7",
    };

    public static async Task AddAuditEntriesAsync(this IWorldDatabase database, params IEnumerable<AuditEntry> entries)
    {
        await using var db = await database.DbFactory.CreateDbContextAsync();
        db.AuditEntries.AddRange(entries);
        await db.SaveChangesAsync();
    }

    /// <summary>Every entry in the order written, or only those of <paramref name="action"/>.</summary>
    public static async Task<List<AuditEntry>> AuditEntriesAsync(this IWorldDatabase database, string? action = null)
    {
        await using var db = await database.DbFactory.CreateDbContextAsync();
        return await db.AuditEntries.AsNoTracking().Where(a => action == null || a.Action == action).OrderBy(a => a.Id).ToListAsync();
    }
}
