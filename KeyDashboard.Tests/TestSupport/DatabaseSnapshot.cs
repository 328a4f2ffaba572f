using System.Text.Json;
using KeyDashboard.Audit;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>Every key row field by field, and every audit entry: two equal snapshots mean nothing changed in between.</summary>
public sealed record DatabaseSnapshot(string Keys, int AuditCount, string AuditEntries)
{
    public static Task<DatabaseSnapshot> TakeAsync(IWorldDatabase database) => TakeAsync(database, ofRequests: false);

    /// <summary>
    /// The same, less what any authenticated request changes on purpose: a key's usage, and the entry that records a
    /// revoked key being presented.
    /// </summary>
    public static Task<DatabaseSnapshot> TakeBesideRequestsAsync(IWorldDatabase database) => TakeAsync(database, ofRequests: true);

    /// <summary>How many keys and audit entries there are, less the entries requests write: "created nothing", cheaply.</summary>
    public static async Task<string> CountsAsync(IWorldDatabase database)
    {
        await using var db = await database.DbFactory.CreateDbContextAsync();
        return $"{await db.ApiKeys.CountAsync()} keys, {await db.AuditEntries.CountAsync(e => e.Action != AuditActions.RevokedKeyUsed)} audit entries";
    }

    private static async Task<DatabaseSnapshot> TakeAsync(IWorldDatabase database, bool ofRequests)
    {
        await using var db = await database.DbFactory.CreateDbContextAsync();
        var keys = await db.ApiKeys.AsNoTracking().OrderBy(k => k.Id).ToListAsync();
        var audit = await db.AuditEntries.AsNoTracking().Where(a => !ofRequests || a.Action != AuditActions.RevokedKeyUsed).OrderBy(a => a.Id).ToListAsync();
        if (ofRequests)
            foreach (var key in keys)
                (key.UsageCount, key.LastUsedAt, key.LastUsedFrom, key.PreviousSecretLastUsedAt) = (0, null, null, null);
        return new DatabaseSnapshot(JsonSerializer.Serialize(keys), audit.Count, JsonSerializer.Serialize(audit));
    }
}
