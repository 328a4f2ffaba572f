using KeyDashboard.Data;

namespace KeyDashboard.Audit;

/// <summary>Adds audit entries to a context, so they commit in the same transaction as the change they describe.</summary>
public static class AuditLog
{
    public static AuditEntry Add(AppDbContext db, Actor actor, Guid workspaceId, string action, DateTimeOffset at,
        string? targetType = null, string? targetId = null, string? targetName = null, string? details = null)
    {
        var entry = new AuditEntry
        {
            At = at,
            WorkspaceId = workspaceId,
            ActorType = actor.KeyId is null ? AuditActorType.User : AuditActorType.Key,
            ActorId = actor.KeyId ?? actor.UserId,
            ActorName = actor.Name,
            Action = action,
            TargetType = targetType,
            TargetId = targetId,
            TargetName = targetName,
            Details = details,
            ClientAddress = actor.ClientAddress,
        };
        db.AuditEntries.Add(entry);
        return entry;
    }
}
