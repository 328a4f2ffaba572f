using System.Text.Json;
using KeyDashboard.Data;

namespace KeyDashboard.Audit;

/// <summary>Adds audit entries to a context, so they commit in the same transaction as the change they describe.</summary>
public static class AuditTrail
{
    public static AuditEntry Add(AppDbContext db, Actor actor, Guid workspaceId, string action, DateTimeOffset at,
        string? targetType = null, string? targetId = null, string? targetName = null, object? details = null)
    {
        var entry = new AuditEntry
        {
            At = at,
            WorkspaceId = workspaceId,
            ActorType = actor.IsSystem ? AuditActorType.System : actor.KeyId is null ? AuditActorType.User : AuditActorType.Key,
            ActorId = actor.IsSystem ? null : actor.KeyId ?? actor.UserId,
            ActorName = actor.Name,
            Action = action,
            TargetType = targetType,
            TargetId = targetId,
            TargetName = targetName,
            Details = details is null ? null : Details(details),
            ClientAddress = actor.ClientAddress,
        };
        db.AuditEntries.Add(entry);
        return entry;
    }

    /// <summary>An entry's details as stored: <paramref name="value"/> (usually an anonymous object) as JSON.</summary>
    public static string Details(object value) => JsonSerializer.Serialize(value);
}
