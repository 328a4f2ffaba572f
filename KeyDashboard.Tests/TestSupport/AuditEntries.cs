using KeyDashboard.Audit;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>Audit entries written straight into a <see cref="TestDatabase"/>, for logs no sequence of service calls makes quickly.</summary>
public static class AuditEntries
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

    public static async Task AddAuditEntriesAsync(this TestDatabase database, params IEnumerable<AuditEntry> entries)
    {
        await using var db = await database.Factory.CreateDbContextAsync();
        db.AuditEntries.AddRange(entries);
        await db.SaveChangesAsync();
    }
}
