using System.Text.Encodings.Web;
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

    // Stored and exported as data and always encoded where it is shown, so a reason's "don't" or an address's "+"
    // stays as typed in the CSV rather than becoming \u0027 or \u002B.
    private static readonly JsonSerializerOptions DetailsJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>An entry's details as stored: <paramref name="value"/> (usually an anonymous object) as JSON.</summary>
    public static string Details(object value) => JsonSerializer.Serialize(value, DetailsJson);
}
