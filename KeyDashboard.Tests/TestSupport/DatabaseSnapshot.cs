using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>Every key row field by field, and every audit entry: two equal snapshots mean nothing changed in between.</summary>
public sealed record DatabaseSnapshot(string Keys, int AuditCount, string AuditEntries)
{
    public static async Task<DatabaseSnapshot> TakeAsync(TestDatabase database)
    {
        await using var db = await database.Factory.CreateDbContextAsync();
        var keys = await db.ApiKeys.AsNoTracking().OrderBy(k => k.Id).ToListAsync();
        var audit = await db.AuditEntries.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
        return new DatabaseSnapshot(JsonSerializer.Serialize(keys), audit.Count, JsonSerializer.Serialize(audit));
    }
}
